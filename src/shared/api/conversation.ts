import { z } from 'zod';
import { command } from './define';
import { ResolutionTypeSchema, SenderTypeSchema } from '../domain';

export const MessageSchema = z.object({
  id: z.number().int(),
  conversation_id: z.number().int(),
  sender_type: SenderTypeSchema,
  admin_id: z.string().nullable(),
  admin_name: z.string().nullable().optional(),
  content: z.string(),
  /** The AI's context: max_score, rag_results [{ title, score }]... as the bot wrote it. */
  ai_context: z.record(z.string(), z.unknown()).nullable(),
  confidence_score: z.number().nullable(),
  client_msg_id: z.string().nullable(),
  created_at: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

export const ConversationSchema = z.object({
  id: z.number().int(),
  agent_id: z.number().int(),
  agent_name: z.string(),
  agent_kind: z.string(),
  escalation_threshold: z.number().nullable(),
  session_id: z.string(),
  user_id: z.string().nullable(),
  status: z.string(),
  escalation_reason: z.string().nullable(),
  escalated_at: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  assigned_admin_id: z.string().nullable(),
  assigned_name: z.string().nullable(),
  resolution_type: z.string().nullable(),
  resolution_notes: z.string().nullable(),
  bot_enabled: z.boolean(),
  priority: z.enum(['high', 'normal']),
  created_at: z.string(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const OrderChecklistSchema = z.object({
  completion_rate: z.number().nullable(),
  collected: z.object({ photo: z.boolean(), paiement: z.boolean(), zone: z.boolean(), tel: z.boolean() }),
});

export const ConversationDetailSchema = z.object({
  conversation: ConversationSchema,
  messages: z.array(MessageSchema),
  interventions: z.array(z.object({
    id: z.number().int(), message: z.string().nullable(), metadata: z.record(z.string(), z.unknown()), created_at: z.string(),
  })),
  /** Seed 000's 4/4 checklist, for order bots only. */
  order: OrderChecklistSchema.nullable(),
  customer: z.record(z.string(), z.string()),
  /** Set when the shared database could not be reached and this was read from the offline cache: when it was kept. */
  cachedAt: z.string().nullable().optional(),
});
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;

export const TemplateSchema = z.object({
  id: z.number().int(), title: z.string(), content: z.string(), shortcut: z.string().nullable(), language: z.string(),
});
export type Template = z.infer<typeof TemplateSchema>;

const Id = z.object({ conversationId: z.number().int().positive() }).strict();

export const conversationCommands = {
  'conversation.get': command(Id, ConversationDetailSchema),
  /** Take over. A lost race fails with already_claimed and details { winner } naming who has it. */
  'conversation.claim': command(Id, ConversationDetailSchema),
  'conversation.release': command(Id, ConversationDetailSchema),
  'conversation.setBotEnabled': command(Id.extend({ enabled: z.boolean() }).strict(), ConversationDetailSchema),
  /** Idempotent: the same clientMsgId twice stores one message and returns it both times. */
  'conversation.reply': command(
    Id.extend({ clientMsgId: z.string().uuid(), content: z.string().trim().min(1).max(10_000) }).strict(),
    MessageSchema,
  ),
  'conversation.resolve': command(
    Id.extend({
      resolutionType: ResolutionTypeSchema,
      notes: z.string().max(5_000).optional(),
      /** Both set = a pending learned_response (source human_support) for the training view. */
      learnedQuestion: z.string().trim().min(1).max(5_000).optional(),
      learnedAnswer: z.string().trim().min(1).max(10_000).optional(),
    }).strict(),
    ConversationDetailSchema,
  ),
  'conversation.templates': command(z.object({ agentId: z.number().int().positive() }).strict(), z.array(TemplateSchema)),
};

export const conversationEvents = {};
