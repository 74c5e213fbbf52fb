import {
  ConversationDetailSchema, MessageSchema, TemplateSchema, type ConversationDetail,
} from '../../shared/api/conversation';
import { DeskError, toDeskError } from '../../shared/errors';
import type { Handlers } from './dispatch';
import type { CoreContext } from '../context';
import type { Identity } from '../ports/shared-db';
import type { SendOutcome } from '../sync/outbox';
import { detailFromCache, refreshedFromCache } from './cached-detail';
import { isRecord } from './queue-handlers';

type ConversationHandlers = Pick<Handlers,
  'conversation.get' | 'conversation.claim' | 'conversation.release' | 'conversation.setBotEnabled'
  | 'conversation.reply' | 'conversation.resolve' | 'conversation.templates'>;

const CHECKLIST = ['photo', 'paiement', 'zone', 'tel'] as const;

/** Seed 000's checklist from whatever the order bot stored: { collected: {...} } or the flags themselves. */
function orderOf(kind: string, raw: unknown): ConversationDetail['order'] {
  if (!isRecord(raw) && kind !== 'order_taking') return null;
  const o = isRecord(raw) ? raw : {};
  const flags = isRecord(o.collected) ? o.collected : o;
  const collected = Object.fromEntries(CHECKLIST.map((k) => [k, flags[k] === true])) as Record<(typeof CHECKLIST)[number], boolean>;
  const rate = typeof o.completion_rate === 'number' ? o.completion_rate : null;
  return { completion_rate: rate, collected };
}

function messageOf(m: Record<string, unknown>) {
  return MessageSchema.parse({ ...m, ai_context: isRecord(m.ai_context) ? m.ai_context : null });
}

export function normaliseDetail(raw: unknown): ConversationDetail {
  if (!isRecord(raw) || !isRecord(raw.conversation)) throw new DeskError('not_found', 'conversation not found');
  const c = raw.conversation;
  const customer: Record<string, string> = {};
  if (isRecord(raw.customer)) {
    for (const [k, v] of Object.entries(raw.customer)) if (typeof v === 'string' || typeof v === 'number') customer[k] = String(v);
  }
  return ConversationDetailSchema.parse({
    conversation: { ...c, evidence: isRecord(c.evidence) ? c.evidence : null },
    messages: (Array.isArray(raw.messages) ? raw.messages : []).map((m) => messageOf(m as Record<string, unknown>)),
    interventions: Array.isArray(raw.interventions) ? raw.interventions : [],
    order: orderOf(String(c.agent_kind), raw.order),
    customer,
  });
}

/**
 * Queued, not refused: the outbox sends it once the shared database answers
 * again (a refusal then arrives as outbox.rejected). The same clientMsgId sent
 * again is the same queued reply, never a second one.
 */
function queued(what: string, details: Record<string, unknown> = {}): DeskError {
  return new DeskError('offline', `${what} queued until the shared database can be reached`, { queued: true, ...details });
}

/** Sent: the row the database stored. Queued or refused: thrown, so the console tells which. */
function settled(o: SendOutcome, what: string, details?: Record<string, unknown>): Record<string, unknown> {
  if (o.state === 'rejected') throw o.error;
  if (o.state === 'queued') throw queued(what, details);
  return o.row;
}

export function conversationHandlers(ctx: CoreContext, hooks: { claimed?: (id: number) => void } = {}): ConversationHandlers {
  const fetchDetail = async (id: number, as: Identity) => {
    const [raw] = await ctx.db.rpc('desk_conversation', { p_id: id }, as);
    return normaliseDetail(raw);
  };
  /** Reads through the offline cache: a conversation seen before (or synced) opens while the database is unreachable. */
  const detail = async (id: number, as: Identity): Promise<ConversationDetail> => {
    const off = ctx.offline;
    if (!off) return fetchDetail(id, as);
    try {
      const r = await off.readThrough(`conversation:${id}`, () => fetchDetail(id, as));
      return r.fromCache ? refreshedFromCache(r.value, off.cache, r.savedAt) : r.value;
    } catch (err) {
      if (toDeskError(err).code !== 'internal') throw err;
      const cached = detailFromCache(id, off.cache);
      if (!cached) throw err;
      return cached;
    }
  };
  const forgetDraft = (id: number) => {
    const op = ctx.session.operator;
    if (ctx.offline && op) ctx.offline.cache.drafts.save(op.id, id, '', ctx.clock.now().toISOString());
  };
  const act = async (fn: string, args: Record<string, unknown>, id: number) => {
    const { as } = ctx.session.require();
    await ctx.db.rpc(fn, args, as);
    return detail(id, as);
  };
  return {
    'conversation.get': async ({ conversationId }) => detail(conversationId, ctx.session.require().as),
    'conversation.claim': async ({ conversationId }) => {
      const { as } = ctx.session.require();
      hooks.claimed?.(conversationId);
      try {
        if (ctx.offline) settled(await ctx.offline.outbox.claim(conversationId), 'take-over');
        else await ctx.db.rpc('desk_claim', { p_conversation_id: conversationId }, as);
      } catch (err) {
        const e = toDeskError(err);
        if (e.code !== 'already_claimed') throw e;
        // Say who won, so the loser knows whom to ask rather than retrying.
        const now = await detail(conversationId, as).catch(() => null);
        const winner = now?.conversation.assigned_name ?? null;
        throw new DeskError('already_claimed', winner ? `already taken by ${winner}` : e.message, { winner });
      }
      return detail(conversationId, as);
    },
    'conversation.release': async ({ conversationId }) =>
      act('desk_release', { p_conversation_id: conversationId }, conversationId),
    'conversation.setBotEnabled': async ({ conversationId, enabled }) =>
      act('desk_set_bot_enabled', { p_conversation_id: conversationId, p_enabled: enabled }, conversationId),
    'conversation.reply': async ({ conversationId, clientMsgId, content }) => {
      const { as } = ctx.session.require();
      if (!ctx.offline) {
        const [row] = await ctx.db.rpc<Record<string, unknown>>('desk_reply',
          { p_conversation_id: conversationId, p_client_msg_id: clientMsgId, p_content: content }, as);
        return messageOf(row);
      }
      // Kept in the outbox before anything goes on the wire: a cut mid-send loses nothing and stores it once.
      const o = await ctx.offline.outbox.reply(conversationId, content, clientMsgId);
      forgetDraft(conversationId);
      return messageOf(settled(o, 'reply', { clientMsgId }));
    },
    'conversation.resolve': async ({ conversationId, resolutionType, notes, learnedQuestion, learnedAnswer }) => {
      const { as } = ctx.session.require();
      if (!ctx.offline) {
        return act('desk_resolve', {
          p_conversation_id: conversationId, p_resolution_type: resolutionType, p_notes: notes || undefined,
          p_learned_question: learnedAnswer ? learnedQuestion : undefined, p_learned_answer: learnedAnswer,
        }, conversationId);
      }
      settled(await ctx.offline.outbox.resolve(conversationId, { resolutionType, notes, learnedQuestion, learnedAnswer }), 'closure');
      return detail(conversationId, as);
    },
    'conversation.templates': async ({ agentId }) => {
      const rows = await ctx.db.rpc('desk_reply_templates', { p_agent_id: agentId }, ctx.session.require().as);
      return rows.map((r) => TemplateSchema.parse(r));
    },
  };
}
