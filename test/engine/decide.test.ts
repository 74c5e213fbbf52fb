import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/engine/evaluate';
import { withinSupportHours } from '../../src/core/engine/assignment';

const NOW = '2025-11-21T18:50:00Z'; // a Friday
const fresh = '2025-11-21T18:49:50Z';
const op = (id: string, extra: Record<string, unknown> = {}) => ({
  admin_id: id, status: 'online', current_conversations: 0, max_conversations: 5, agent_ids: null, last_seen_at: fresh, ...extra,
});
const base = (extra: Record<string, unknown> = {}) => ({
  now: NOW, agent: { id: 1 }, conversation: { id: 10, status: 'active' }, messages: [], operators: [op('a')], ...extra,
});
const ai = (content: string, extra: Record<string, unknown> = {}) => ({ sender_type: 'ai', content, ...extra });
const user = (content: string) => ({ sender_type: 'user', content });
const order = (collected: Partial<Record<'photo' | 'paiement' | 'zone' | 'tel', boolean>>, rate: number, updated = fresh) => ({
  completion_rate: rate, updated_at: updated, collected: { photo: false, paiement: false, zone: false, tel: false, ...collected },
});

describe('decision table (DESIGN.md §8)', () => {
  const cases: Array<[string, Record<string, unknown>, string | null, 'high' | 'normal' | null]> = [
    ['seed 001: RAG score 0.45 under the 0.60 default', base({ messages: [user('Comment annuler une facture validée ?'), ai("Je n'ai pas trouvé...", { ai_context: { max_score: 0.45, rag_results: [{ title: 'Gestion des avoirs', score: 0.45 }] } })] }), 'low_confidence', 'normal'],
    ['score 0.78 is enough', base({ messages: [user('Comment créer un avoir ?'), ai('Allez dans Facturation > Avoirs.', { ai_context: { max_score: 0.78 } })] }), null, null],
    ['confidence_score is used when max_score is absent', base({ messages: [ai('Réponse', { confidence_score: 0.3 })] }), 'low_confidence', 'normal'],
    ['a per-bot threshold wins over the default', base({ agent: { id: 1, escalation_threshold: 0.8 }, messages: [ai('Réponse', { ai_context: { max_score: 0.7 } })] }), 'low_confidence', 'normal'],
    ['seed 003: "I need to speak with a human"', base({ messages: [user('I need to speak with a human')] }), 'user_request', 'normal'],
    ['SMS spelling "jveux parlé a un conseillé"', base({ messages: [user('jveux parlé a un conseillé')] }), 'user_request', 'normal'],
    ['negation: "pas besoin d\'un conseiller"', base({ messages: [user("pas besoin d'un conseiller, merci")] }), null, null],
    ['negation: "I don\'t want a person"', base({ messages: [user("I don't want a person, just answer")] }), null, null],
    ['a question about agents is no request', base({ messages: [user("Combien d'agents IA puis-je créer ?")] }), null, null],
    ['AI says it does not know', base({ messages: [ai("Je ne suis pas sûr de la réponse à votre question.", { ai_context: { max_score: 0.9 } })] }), 'ai_uncertainty', 'normal'],
    ['negative feedback on the latest AI answer', base({ messages: [ai('Réponse', { ai_context: { max_score: 0.9 }, feedback_rating: -1 })] }), 'negative_feedback', 'normal'],
    ['feedback 0 is not negative', base({ messages: [ai('Réponse', { ai_context: { max_score: 0.9 }, feedback_rating: 0 })] }), null, null],
    ['guardian ESCALATE_TO_HUMAN', base({ guardian: { action: 'ESCALATE_TO_HUMAN', reason: 'hors périmètre' } }), 'guardian_escalation', 'high'],
    ['guardian requires_human_intervention', base({ guardian: { action: 'CONTINUE', requires_human_intervention: true } }), 'guardian_escalation', 'high'],
    ['stuck order: 45 min idle at 50%', base({ order: order({ photo: true, paiement: true }, 50, '2025-11-21T18:05:00Z') }), 'stuck_order', 'high'],
    ['not stuck at exactly 30 min', base({ order: order({ photo: true, paiement: true }, 50, '2025-11-21T18:20:00Z') }), null, null],
    ['payment missing: photo yes, payment no', base({ order: order({ photo: true }, 25) }), 'payment_missing', 'high'],
    ['technical block: 3 turns, a 403, 0/4', base({ order: order({}, 0), bot_state: { turns_without_progress: 3, technical_errors: ['vision 403'] } }), 'technical_block', 'high'],
    ['no technical block without an error', base({ order: order({}, 0), bot_state: { turns_without_progress: 5, technical_errors: [] } }), null, null],
    ['no technical block at 2/4', base({ order: order({ photo: true, paiement: true }, 50), bot_state: { turns_without_progress: 4, technical_errors: ['ocr 403'] } }), null, null],
    ['no_progress_turns is per bot', base({ agent: { id: 1, no_progress_turns: 2 }, order: order({}, 0), bot_state: { turns_without_progress: 2, technical_errors: ['403'] } }), 'technical_block', 'high'],
    ['anti-loop above 25 turns', base({ bot_state: { turn_count: 26 } }), 'anti_loop', 'normal'],
    ['25 turns is still fine', base({ bot_state: { turn_count: 25 } }), null, null],
    ['seed 000 §5: 4/4 collected is completed even when old', base({ order: order({ photo: true, paiement: true, zone: true, tel: true }, 100, '2025-11-21T10:00:00Z'), guardian: { requires_human_intervention: true } }), null, null],
    ['precedence: user request beats guardian and low confidence', base({ guardian: { action: 'ESCALATE_TO_HUMAN' }, messages: [ai('x', { ai_context: { max_score: 0.1 } }), user('je veux un humain')] }), 'user_request', 'normal'],
    ['precedence: technical block beats stuck order', base({ order: order({ photo: true }, 25, '2025-11-21T17:00:00Z'), bot_state: { turns_without_progress: 3, technical_errors: ['403'] } }), 'technical_block', 'high'],
    ['precedence: stuck order beats payment missing', base({ order: order({ photo: true }, 25, '2025-11-21T17:00:00Z') }), 'stuck_order', 'high'],
    ['human support disabled: low confidence does not escalate', base({ agent: { id: 1, human_support_enabled: false }, messages: [ai('x', { ai_context: { max_score: 0.1 } })] }), null, null],
    ['not active: already escalated conversations are left alone', base({ conversation: { id: 10, status: 'human_handling' }, messages: [user('je veux un humain')] }), null, null],
  ];
  it.each(cases)('%s', (_name, snap, reason, priority) => {
    const d = evaluate(snap);
    expect(d.reason).toBe(reason);
    expect(d.escalate).toBe(reason !== null);
    expect(d.priority).toBe(priority);
    expect(Object.keys(d).sort()).toEqual(['assignee', 'completed', 'escalate', 'evidence', 'mode', 'priority', 'reason']);
  });

  it('gives the evidence: score and threshold, matched words, counters', () => {
    expect(evaluate(base({ messages: [ai('x', { ai_context: { max_score: 0.45 } })] })).evidence).toMatchObject({ max_score: 0.45, threshold: 0.6 });
    const u = evaluate(base({ messages: [user('Passez-moi un conseiller svp')] }));
    expect(u.evidence).toMatchObject({ threshold: 0.7 });
    expect(u.evidence.matched).toContain('conseiller');
    expect((u.evidence.confidence as number) >= 0.7).toBe(true);
    expect(evaluate(base({ order: order({}, 0), bot_state: { turns_without_progress: 3, technical_errors: ['403'] } })).evidence)
      .toMatchObject({ attempts_without_progress: 3, collected: '0/4', missing: { photo: true, paiement: true, zone: true, tel: true } });
  });

  it('marks a 4/4 order completed', () => {
    const d = evaluate(base({ order: order({ photo: true, paiement: true, zone: true, tel: true }, 100) }));
    expect(d).toMatchObject({ escalate: false, completed: true, reason: null, mode: null, assignee: null });
  });

  it('with human support disabled an explicit request becomes a deferred ticket even with operators online', () => {
    const d = evaluate(base({ agent: { id: 1, human_support_enabled: false }, messages: [user('Je veux parler à un humain')] }));
    expect(d).toMatchObject({ escalate: true, reason: 'user_request', mode: 'deferred', assignee: null });
  });
});

