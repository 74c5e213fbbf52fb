import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedEvent } from '../../src/core/ports/shared-db';
import { FeedSync } from '../../src/core/sync/feed';
import type { ConnectionState } from '../../src/shared/domain';
import { systemClock } from '../../src/core/ports/clock';
import type { Identity, SharedDb } from '../../src/core/ports/shared-db';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { freshPglite } from '../support/pg';
import { waitFor } from '../support/wait';

const marie: Identity = { kind: 'operator', operatorId: DEMO_OPERATORS[0].id };

async function addConversations(db: PgliteSharedDb, n: number) {
  for (let i = 0; i < n; i++) {
    await db.executor.query(`insert into support_conversations(agent_id, session_id) values (1, $1)`, [`s-${Math.random()}`]);
  }
}

describe('FeedSync (the console following the change feed)', () => {
  let db: PgliteSharedDb;
  beforeAll(async () => { db = await freshPglite(); await seedDemo(db.executor); });
  afterAll(async () => { await db.close(); });

  it('sees every change exactly once, in order, across wake-ups and pages', async () => {
    const seen: FeedEvent[] = [];
    const sync = new FeedSync({ db, clock: systemClock, identity: () => marie, pageSize: 7, pollMs: 60_000,
      onEvents: (e) => seen.push(...e), onState: () => {} });
    sync.start();
    await sync.pull();
    const before = seen.length;
    await addConversations(db, 25);
    await Promise.all([sync.pull(), sync.pull(), sync.pull()]); // concurrent wake-ups coalesce
    await sync.pull();
    const fresh = seen.slice(before).filter((e) => e.entity === 'support_conversations');
    expect(fresh).toHaveLength(25);
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(sync.connection.status).toBe('online');
    sync.stop();
  });

  it('reports offline with the reason when the database fails, and online again after', async () => {
    let broken = true;
    const flaky: SharedDb = {
      kind: db.kind,
      rpc: (fn, args, as) => (broken ? Promise.reject(new Error('connection refused')) : db.rpc(fn, args, as)),
      onWake: (l) => db.onWake(l),
      onLinkChange: (l) => db.onLinkChange(l),
      close: async () => {},
    };
    const states: ConnectionState[] = [];
    const sync = new FeedSync({ db: flaky, clock: systemClock, identity: () => marie, pollMs: 60_000,
      onEvents: () => {}, onState: (s) => states.push(s) });
    await sync.pull();
    expect(states.at(-1)).toMatchObject({ status: 'offline', detail: 'connection refused' });
    broken = false;
    await sync.pull();
    expect(states.map((s) => s.status)).toEqual(['offline', 'syncing', 'online']);
    sync.stop();
  });

  /** The database as a desktop sees it, counting feed reads and able to lose chosen wake-ups. */
  function counting(drop: (seq?: number) => boolean = () => false) {
    const reads = { n: 0 };
    const wrapped: SharedDb = {
      kind: db.kind,
      rpc: (fn, args, as) => { if (fn === 'desk_events_since') reads.n++; return db.rpc(fn, args, as); },
      onWake: (l) => db.onWake((seq, event) => { if (!drop(seq)) l(seq, event); }),
      onLinkChange: (l) => db.onLinkChange(l),
      close: async () => {},
    };
    return { wrapped, reads };
  }
  const newConversation = async (agent: number) => (await db.executor.query<{ id: number }>(
    `insert into support_conversations(agent_id, session_id) values ($1, $2) returning id`, [agent, `s-${Math.random()}`])).rows[0].id;

  it('takes changes from their wake-ups without reading the feed, each once and in order', async () => {
    const { wrapped, reads } = counting();
    const seen: FeedEvent[] = [];
    const sync = new FeedSync({ db: wrapped, clock: systemClock, identity: () => marie, pollMs: 60_000,
      onEvents: (e) => seen.push(...e), onState: () => {} });
    sync.start();
    await sync.pull();
    await newConversation(1); // the first one also tells the follower what its operator may see
    await waitFor(async () => seen.some((e) => e.entity === 'support_conversations'));
    const readsBefore = reads.n;
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await newConversation(1 + (i % 2)));
    await waitFor(async () => ids.every((id) => seen.some((e) => e.entity === 'support_conversations' && Number(e.id) === id)));
    expect(reads.n - readsBefore).toBe(0);
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    sync.stop();
  });

  it('reads the feed when a wake-up was lost, and loses nothing', async () => {
    let dropped = 0;
    const { wrapped, reads } = counting((seq) => seq !== undefined && dropped < 3 && ++dropped > 0);
    const seen: FeedEvent[] = [];
    const sync = new FeedSync({ db: wrapped, clock: systemClock, identity: () => marie, pollMs: 60_000,
      onEvents: (e) => seen.push(...e), onState: () => {} });
    await sync.pull();
    sync.start();
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push(await newConversation(1));
    await waitFor(async () => ids.every((id) => seen.some((e) => e.entity === 'support_conversations' && Number(e.id) === id)));
    expect(dropped).toBe(3);
    expect(reads.n).toBeGreaterThan(1);
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    sync.stop();
  });

  it('an operator limited to one bot never gets another bot\'s changes from a wake-up', async () => {
    const pierre = DEMO_OPERATORS[1]; // an operator, not a supervisor: agent_ids applies
    await db.executor.query(`update admin_availability set agent_ids = '[1]' where admin_id = $1`, [pierre.id]);
    const seen: FeedEvent[] = [];
    const sync = new FeedSync({ db, clock: systemClock, identity: () => ({ kind: 'operator', operatorId: pierre.id }), pollMs: 60_000,
      onEvents: (e) => seen.push(...e), onState: () => {} });
    await sync.pull();
    sync.start();
    const mine = [await newConversation(1), await newConversation(1)];
    const other = await newConversation(2);
    const last = await newConversation(1);
    await waitFor(async () => [...mine, last].every((id) => seen.some((e) => e.entity === 'support_conversations' && Number(e.id) === id)));
    expect(seen.some((e) => e.entity === 'support_conversations' && Number(e.id) === other)).toBe(false);
    expect(seen.every((e) => e.operator_scope === null || e.operator_scope === 1)).toBe(true);
    sync.stop();
  });

  it('waits for a signed-in operator before pulling anything', async () => {
    let calls = 0;
    const spy: SharedDb = { ...db, kind: db.kind, rpc: async () => { calls++; return []; },
      onWake: () => () => {}, onLinkChange: () => () => {}, close: async () => {} };
    const sync = new FeedSync({ db: spy, clock: systemClock, identity: () => null, onEvents: () => {}, onState: () => {} });
    await sync.pull();
    expect(calls).toBe(0);
  });
});
