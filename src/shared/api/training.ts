import { z } from 'zod';
import { command } from './define';
import { TRAINING_STATUSES } from '../values';

export { TRAINING_STATUSES };
export const TrainingStatusSchema = z.enum(TRAINING_STATUSES);

const Id = z.coerce.number().int();
const Text = z.string().trim().min(1).max(10_000);

export const TrainingItemSchema = z.object({
  id: Id,
  agent_id: Id,
  agent_name: z.string(),
  question: z.string(),
  answer: z.string(),
  source: z.string(),
  status: TrainingStatusSchema,
  support_conversation_id: Id.nullable(),
  created_by_name: z.string().nullable(),
  created_at: z.string(),
  reviewed_by_name: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  use_count: z.number().int(),
  last_used_at: z.string().nullable(),
  /** Questions a bot answered with it since its approval: escalations avoided. */
  avoided: z.number().int(),
  /** For a pending one: the closest live response of the same bot, offered as a merge. */
  similar_id: Id.nullable(),
  similar_question: z.string().nullable(),
  similar_score: z.number().nullable(),
});
export type TrainingItem = z.infer<typeof TrainingItemSchema>;

export const TrainingCountsSchema = z.object({
  pending: z.number().int(), approved: z.number().int(), indexed: z.number().int(), rejected: z.number().int(),
  indexed_this_month: z.number().int(), avoided: z.number().int(),
});

export const TrainingEffectSchema = z.object({
  agent_id: Id, agent_name: z.string(), approved: z.number().int(), reused: z.number().int(), avoided: z.number().int(),
});

export const SimilarSchema = z.object({
  id: Id, question: z.string(), answer: z.string(), status: z.string(), score: z.number(),
});

export const trainingCommands = {
  /** The training view (supervisors and admins): items, counts, and per bot the escalations avoided. */
  'training.list': command(
    z.object({
      status: TrainingStatusSchema.optional(),
      agentId: z.number().int().optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }).strict(),
    z.object({ items: z.array(TrainingItemSchema), counts: TrainingCountsSchema, effect: z.array(TrainingEffectSchema) }),
  ),
  /** Edit then approve or reject (desk_review_learned_response); approval makes it searchable by bots. */
  'training.review': command(
    z.object({ id: z.number().int(), decision: z.enum(['approve', 'reject']), question: Text.optional(), answer: Text.optional() }).strict(),
    TrainingItemSchema.pick({ id: true, question: true, answer: true }).extend({ status: z.string() }),
  ),
  /** Live responses of a bot whose question is a near-duplicate (e.g. before creating one at close time). */
  'training.similar': command(
    z.object({ agentId: z.number().int(), question: Text, excludeId: z.number().int().optional() }).strict(),
    z.array(SimilarSchema),
  ),
  /** Merges a pending response into a live near-duplicate; the kept one may take an edited question/answer. */
  'training.merge': command(
    z.object({ id: z.number().int(), intoId: z.number().int(), question: Text.optional(), answer: Text.optional() }).strict(),
    TrainingItemSchema.pick({ id: true, question: true, answer: true }).extend({ status: z.string() }),
  ),
};
