import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareQuit, setPresence, type HandoffChoice } from '../../src/main/presence-flow';
import { demoCore } from '../contract/transports';

// The tray's keep-or-return flow against the real core (PresenceService), not a stand-in.
describe('going offline from the tray with a conversation in hand', () => {
  let t: Awaited<ReturnType<typeof demoCore>>;
  let conversationId: number;
  const asked: number[] = [];
  let answer: HandoffChoice = 'cancel';
  const deps = () => ({ invoke: t.core.invoke, askHandoff: async (n: number) => { asked.push(n); return answer; }, log: () => {} });

  beforeAll(async () => {
    t = await demoCore();
    expect(await t.core.invoke('session.signIn', { email: 'pierre@example.com' })).toMatchObject({ ok: true });
    expect(await setPresence('online', deps())).toMatchObject({ ok: true, value: { status: 'online' } });
    const { rows } = await t.executor.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, status, escalation_reason, escalated_at)
       values (1, 'tray-' || gen_random_uuid(), 'escalated', 'user_request', now()) returning id`,
    );
    conversationId = Number(rows[0].id);
    expect(await t.core.invoke('conversation.claim', { conversationId })).toMatchObject({ ok: true });
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('asks, and cancelling leaves the operator online with the conversation', async () => {
    answer = 'cancel';
    expect(await setPresence('offline', deps())).toBeNull();
    expect(asked).toEqual([1]);
    expect(await t.core.invoke('presence.get', {})).toMatchObject({ ok: true, value: { status: 'online', current: 1 } });
  });

  it('a cancelled quit keeps the app open', async () => {
    answer = 'cancel';
    expect(await prepareQuit(true, deps())).toBe(false);
  });

  it('returning them puts the conversation back in the queue and goes offline', async () => {
    answer = 'return';
    expect(await prepareQuit(true, deps())).toBe(true);
    expect(await t.core.invoke('presence.get', {})).toMatchObject({ ok: true, value: { status: 'offline', current: 0 } });
    const { rows } = await t.executor.query<{ status: string; assigned_admin_id: string | null }>(
      'select status, assigned_admin_id from support_conversations where id = $1', [conversationId],
    );
    expect(rows[0]).toEqual({ status: 'escalated', assigned_admin_id: null });
  });
});
