import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedSync, type FeedEvent } from '../../src/core/sync/feed';
import type { ConnectionState } from '../../src/shared/domain';
import { systemClock } from '../../src/core/ports/clock';
import type { Identity, SharedDb } from '../../src/core/ports/shared-db';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { freshPglite } from '../support/pg';

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

  it('waits for a signed-in operator before pulling anything', async () => {
    let calls = 0;
    const spy: SharedDb = { ...db, kind: db.kind, rpc: async () => { calls++; return []; },
      onWake: () => () => {}, onLinkChange: () => () => {}, close: async () => {} };
    const sync = new FeedSync({ db: spy, clock: systemClock, identity: () => null, onEvents: () => {}, onState: () => {} });
    await sync.pull();
    expect(calls).toBe(0);
  });
});
