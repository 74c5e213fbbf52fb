import { z } from 'zod';

/** Value sets of the shared database (seed 001 §3, DESIGN.md §3). */
export const CONVERSATION_STATUSES = ['active', 'escalated', 'human_handling', 'resolved', 'abandoned'] as const;
export const ConversationStatusSchema = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

export const PRESENCE_STATUSES = ['online', 'busy', 'away', 'offline'] as const;
export const PresenceStatusSchema = z.enum(PRESENCE_STATUSES);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

export const OPERATOR_ROLES = ['operator', 'supervisor', 'admin'] as const;
export const OperatorRoleSchema = z.enum(OPERATOR_ROLES);

export const SENDER_TYPES = ['user', 'ai', 'admin', 'system'] as const;
export const SenderTypeSchema = z.enum(SENDER_TYPES);

export const RESOLUTION_TYPES = ['answered', 'redirected', 'out_of_scope', 'duplicate'] as const;
export const ResolutionTypeSchema = z.enum(RESOLUTION_TYPES);

export const ESCALATION_REASONS = [
  'user_request', 'guardian_escalation', 'technical_block', 'stuck_order', 'payment_missing',
  'negative_feedback', 'low_confidence', 'ai_uncertainty', 'anti_loop', 'manual_takeover',
] as const;
export const EscalationReasonSchema = z.enum(ESCALATION_REASONS);

export const OperatorSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  email: z.string(),
  role: OperatorRoleSchema,
});
export type Operator = z.infer<typeof OperatorSchema>;

export const ConnectionKindSchema = z.enum(['embedded', 'postgres', 'supabase']);
export const ConnectionStateSchema = z.object({
  kind: ConnectionKindSchema,
  /** online: feed live; syncing: catching up; offline: database unreachable since `since`. */
  status: z.enum(['online', 'syncing', 'offline']),
  since: z.string(),
  lastSeq: z.number().int().nonnegative(),
  detail: z.string().optional(),
});
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const BotSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.string(),
  human_support_enabled: z.boolean(),
  waiting: z.number().int().nonnegative(),
  in_progress: z.number().int().nonnegative(),
  interventions: z.number().int().nonnegative(),
});
export type BotSummary = z.infer<typeof BotSummarySchema>;
