import { detectIntent, type IntentResult } from './intent/detector';
import { foldText } from './intent/normalize';
import type { Settings, Snapshot } from './snapshot';

/**
 * One pure function per trigger of the seeds. Each returns null when it does
 * not apply, or its reason with the evidence an operator (or a test) needs to
 * see why: which score against which threshold, which words, which counters.
 */
export const REASONS = [
  'user_request', 'guardian_escalation', 'technical_block', 'stuck_order', 'payment_missing',
  'negative_feedback', 'low_confidence', 'ai_uncertainty', 'anti_loop',
] as const;
export type Reason = (typeof REASONS)[number];

export const HIGH_PRIORITY: ReadonlySet<Reason> = new Set(['stuck_order', 'payment_missing', 'technical_block', 'guardian_escalation']);

export interface RuleHit { reason: Reason; evidence: Record<string, unknown> }
export interface RuleInput { snap: Snapshot; settings: Settings; intent?: IntentResult | null }
export type Rule = (input: RuleInput) => RuleHit | null;

type Message = Snapshot['messages'][number];
const latest = (snap: Snapshot, sender: Message['sender_type']) =>
  [...snap.messages].reverse().find((m) => m.sender_type === sender) ?? null;
const ITEMS = ['photo', 'paiement', 'zone', 'tel'] as const;

export function collectedCount(snap: Snapshot): number {
  return snap.order ? ITEMS.filter((k) => snap.order!.collected[k]).length : 0;
}
/** Seed 000 §5: photo, paiement, zone and tel all collected is a finished order. */
export function isCompletedOrder(snap: Snapshot): boolean {
  return !!snap.order && collectedCount(snap) === 4;
}

/** The latest user message's intent; the engine passes a precomputed one (LLM, logged), the CLI computes it here. */
export function intentOf({ snap, settings, intent }: RuleInput): IntentResult | null {
  if (intent !== undefined) return intent;
  const msg = latest(snap, 'user');
  return msg ? detectIntent(msg.content, settings.intent_threshold) : null;
}

export const userRequest: Rule = (input) => {
  const intent = intentOf(input);
  if (!intent || intent.confidence < input.settings.intent_threshold) return null;
  return {
    reason: 'user_request',
    evidence: { message: latest(input.snap, 'user')?.content, confidence: intent.confidence,
      threshold: input.settings.intent_threshold, matched: intent.matched, rule: intent.rule, model_used: intent.model_used },
  };
};

export const guardianEscalation: Rule = ({ snap }) => {
  const g = snap.guardian;
  if (!g || (g.action !== 'ESCALATE_TO_HUMAN' && g.requires_human_intervention !== true)) return null;
  return { reason: 'guardian_escalation', evidence: { action: g.action ?? null, requires_human_intervention: g.requires_human_intervention ?? false, guardian_reason: g.reason ?? null } };
};

export const technicalBlock: Rule = ({ snap, settings }) => {
  const turns = snap.bot_state?.turns_without_progress ?? 0;
  const errors = snap.bot_state?.technical_errors ?? [];
  const collected = collectedCount(snap);
  if (turns < settings.no_progress_turns || errors.length === 0 || collected > 1) return null;
  const missing = Object.fromEntries(ITEMS.map((k) => [k, !snap.order?.collected[k]]));
  return { reason: 'technical_block', evidence: { attempts_without_progress: turns, threshold: settings.no_progress_turns, technical_errors: errors, collected: `${collected}/4`, missing } };
};

export const stuckOrder: Rule = ({ snap, settings }) => {
  const o = snap.order;
  if (!o || o.completion_rate >= 100) return null;
  const idleMinutes = (snap.now.getTime() - o.updated_at.getTime()) / 60_000;
  if (idleMinutes <= settings.stuck_order_minutes) return null;
  return { reason: 'stuck_order', evidence: { completion_rate: o.completion_rate, idle_minutes: Math.round(idleMinutes * 10) / 10, threshold_minutes: settings.stuck_order_minutes } };
};

export const paymentMissing: Rule = ({ snap }) => {
  const o = snap.order;
  if (!o || !o.collected.photo || o.collected.paiement) return null;
  return { reason: 'payment_missing', evidence: { completion_rate: o.completion_rate, collected: { ...o.collected } } };
};

export const negativeFeedback: Rule = ({ snap }) => {
  const ai = latest(snap, 'ai');
  if (!ai || ai.feedback_rating == null || ai.feedback_rating >= 0) return null;
  return { reason: 'negative_feedback', evidence: { feedback_rating: ai.feedback_rating, message: ai.content } };
};

/** Seed 001: ai_context.max_score, else confidence_score. */
export function aiScore(msg: Message): number | null {
  return msg.ai_context?.max_score ?? msg.confidence_score ?? null;
}

export const lowConfidence: Rule = ({ snap, settings }) => {
  const ai = latest(snap, 'ai');
  const score = ai ? aiScore(ai) : null;
  if (score === null || score >= settings.escalation_threshold) return null;
  const sources = ai!.ai_context?.rag_results ?? [];
  return { reason: 'low_confidence', evidence: { max_score: score, threshold: settings.escalation_threshold, sources_count: sources.length, sources: sources.slice(0, 5) } };
};

// What a bot says when it does not know; the RAG bot of seed 001 opens with the first one.
const UNCERTAIN = [
  "je n'ai pas trouve d'information fiable", 'je ne suis pas sur', 'je ne suis pas certain', 'je ne sais pas',
  "je n'ai pas la reponse", "je n'ai pas assez d'information", 'je ne peux pas repondre avec certitude',
  "i couldn't find reliable information", "i'm not sure", 'i am not sure', "i don't know", 'i do not know',
  "i'm not certain", "i don't have enough information", "i can't answer that with confidence",
];

export const aiUncertainty: Rule = ({ snap }) => {
  const ai = latest(snap, 'ai');
  if (!ai) return null;
  if (ai.ai_context?.uncertain === true) return { reason: 'ai_uncertainty', evidence: { flag: 'ai_context.uncertain' } };
  const text = foldText(ai.content);
  const phrase = UNCERTAIN.find((p) => text.includes(p));
  return phrase ? { reason: 'ai_uncertainty', evidence: { matched: phrase, message: ai.content } } : null;
};

export const antiLoop: Rule = ({ snap, settings }) => {
  const turns = snap.bot_state?.turn_count ?? snap.messages.filter((m) => m.sender_type === 'user').length;
  if (turns <= settings.max_turns) return null;
  return { reason: 'anti_loop', evidence: { turn_count: turns, max_turns: settings.max_turns } };
};

/** DESIGN.md §8: the first that applies, in this order, is the reason. */
export const RULES: ReadonlyArray<[Reason, Rule]> = [
  ['user_request', userRequest], ['guardian_escalation', guardianEscalation], ['technical_block', technicalBlock],
  ['stuck_order', stuckOrder], ['payment_missing', paymentMissing], ['negative_feedback', negativeFeedback],
  ['low_confidence', lowConfidence], ['ai_uncertainty', aiUncertainty], ['anti_loop', antiLoop],
];
