import { z } from 'zod';
import {
  CONVERSATION_STATUSES, ESCALATION_REASONS, OPERATOR_ROLES, PRESENCE_STATUSES, RESOLUTION_TYPES, SENDER_TYPES,
} from './values';

export { CONVERSATION_STATUSES, ESCALATION_REASONS, OPERATOR_ROLES, PRESENCE_STATUSES, RESOLUTION_TYPES, SENDER_TYPES };

/** Schemas of the shared database's value sets (values.ts) and records. */
export const ConversationStatusSchema = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;

export const PresenceStatusSchema = z.enum(PRESENCE_STATUSES);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

export const OperatorRoleSchema = z.enum(OPERATOR_ROLES);

export const SenderTypeSchema = z.enum(SENDER_TYPES);

export const ResolutionTypeSchema = z.enum(RESOLUTION_TYPES);

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
