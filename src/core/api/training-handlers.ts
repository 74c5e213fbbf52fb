import {
  SimilarSchema, TrainingCountsSchema, TrainingEffectSchema, TrainingItemSchema,
} from '../../shared/api/training';
import type { CoreContext } from '../context';
import type { Handlers } from './dispatch';

type TrainingHandlers = Pick<Handlers, 'training.list' | 'training.review' | 'training.similar' | 'training.merge'>;

interface LearnedRow { id: number; question: string; answer: string; status: string }
const brief = (r: LearnedRow) => ({ id: Number(r.id), question: r.question, answer: r.answer, status: r.status });

/** The training view of seed 001 §7.2 over the 0021 SQL functions (supervisors and admins; SQL checks it). */
export function trainingHandlers(ctx: CoreContext): TrainingHandlers {
  return {
    'training.list': async ({ status, agentId, limit, offset }) => {
      const { as } = ctx.session.require();
      const [items, counts, effect] = await Promise.all([
        ctx.db.rpc('training_items', { p_status: status ?? null, p_agent_id: agentId ?? null, p_limit: limit, p_offset: offset }, as),
        ctx.db.rpc('training_counts', { p_agent_id: agentId ?? null }, as),
        ctx.db.rpc('training_effect', {}, as),
      ]);
      return {
        items: items.map((r) => TrainingItemSchema.parse(r)),
        counts: TrainingCountsSchema.parse(counts[0]),
        effect: effect.map((r) => TrainingEffectSchema.parse(r)),
      };
    },
    'training.review': async ({ id, decision, question, answer }) => {
      const { as } = ctx.session.require();
      const [row] = await ctx.db.rpc<LearnedRow>('desk_review_learned_response',
        { p_id: id, p_decision: decision, p_question: question ?? null, p_answer: answer ?? null }, as);
      return brief(row);
    },
    'training.similar': async ({ agentId, question, excludeId }) => {
      const { as } = ctx.session.require();
      const rows = await ctx.db.rpc('learned_response_similar',
        { p_agent_id: agentId, p_question: question, p_exclude_id: excludeId ?? null }, as);
      return rows.map((r) => SimilarSchema.parse(r));
    },
    'training.merge': async ({ id, intoId, question, answer }) => {
      const { as } = ctx.session.require();
      const [row] = await ctx.db.rpc<LearnedRow>('learned_response_merge',
        { p_id: id, p_into: intoId, p_question: question ?? null, p_answer: answer ?? null }, as);
      return brief(row);
    },
  };
}
