import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/create-core';
import { seedDemo } from '../../src/db/demo-seed';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { QueueItem, QueueRow, QueueTab } from '../../src/shared/api/queue';
import type { CommandInput, CommandName, CommandOutput, EventName } from '../../src/shared/contract';
import { patchQueue } from '../../src/shared/queue-patch';
import { freshPgDatabase } from '../support/pg';
import { escalate, waitFor } from './fixtures';

type Db = Awaited<ReturnType<typeof freshPgDatabase>>;
const PIERRE = '00000000-0000-4000-8000-000000000002';

async function host(db: Db, email: string) {
  const core = createCore({ db: db.db, auth: pickAuthenticator(db.db), operatorEmail: email });
  const seen: Array<{ name: EventName; payload: unknown }> = [];
  core.events.subscribe((name, payload) => seen.push({ name, payload }));
  await core.start();
  const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
    const r = await core.invoke(name, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as CommandOutput<N>;
  };
  return { core, seen, call };
}
type Host = Awaited<ReturnType<typeof host>>;

/** What an operator's window does on queue.changed: fetch those rows and patch the list it shows. */
async function patched(h: Host, tab: QueueTab, items: QueueItem[], ids: number[], messageIds: number[] = []): Promise<QueueItem[]> {
  const { rows } = await h.call('queue.rows', { conversationIds: ids, messageIds });
  return patchQueue(items, tab, ids, rows, true);
}
const idsOf = (items: QueueItem[]) => items.map((i) => i.id);

describe('queue patched in place from the feed, on PostgreSQL', () => {
  let db: Db;
  let marie: Host;
  let pierre: Host;
  const cores: Core[] = [];

  beforeAll(async () => {
    db = await freshPgDatabase('desk_qpatch');
    await seedDemo(db.db.executor);
    marie = await host(db, 'marie@example.com');
    pierre = await host(db, 'pierre@example.com');
    cores.push(marie.core, pierre.core);
    for (let i = 0; i < 6; i++) await escalate(db.db.executor, { priority: i % 3 === 0 ? 'high' : 'normal' });
  });
  afterAll(async () => {
    for (const c of cores) await c.stop();
    await db?.drop();
  });

  it('tells the window which conversation changed, and a patched Waiting list equals a fresh read', async () => {
    let waiting = (await marie.call('queue.list', { tab: 'waiting' })).items;
    const before = marie.seen.length;
    const id = await escalate(db.db.executor, { priority: 'high' });
    const ev = await waitFor(() => marie.seen.slice(before).find((e) => e.name === 'queue.changed'
      && (e.payload as { conversationIds: number[] }).conversationIds.includes(id)), 'queue.changed for the new escalation');
    const changes = ev.payload as { conversationIds: number[]; messageIds: number[] };
    waiting = await patched(marie, 'waiting', waiting, changes.conversationIds, changes.messageIds);
    const fresh = await marie.call('queue.list', { tab: 'waiting' });
    expect(idsOf(waiting)).toEqual(idsOf(fresh.items));
    expect(waiting.find((i) => i.id === id)).toMatchObject({ priority: 'high', reason: 'low_confidence', preview: 'Comment annuler une facture validée ?' });
  });

  it('moves a taken conversation out of everyone\'s Waiting and into the taker\'s Mine, with the counters', async () => {
    const id = await escalate(db.db.executor);
    const waitingP = (await pierre.call('queue.list', { tab: 'waiting' })).items;
    const mineM = (await marie.call('queue.list', { tab: 'mine' })).items;
    expect(idsOf(waitingP)).toContain(id);
    await marie.call('conversation.claim', { conversationId: id });

    const forPierre = await pierre.call('queue.rows', { conversationIds: [id], messageIds: [] });
    expect(forPierre.rows[0].tabs).toEqual([]);
    expect(idsOf(patchQueue(waitingP, 'waiting', [id], forPierre.rows, true))).not.toContain(id);
    const forMarie = await marie.call('queue.rows', { conversationIds: [id], messageIds: [] });
    expect(forMarie.rows[0].tabs).toEqual(['mine']);
    const mine = patchQueue(mineM, 'mine', [id], forMarie.rows, true);
    expect(idsOf(mine)).toEqual(idsOf((await marie.call('queue.list', { tab: 'mine' })).items));
    expect(forMarie.counts).toEqual(await marie.call('queue.summary', {}));
    await marie.call('conversation.release', { conversationId: id });
  });

  it('finds the conversation of a new customer message and updates its preview', async () => {
    const id = await escalate(db.db.executor);
    const { rows } = await db.db.executor.query<{ id: number }>(
      `insert into support_messages(conversation_id, sender_type, content) values ($1, 'user', 'Toujours là ?') returning id`, [id]);
    const r = await marie.call('queue.rows', { conversationIds: [], messageIds: [Number(rows[0].id)] });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ id, preview: 'Toujours là ?', tabs: ['waiting'] });
  });

  it('never hands an operator the row of a bot they may not see', async () => {
    await db.db.executor.query(`update admin_availability set agent_ids = '[2]'::jsonb where admin_id = $1`, [PIERRE]);
    try {
      const hidden = await escalate(db.db.executor, { agentId: 1 });
      const shown = await escalate(db.db.executor, { agentId: 2 });
      const r = await pierre.call('queue.rows', { conversationIds: [hidden, shown], messageIds: [] });
      expect(r.rows.map((x) => x.id)).toEqual([shown]);
      // A row the operator still had on screen from before leaves the list, as it would from a fresh read.
      const stale = [{ id: hidden } as QueueItem];
      expect(patchQueue(stale, 'waiting', [hidden, shown], r.rows, true).map((i) => i.id)).toEqual([shown]);
    } finally {
      await db.db.executor.query(`update admin_availability set agent_ids = null where admin_id = $1`, [PIERRE]);
    }
  });

  it('shows the first page in the same order as the whole list', async () => {
    const page = await marie.call('queue.list', { tab: 'waiting', limit: 3 });
    const all = await marie.call('queue.list', { tab: 'waiting' });
    expect(idsOf(page.items)).toEqual(idsOf(all.items).slice(0, 3));
    expect(page.counts).toEqual(all.counts);
  });
});

