import type { ConversationDetail } from '../../shared/api/conversation';
import type { CachedMessage, LocalCache } from '../ports/local-cache';
import { isRecord } from './queue-handlers';

/**
 * A conversation as the offline cache knows it, for when the shared database
 * cannot be reached. The cache follows the feed, so its rows may be newer
 * than the last full detail the console kept: its status, holder and
 * messages win; what only the full read has (bot name, AI context) is kept.
 */

function messageOf(m: CachedMessage): ConversationDetail['messages'][number] {
  return {
    id: m.id, conversation_id: m.conversation_id, sender_type: m.sender_type as ConversationDetail['messages'][number]['sender_type'],
    admin_id: m.admin_id, content: m.content, ai_context: null, confidence_score: null,
    client_msg_id: m.client_msg_id, created_at: m.created_at,
  };
}

const byTime = (a: { created_at: string; id: number }, b: { created_at: string; id: number }) =>
  Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id;

/** The kept detail brought up to what the cache has seen since. */
export function refreshedFromCache(kept: ConversationDetail, cache: LocalCache, keptAt: string | null): ConversationDetail {
  const id = kept.conversation.id;
  const row = cache.conversations.get(id);
  const known = new Set(kept.messages.map((m) => m.id));
  const newer = cache.messages.forConversation(id, 500).filter((m) => !known.has(m.id)).map(messageOf);
  const moved = row && row.assigned_admin_id !== kept.conversation.assigned_admin_id;
  return {
    ...kept,
    conversation: row
      ? { ...kept.conversation, status: row.status, assigned_admin_id: row.assigned_admin_id, assigned_name: moved ? null : kept.conversation.assigned_name }
      : kept.conversation,
    messages: newer.length ? [...kept.messages, ...newer].sort(byTime) : kept.messages,
    cachedAt: keptAt ?? row?.updated_at ?? null,
  };
}

/** A conversation never opened online but copied by the cache's sync: its row and messages, without the extras. */
export function detailFromCache(id: number, cache: LocalCache): ConversationDetail | null {
  const c = cache.conversations.get(id);
  if (!c) return null;
  const meta = isRecord(c.metadata) ? c.metadata : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const customer: Record<string, string> = {};
  if (isRecord(meta.customer)) for (const [k, v] of Object.entries(meta.customer)) if (typeof v === 'string') customer[k] = v;
  if (str(c.user_id)) customer.user_id = str(c.user_id)!;
  return {
    conversation: {
      id: c.id, agent_id: c.agent_id, agent_name: `#${c.agent_id}`, agent_kind: '', escalation_threshold: null,
      session_id: str(c.session_id) ?? '', user_id: str(c.user_id), status: c.status,
      escalation_reason: str(c.escalation_reason), escalated_at: str(c.escalated_at),
      evidence: isRecord(meta.evidence) ? meta.evidence : null,
      assigned_admin_id: c.assigned_admin_id, assigned_name: null,
      resolution_type: str(c.resolution_type), resolution_notes: str(c.resolution_notes),
      bot_enabled: c.bot_enabled !== false, priority: c.priority === 'high' ? 'high' : 'normal',
      created_at: str(c.created_at) ?? c.updated_at,
    },
    messages: cache.messages.forConversation(id, 500).map(messageOf).sort(byTime),
    interventions: [],
    order: null,
    customer,
    cachedAt: c.updated_at,
  };
}
