import { z } from 'zod';

/**
 * The Decision API input (DESIGN.md §8): everything the engine needs to decide
 * about one conversation. Unknown extra fields are allowed (bots send more
 * than we read); wrong types and unknown values are errors.
 */
const Time = z.union([z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'), z.number()])
  .transform((v) => new Date(v));
const Hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export const SupportHoursSchema = z.partialRecord(z.enum(DAYS), z.object({ start: Hhmm, end: Hhmm }).nullable()).nullable();

export const AgentSettingsSchema = z.object({
  id: z.number().int(),
  escalation_threshold: z.number().min(0).max(1).nullish(),
  human_support_enabled: z.boolean().nullish(),
  support_hours: SupportHoursSchema.optional(),
  timezone: z.string().nullish(),
  intent_threshold: z.number().min(0).max(1).nullish(),
  max_turns: z.number().int().positive().nullish(),
  stuck_order_minutes: z.number().positive().nullish(),
  no_progress_turns: z.number().int().positive().nullish(),
}).loose();

export const CONVERSATION_STATUSES = ['active', 'escalated', 'human_handling', 'resolved', 'abandoned'] as const;

export const MessageSchema = z.object({
  id: z.number().int().optional(),
  sender_type: z.enum(['user', 'ai', 'admin', 'system']),
  content: z.string(),
  created_at: Time.optional(),
  confidence_score: z.number().nullish(),
  ai_context: z.object({
    max_score: z.number().nullish(),
    rag_results: z.array(z.object({ title: z.string().optional(), score: z.number() }).loose()).nullish(),
    uncertain: z.boolean().nullish(),
  }).loose().nullish(),
  feedback_rating: z.number().nullish(),
}).loose();

const Collected = z.object({ photo: z.boolean(), paiement: z.boolean(), zone: z.boolean(), tel: z.boolean() });

export const OperatorSchema = z.object({
  admin_id: z.string(),
  status: z.enum(['online', 'busy', 'away', 'offline']),
  current_conversations: z.number().int().min(0),
  max_conversations: z.number().int().min(0),
  agent_ids: z.array(z.number().int()).nullable(),
  last_seen_at: Time,
  /** When the operator was last given a conversation; longest idle wins a tie. Absent = never. */
  last_assigned_at: Time.nullish(),
}).loose();

export const SnapshotSchema = z.object({
  now: Time,
  agent: AgentSettingsSchema,
  conversation: z.object({ id: z.number().int(), status: z.enum(CONVERSATION_STATUSES), created_at: Time.optional() }).loose(),
  messages: z.array(MessageSchema),
  order: z.object({ completion_rate: z.number().min(0).max(100), updated_at: Time, collected: Collected }).loose().nullish(),
  bot_state: z.object({
    turn_count: z.number().int().min(0).nullish(),
    turns_without_progress: z.number().int().min(0).nullish(),
    technical_errors: z.array(z.string()).nullish(),
  }).loose().nullish(),
  guardian: z.object({
    action: z.string().nullish(),
    requires_human_intervention: z.boolean().nullish(),
    reason: z.string().nullish(),
  }).loose().nullish(),
  operators: z.array(OperatorSchema).default([]),
});

export type Snapshot = z.output<typeof SnapshotSchema>;
export type SnapshotInput = z.input<typeof SnapshotSchema>;
export type AgentSettings = Snapshot['agent'];
export type OperatorPresence = z.output<typeof OperatorSchema>;
export type SupportHours = z.output<typeof SupportHoursSchema>;

/** The seeds' defaults for whatever a bot leaves unset. */
export const DEFAULTS = {
  escalation_threshold: 0.6,
  human_support_enabled: true,
  timezone: 'UTC',
  intent_threshold: 0.7,
  max_turns: 25,
  stuck_order_minutes: 30,
  no_progress_turns: 3,
  /** A heartbeat older than this counts as offline (DESIGN.md §3). */
  presence_fresh_seconds: 45,
} as const;

export function settingsOf(agent: AgentSettings) {
  return {
    escalation_threshold: agent.escalation_threshold ?? DEFAULTS.escalation_threshold,
    human_support_enabled: agent.human_support_enabled ?? DEFAULTS.human_support_enabled,
    timezone: agent.timezone ?? DEFAULTS.timezone,
    intent_threshold: agent.intent_threshold ?? DEFAULTS.intent_threshold,
    max_turns: agent.max_turns ?? DEFAULTS.max_turns,
    stuck_order_minutes: agent.stuck_order_minutes ?? DEFAULTS.stuck_order_minutes,
    no_progress_turns: agent.no_progress_turns ?? DEFAULTS.no_progress_turns,
    support_hours: agent.support_hours ?? null,
  };
}
export type Settings = ReturnType<typeof settingsOf>;
