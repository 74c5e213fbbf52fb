/**
 * The conversation state machine: which `support_conversations.status`
 * changes are allowed. The database enforces the same table with a trigger
 * (migration 0004, `desk_status_transition_allowed`); a test checks that both
 * agree, so the console can grey out an action the database would refuse.
 */
import type { ConversationStatus } from './domain';

export const ALLOWED_TRANSITIONS: Readonly<Record<ConversationStatus, readonly ConversationStatus[]>> = {
  // the bot escalates, an operator takes over directly, it ends, or the user leaves
  active: ['escalated', 'human_handling', 'resolved', 'abandoned'],
  // taken over, handed back to the bot, closed without a take-over, or the user left
  escalated: ['human_handling', 'active', 'resolved', 'abandoned'],
  // released or swept back to the queue, handed back to the bot, closed, or the user left
  human_handling: ['escalated', 'active', 'resolved', 'abandoned'],
  // the user writes again: the conversation reopens with the bot
  resolved: ['active'],
  abandoned: ['active'],
};

/** Whether a conversation may go from one status to another (staying put is always allowed). */
export function canTransition(from: ConversationStatus, to: ConversationStatus): boolean {
  return from === to || ALLOWED_TRANSITIONS[from].includes(to);
}
