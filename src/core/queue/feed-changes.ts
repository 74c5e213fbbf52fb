import type { FeedEvent } from '../ports/shared-db';

/** Past this many ids a batch is a bulk change: one read of the tab is cheaper than patching row by row. */
export const PATCH_LIMIT = 500;

export interface QueueChanges { conversationIds: number[]; messageIds: number[]; interventions: boolean; reload: boolean }

/** What a feed batch means for the queue lists, or null when it touches none of them. */
export function queueChangesOf(batch: FeedEvent[]): QueueChanges | null {
  const conversations = new Set<number>();
  const messages = new Set<number>();
  let interventions = false;
  for (const e of batch) {
    const id = Number(e.id);
    if (e.entity === 'conversation_logs') interventions = true;
    else if (!Number.isSafeInteger(id) || id <= 0) continue;
    else if (e.entity === 'support_conversations') conversations.add(id);
    else if (e.entity === 'support_messages' && e.kind !== 'delete') messages.add(id);
  }
  if (conversations.size === 0 && messages.size === 0 && !interventions) return null;
  if (conversations.size + messages.size > PATCH_LIMIT) return { conversationIds: [], messageIds: [], interventions, reload: true };
  return { conversationIds: [...conversations], messageIds: [...messages], interventions, reload: false };
}
