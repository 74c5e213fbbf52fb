import { QueueCountsSchema, QueueItemSchema, QueueRowSchema, type QueueCounts } from '../../shared/api/queue';
import type { Handlers } from './dispatch';
import type { CoreContext } from '../context';

type QueueHandlers = Pick<Handlers, 'queue.list' | 'queue.summary' | 'queue.rows'>;

export function queueHandlers(ctx: CoreContext): QueueHandlers {
  const counts = async (): Promise<QueueCounts> => {
    const { as } = ctx.session.require();
    const [row] = await ctx.db.rpc('desk_queue_counts', {}, as);
    return QueueCountsSchema.parse(row);
  };
  return {
    'queue.list': async ({ tab, limit }) => {
      const { as } = ctx.session.require();
      const [rows, c] = await Promise.all([
        ctx.db.rpc<Record<string, unknown>>('desk_queue', { p_tab: tab, p_limit: limit ?? 5_000 }, as),
        counts(),
      ]);
      const items = rows.map((r) => QueueItemSchema.parse(withEvidence(r)));
      return { tab, items, counts: c };
    },
    'queue.summary': counts,
    'queue.rows': async ({ conversationIds, messageIds }) => {
      const { as } = ctx.session.require();
      if (conversationIds.length === 0 && messageIds.length === 0) return { rows: [], counts: await counts() };
      const [rows, c] = await Promise.all([
        ctx.db.rpc<Record<string, unknown>>('desk_queue_rows', { p_ids: conversationIds, p_message_ids: messageIds }, as),
        counts(),
      ]);
      return { rows: rows.map((r) => QueueRowSchema.parse(withEvidence(r))), counts: c };
    },
  };
}

function withEvidence(r: Record<string, unknown>): Record<string, unknown> {
  return { ...r, evidence: isRecord(r.evidence) ? r.evidence : null };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
