import model from '../../../../data/intent/model.json';
import { scoreNb, type NbModel } from './naive-bayes';
import { normalize } from './normalize';
import { matchPatterns, mentionsPerson, type PatternHit } from './patterns';

/** Seed 003: a handover needs at least this confidence. */
export const DEFAULT_INTENT_THRESHOLD = 0.7;
export const LOCAL_MODEL = 'local-patterns+nb-v1';

export interface IntentResult {
  wants_human: boolean;
  confidence: number;
  threshold: number;
  /** The words the rule matched (with the negation word first when negated). */
  matched: string[];
  rule: PatternHit['rule'] | 'classifier' | 'llm' | null;
  negated: boolean;
  classifier_probability: number;
  model_used: string;
  reason: string;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Patterns decide when they fire (a request stays above 0.75, a negated one
 * below 0.3) and the classifier moves the score inside that band; with no
 * pattern the classifier alone speaks, discounted so that it needs to be
 * quite sure (0.82) to pass the 0.7 threshold on its own, and only when the
 * message names some person.
 */
export function detectIntent(text: string, threshold = DEFAULT_INTENT_THRESHOLD, nb: NbModel = model as unknown as NbModel): IntentResult {
  const tokens = normalize(text);
  const hit = matchPatterns(tokens);
  const p = scoreNb(nb, tokens).probability;
  let confidence: number;
  let reason: string;
  if (hit?.kind === 'request') {
    confidence = 0.75 + 0.25 * p;
    reason = `asks for a human: "${hit.matched.join(' ')}"`;
  } else if (hit?.kind === 'negated') {
    confidence = 0.3 * p;
    reason = `declines a human: "${hit.matched.join(' ')}"`;
  } else {
    // "je veux ce sac" looks like "je veux un conseiller" to word statistics: with no person named, stay below the bar.
    confidence = mentionsPerson(tokens) ? 0.85 * p : Math.min(0.85 * p, 0.65);
    reason = p >= 0.5 ? 'classifier leans towards a request for a human' : 'no request for a human';
  }
  confidence = round(confidence);
  return {
    wants_human: confidence >= threshold,
    confidence,
    threshold,
    matched: hit?.matched ?? [],
    rule: hit?.rule ?? 'classifier',
    negated: hit?.kind === 'negated',
    classifier_probability: round(p),
    model_used: LOCAL_MODEL,
    reason,
  };
}