describe('patchQueue', () => {
  const row = (id: number, over: Partial<QueueRow> = {}): QueueRow => ({
    id, key: `c${id}`, agent_id: 1, agent_name: 'Support BTP', agent_kind: 'rag_support', status: 'escalated', reason: null,
    evidence: null, priority: 'normal', since: new Date(1_700_000_000_000 + id * 1000).toISOString(), preview: null,
    customer: null, assigned_admin_id: null, assigned_name: null, resolution_type: null, tabs: ['waiting'], ...over,
  });
  const strip = ({ tabs: _t, ...i }: QueueRow): QueueItem => i;

  it('puts a high priority arrival above normal ones, and keeps untouched rows as they were', () => {
    const items = [row(1), row(2), row(3)].map(strip);
    const next = patchQueue(items, 'waiting', [9], [row(9, { priority: 'high' })], true);
    expect(next.map((i) => i.id)).toEqual([9, 1, 2, 3]);
    expect(next[1]).toBe(items[0]);
  });

  it('leaves a row past the loaded first page for the rest of the list, but never drops an earlier one', () => {
    const items = [row(1), row(2)].map(strip);
    expect(patchQueue(items, 'waiting', [5], [row(5)], false).map((i) => i.id)).toEqual([1, 2]);
    expect(patchQueue(items, 'waiting', [0], [row(0)], false).map((i) => i.id)).toEqual([0, 1, 2]);
  });

  it('removes rows that left the tab or were not returned', () => {
    const items = [row(1), row(2), row(3)].map(strip);
    expect(patchQueue(items, 'waiting', [1, 2], [row(2, { tabs: ['mine'] })], true).map((i) => i.id)).toEqual([3]);
  });
});
