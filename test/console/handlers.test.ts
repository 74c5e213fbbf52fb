import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/create-core';
import { seedDemo } from '../../src/db/demo-seed';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { CommandInput, CommandName, EventName } from '../../src/shared/contract';
import { freshPgDatabase } from '../support/pg';
import { escalate, waitFor } from './fixtures';

type Db = Awaited<ReturnType<typeof freshPgDatabase>>;

/** One host per operator, as two desktops would be, on one real PostgreSQL database. */
async function host(db: Db, email: string) {
  const core = createCore({ db: db.db, auth: pickAuthenticator(db.db), operatorEmail: email });
  const seen: Array<{ name: EventName; payload: unknown }> = [];
  core.events.subscribe((name, payload) => seen.push({ name, payload }));
  await core.start();
  const call = async <N extends CommandName>(name: N, input: CommandInput<N>) => {
    const r = await core.invoke(name, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as never;
  };
  return { core, seen, call, invoke: core.invoke };
}

describe('operator console handlers on PostgreSQL', () => {
  let db: Db;
  let marie: Awaited<ReturnType<typeof host>>;
  let pierre: Awaited<ReturnType<typeof host>>;
  const cores: Core[] = [];

  beforeAll(async () => {
    db = await freshPgDatabase('desk_console');
    await seedDemo(db.db.executor);
    marie = await host(db, 'marie@example.com');
    pierre = await host(db, 'pierre@example.com');
    cores.push(marie.core, pierre.core);
  });
  afterAll(async () => {
    for (const c of cores) await c.stop();
    await db?.drop();
  });

  it('signs the operator in as online, with capacity, and heartbeats it to the database', async () => {
    const p = await pierre.call('presence.get', {});
    expect(p).toMatchObject({ status: 'online', current: 0, max: 5 });
    // The first heartbeat follows sign-in asynchronously: the database says online within a moment.
    await expect.poll(async () => (await db.db.executor.query<{ status: string }>(
      `select status from admin_availability where admin_id = '00000000-0000-4000-8000-000000000002'`)).rows[0].status).toBe('online');
    expect(await pierre.call('presence.set', { max: 3 })).toMatchObject({ max: 3 });
    expect(await pierre.call('presence.set', { max: 5 })).toMatchObject({ max: 5 });
  });

  it('shows a new escalation in Waiting with its bot, reason and evidence, and alerts online operators', async () => {
    const id = await escalate(db.db.executor, { question: '<img src=x onerror=alert(1)>' });
    const list = (await pierre.call('queue.list', { tab: 'waiting' })) as { items: Array<Record<string, unknown>>; counts: { waiting: number } };
    const item = list.items.find((i) => i.id === id);
    expect(item).toMatchObject({
      agent_name: 'Support BTP', reason: 'low_confidence', evidence: { score: 0.45, threshold: 0.6 },
      priority: 'normal', preview: '<img src=x onerror=alert(1)>',
    });
    expect(list.counts.waiting).toBeGreaterThanOrEqual(1);
    const alert = await waitFor(() => pierre.seen.find((e) => e.name === 'alert.raised'
      && (e.payload as { conversationId: number }).conversationId === id), 'the waiting alert');
    expect(alert.payload).toMatchObject({ kind: 'waiting', priority: 'normal', sound: 'chime' });
    await waitFor(() => pierre.seen.find((e) => e.name === 'queue.counts' && (e.payload as { waiting: number }).waiting >= 1),
      'the badge counts');
  });

  it('lists Waiting high priority first, then longest waiting, and a first page is the head of the whole list', async () => {
    const x = db.db.executor;
    const made = (await x.query<{ id: number }>(`
      insert into support_conversations(agent_id, session_id, status, escalation_reason, escalated_at, priority, metadata)
      select 1, 'order-' || g, 'escalated', 'low_confidence', now() - ((g * 7 % 11) || ' minutes')::interval,
             case when g % 4 = 0 then 'high' else 'normal' end,
             case when g % 5 = 0 then '{"mode": "deferred"}'::jsonb else '{}'::jsonb end
      from generate_series(1, 40) g returning id`)).rows.map((r) => Number(r.id));
    type Listed = { items: Array<{ id: number; priority: string; since: string }> };
    const whole = (await pierre.call('queue.list', { tab: 'waiting' })) as Listed;
    const ours = whole.items.filter((i) => made.includes(i.id));
    expect(ours).toHaveLength(32); // 40 less the 8 deferred ones
    const key = (i: Listed['items'][number]) => [i.priority === 'high' ? 0 : 1, Date.parse(i.since), i.id];
    const sorted = [...whole.items].sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
    });
    expect(whole.items.map((i) => i.id)).toEqual(sorted.map((i) => i.id));
    const first = (await pierre.call('queue.list', { tab: 'waiting', limit: 5 })) as Listed;
    expect(first.items.map((i) => i.id)).toEqual(whole.items.slice(0, 5).map((i) => i.id));
    const deferred = (await pierre.call('queue.list', { tab: 'deferred' })) as Listed;
    expect(deferred.items.filter((i) => made.includes(i.id))).toHaveLength(8);
    // Leave Waiting as the other cases expect it.
    await x.query(`update support_conversations set status = 'abandoned' where id = any($1::bigint[])`, [made]);
  });

  it('a desktop signing in does not alert what was already waiting, only what arrives after', async () => {
    const before = await Promise.all([1, 2, 3].map(() => escalate(db.db.executor)));
    const second = await host(db, 'marie@example.com');
    cores.push(second.core);
    const alerted = () => second.seen.filter((e) => e.name === 'alert.raised').map((e) => (e.payload as { conversationId: number }).conversationId);
    await waitFor(() => second.seen.find((e) => e.name === 'queue.counts'), 'the first look');
    const after = await escalate(db.db.executor);
    await waitFor(() => alerted().includes(after), 'the alert for the new escalation');
    expect(alerted().filter((id) => before.includes(id))).toEqual([]);
  });

  it('lets exactly one of two operators take over; the other is told who won and it leaves Waiting', async () => {
    const id = await escalate(db.db.executor);
    const [a, b] = await Promise.all([
      marie.invoke('conversation.claim', { conversationId: id }),
      pierre.invoke('conversation.claim', { conversationId: id }),
    ]);
    const results = [a, b];
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winnerName = a.ok ? 'Marie Laurent' : 'Pierre Martin';
    expect(lost[0]).toMatchObject({ ok: false, error: { code: 'already_claimed', details: { winner: winnerName } } });
    for (const h of [marie, pierre]) {
      const w = (await h.call('queue.list', { tab: 'waiting' })) as { items: Array<{ id: number }> };
      expect(w.items.map((i) => i.id)).not.toContain(id);
    }
    const winner = a.ok ? marie : pierre;
    const mine = (await winner.call('queue.list', { tab: 'mine' })) as { items: Array<{ id: number }> };
    expect(mine.items.map((i) => i.id)).toContain(id);
    await winner.call('conversation.release', { conversationId: id });
  });

  it('shows the whole history, evidence, customer and the order checklist of an order bot', async () => {
    const id = await escalate(db.db.executor, {
      agentId: 2, order: { completion_rate: 50, collected: { photo: true, paiement: true, zone: false, tel: false } },
    });
    const d = (await marie.call('conversation.get', { conversationId: id })) as Record<string, never>;
    expect(d).toMatchObject({
      conversation: { agent_name: 'Botlive Commandes', evidence: { score: 0.45 }, bot_enabled: true },
      order: { completion_rate: 50, collected: { photo: true, paiement: true, zone: false, tel: false } },
      customer: { name: 'Jean Client', email: 'jean@example.com', user_id: 'client@example.com' },
    });
    const senders = (d.messages as Array<{ sender_type: string }>).map((m) => m.sender_type);
    expect(senders).toEqual(['user', 'ai', 'system']);
  });

  it('replies idempotently, switches the bot off, and closes with a pending learned response', async () => {
    const id = await escalate(db.db.executor, { question: 'Comment créer un avoir ?' });
    await pierre.call('conversation.claim', { conversationId: id });
    const clientMsgId = randomUUID();
    const first = (await pierre.call('conversation.reply', { conversationId: id, clientMsgId, content: 'Il faut créer un avoir.' })) as { id: number };
    const again = (await pierre.call('conversation.reply', { conversationId: id, clientMsgId, content: 'Il faut créer un avoir.' })) as { id: number };
    expect(again.id).toBe(first.id);
    const off = (await pierre.call('conversation.setBotEnabled', { conversationId: id, enabled: false })) as { conversation: { bot_enabled: boolean } };
    expect(off.conversation.bot_enabled).toBe(false);
    await pierre.call('conversation.resolve', {
      conversationId: id, resolutionType: 'answered', notes: 'ok',
      learnedQuestion: 'Comment créer un avoir ?', learnedAnswer: 'Il faut créer un avoir.',
    });
    const { rows } = await db.db.executor.query<{ status: string; source: string; question: string }>(
      `select status, source, question from learned_responses where support_conversation_id = $1`, [id]);
    expect(rows).toEqual([{ status: 'pending', source: 'human_support', question: 'Comment créer un avoir ?' }]);
    const { rows: msgs } = await db.db.executor.query(`select count(*)::int as n from support_messages where client_msg_id = $1`, [clientMsgId]);
    expect(msgs[0]).toEqual({ n: 1 });
    const resolved = (await pierre.call('queue.list', { tab: 'resolved' })) as { items: Array<{ id: number; resolution_type: string }> };
    expect(resolved.items.find((i) => i.id === id)).toMatchObject({ resolution_type: 'answered' });
  });

  it('alerts the operator an escalation is routed to, and the one who clicked take over is not alerted', async () => {
    const id = await escalate(db.db.executor, { priority: 'high' });
    await db.db.executor.query(
      `update support_conversations set status = 'human_handling', assigned_admin_id = $2, assigned_at = now() where id = $1`,
      [id, '00000000-0000-4000-8000-000000000002']);
    const alert = await waitFor(() => pierre.seen.find((e) => e.name === 'alert.raised'
      && (e.payload as { conversationId: number; kind: string }).conversationId === id
      && (e.payload as { kind: string }).kind === 'assigned'), 'the assigned alert');
    expect(alert.payload).toMatchObject({ priority: 'high', sound: 'alarm' });
    await pierre.call('conversation.release', { conversationId: id });
    const before = marie.seen.length;
    await marie.call('conversation.claim', { conversationId: id });
    await marie.call('conversation.release', { conversationId: id });
    await marie.call('conversation.claim', { conversationId: id });
    await waitFor(() => marie.seen.slice(before).some((e) => e.name === 'queue.counts'), 'marie\'s counts');
    expect(marie.seen.slice(before).filter((e) => e.name === 'alert.raised'
      && (e.payload as { kind: string }).kind === 'assigned')).toEqual([]);
  });

  it('never drops conversations when going offline: it asks, then keeps or returns them', async () => {
    const id = await escalate(db.db.executor);
    await pierre.call('conversation.claim', { conversationId: id });
    const refused = await pierre.invoke('presence.set', { status: 'offline' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_status', details: { conversationsInHand: 1 } } });
    const off = await pierre.call('presence.set', { status: 'offline', handoff: 'return' });
    expect(off).toMatchObject({ status: 'offline', current: 0 });
    const waiting = (await pierre.call('queue.list', { tab: 'waiting' })) as { items: Array<{ id: number }> };
    expect(waiting.items.map((i) => i.id)).toContain(id);
    expect(await pierre.call('presence.set', { status: 'online' })).toMatchObject({ status: 'online' });
  });

  it('lists interventions logged by the order bot (seed 000) and offers the bot\'s reply templates', async () => {
    await db.db.executor.query(`insert into conversation_logs(agent_id, message, metadata)
      values (2, '[INTERVENTION_REQUISE] Commande bloquée', '{"needs_intervention": true, "priority": "high", "reason": "stuck_order", "completion_rate": 42}')`);
    await db.db.executor.query(`insert into reply_templates(agent_id, title, content) values (1, 'Avoir', 'Pour annuler, créez un avoir.'), (null, 'Bonjour', 'Bonjour, je prends le relais.')`);
    const list = (await marie.call('queue.list', { tab: 'interventions' })) as { items: Array<Record<string, unknown>> };
    expect(list.items[0]).toMatchObject({ reason: 'stuck_order', priority: 'high', evidence: { completion_rate: 42 } });
    const t = (await marie.call('conversation.templates', { agentId: 1 })) as Array<{ title: string }>;
    expect(t.map((x) => x.title)).toEqual(['Avoir', 'Bonjour']);
    expect(((await marie.call('conversation.templates', { agentId: 2 })) as unknown[]).length).toBe(1);
  });
});
