import { describe, expect, it } from 'vitest';
import { carryLoads, parseBatch, planBatch } from '../../src/core/engine/plan';

const NOW = '2025-11-21T18:50:00Z';
const op = (id: string, current: number, max: number) => ({
  admin_id: id, status: 'online', current_conversations: current, max_conversations: max, agent_ids: null, last_seen_at: NOW,
});
const lowScore = (id: number, extra: Record<string, unknown> = {}) => ({
  agent: { id: 1 }, conversation: { id, status: 'active', assigned_admin_id: null }, touched: true, logs: [],
  messages: [{ id: id * 10, sender_type: 'ai', content: 'Je ne sais pas.', ai_context: { max_score: 0.2 } }], ...extra,
});

describe('a page of conversations decided together', () => {
  it('spreads the page over the operators by counting each assignment before the next, and defers the rest', () => {
    const logs: unknown[] = [];
    const items = parseBatch({ now: NOW, operators: [op('a', 0, 1), op('b', 0, 2)], conversations: [lowScore(1), lowScore(2), lowScore(3), lowScore(4)] },
      (...l) => logs.push(l));
    const actions = planBatch(items, () => null, () => {});
    expect(actions.map((a) => a.op === 'escalate' && a.assignee)).toEqual(['a', 'b', 'b', null]);
    expect(logs).toEqual([]);
  });

  it('skips a malformed conversation, naming the bot log row at fault, and plans the others', () => {
    const logs: Array<[string, string, Record<string, unknown>?]> = [];
    const bad = lowScore(7, { order: { completion_rate: 'lots' }, sources: { order: 99, bot_state: null, guardian: null } });
    const items = parseBatch({ now: NOW, operators: [op('a', 0, 5)], conversations: [bad, lowScore(8)] }, (...l) => logs.push(l));
    expect(items.map((i) => i.snap.conversation.id)).toEqual([8]);
    expect(logs).toHaveLength(1);
    expect(logs[0][2]).toMatchObject({ entity: 'conversation_logs', id: 99, conversation: 7 });
    expect(planBatch(items, () => null, () => {})).toHaveLength(1);
  });

  it('routes a bot\'s own flag and does not decide again for that conversation', () => {
    const flagged = lowScore(5, { touched: false, logs: [{ id: 51, metadata: { needs_intervention: true, reason: 'payment_missing' } }] });
    const actions = planBatch(parseBatch({ now: NOW, operators: [op('a', 0, 5)], conversations: [flagged] }, () => {}), () => null, () => {});
    expect(actions).toEqual([expect.objectContaining({ op: 'escalate', reason: 'payment_missing', priority: 'high', assignee: 'a', detected_by: 'bot' })]);
  });

  it('leaves a conversation alone when only the engine\'s own intervention row named it', () => {
    const own = lowScore(6, { touched: false, logs: [{ id: 61, metadata: { needs_intervention: true, reason: 'low_confidence', detected_by: 'desk_engine_v1' } }],
      conversation: { id: 6, status: 'human_handling', assigned_admin_id: 'a' } });
    expect(planBatch(parseBatch({ now: NOW, operators: [op('a', 1, 5)], conversations: [own] }, () => {}), () => null, () => {})).toEqual([]);
  });

  it('counts the assignments of a write the page\'s read could not see yet, and only those', () => {
    const before = new Date('2025-11-21T18:49:59Z');
    const unseen = parseBatch({ now: NOW, operators: [op('a', 0, 1), op('b', 0, 2)], conversations: [lowScore(1)] }, () => {});
    expect(carryLoads(unseen[0].snap.operators, new Map([['a', 1]]), before, new Date(NOW))).toBe(true);
    expect(planBatch(unseen, () => null, () => {}).map((a) => a.op === 'escalate' && a.assignee)).toEqual(['b']);
    const seen = parseBatch({ now: NOW, operators: [{ ...op('a', 1, 1), last_assigned_at: NOW }, op('b', 0, 2)], conversations: [lowScore(2)] }, () => {});
    expect(carryLoads(seen[0].snap.operators, new Map([['a', 1]]), before, new Date(NOW))).toBe(false);
    expect(seen[0].snap.operators.find((o) => o.admin_id === 'a')?.current_conversations).toBe(1);
  });
});
