import { QueueCountsSchema, QueueItemSchema, type QueueCounts } from '../../shared/api/queue';
import type { Handlers } from './dispatch';
import type { CoreContext } from '../context';

type QueueHandlers = Pick<Handlers, 'queue.list' | 'queue.summary'>;

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
      const items = rows.map((r) => QueueItemSchema.parse({ ...r, evidence: isRecord(r.evidence) ? r.evidence : null }));
      return { tab, items, counts: c };
    },
    'queue.summary': counts,
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
