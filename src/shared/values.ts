/**
 * Value sets of the shared database and the contract (seed 001 §3, DESIGN.md
 * §3), kept free of zod: the console's first chunk imports them without
 * pulling the schema library in. The schemas build their enums from these.
 */
export const CONVERSATION_STATUSES = ['active', 'escalated', 'human_handling', 'resolved', 'abandoned'] as const;
export const PRESENCE_STATUSES = ['online', 'busy', 'away', 'offline'] as const;
export const OPERATOR_ROLES = ['operator', 'supervisor', 'admin'] as const;
export const SENDER_TYPES = ['user', 'ai', 'admin', 'system'] as const;
export const RESOLUTION_TYPES = ['answered', 'redirected', 'out_of_scope', 'duplicate'] as const;
export const ESCALATION_REASONS = [
  'user_request', 'guardian_escalation', 'technical_block', 'stuck_order', 'payment_missing',
  'negative_feedback', 'low_confidence', 'ai_uncertainty', 'anti_loop', 'manual_takeover',
] as const;

export const QUEUE_TABS = ['waiting', 'mine', 'interventions', 'deferred', 'resolved'] as const;
/**
 * How many rows of a queue tab the console reads at a time: it grows through
 * these as the operator scrolls; the host keeps each size's last answer for
 * offline use, and the largest is a whole tab.
 */
export const QUEUE_READ_SIZES = [60, 250, 1_000, 5_000] as const;
/** Sounds the console and the shell know by name (resources/sounds/<name>.wav). */
export const ALERT_SOUNDS = ['chime', 'bell', 'alarm', 'soft'] as const;
export const TRAINING_STATUSES = ['pending', 'approved', 'indexed', 'rejected'] as const;