describe('assignment', () => {
  const lowScore = { messages: [ai('x', { ai_context: { max_score: 0.2 } })] };
  it('goes live to the least-loaded eligible operator', () => {
    const d = evaluate(base({ ...lowScore, operators: [op('a', { current_conversations: 3 }), op('b', { current_conversations: 1 }), op('c', { current_conversations: 2 })] }));
    expect(d).toMatchObject({ mode: 'live', assignee: 'b' });
  });
  it('breaks ties by the longest idle', () => {
    const d = evaluate(base({ ...lowScore, operators: [op('a', { last_assigned_at: '2025-11-21T18:40:00Z' }), op('b', { last_assigned_at: '2025-11-21T18:00:00Z' })] }));
    expect(d.assignee).toBe('b');
  });
  it('skips busy, away, stale, full and not-allowed operators, then defers', () => {
    const d = evaluate(base({ ...lowScore, operators: [
      op('busy', { status: 'busy' }), op('away', { status: 'away' }), op('stale', { last_seen_at: '2025-11-21T18:49:00Z' }),
      op('full', { current_conversations: 5 }), op('other-bot', { agent_ids: [2] }),
    ] }));
    expect(d).toMatchObject({ escalate: true, mode: 'deferred', assignee: null });
    expect((d.evidence.routing as { skipped: unknown[] }).skipped).toHaveLength(5);
  });
  it('allows an operator whose agent_ids include the bot', () => {
    expect(evaluate(base({ ...lowScore, operators: [op('x', { agent_ids: [1, 2] })] })).assignee).toBe('x');
  });
  it('defers outside the bot\'s support hours in its own timezone', () => {
    // 18:50 UTC on a Friday is 19:50 in Paris (closed at 18:00) and 18:50 in Abidjan (open until 19:00).
    const hours = { friday: { start: '09:00', end: '19:00' } };
    const paris = evaluate(base({ ...lowScore, agent: { id: 1, timezone: 'Europe/Paris', support_hours: { friday: { start: '09:00', end: '18:00' } } } }));
    expect(paris).toMatchObject({ mode: 'deferred', assignee: null });
    expect(evaluate(base({ ...lowScore, agent: { id: 1, timezone: 'Africa/Abidjan', support_hours: hours } }))).toMatchObject({ mode: 'live', assignee: 'a' });
  });
  it('reads support hours per local day, closed on days not listed', () => {
    const fri = new Date('2025-11-21T10:00:00Z');
    expect(withinSupportHours({ monday: { start: '09:00', end: '18:00' } }, 'UTC', fri).open).toBe(false);
    expect(withinSupportHours(null, 'UTC', fri).open).toBe(true);
    // 23:30 UTC Friday is already Saturday 08:30 in Tokyo.
    expect(withinSupportHours({ saturday: { start: '08:00', end: '12:00' } }, 'Asia/Tokyo', new Date('2025-11-21T23:30:00Z')).open).toBe(true);
  });
});

describe('bad snapshots', () => {
  it('reject an unknown status or a missing field with a readable message', () => {
    expect(() => evaluate(base({ conversation: { id: 1, status: 'weird' } }))).toThrow(/conversation\.status/);
    expect(() => evaluate({ now: NOW })).toThrow(/agent/);
  });
});
