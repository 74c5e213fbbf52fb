import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { FeedEvent } from '../../src/core/ports/shared-db';
import { FeedSync } from '../../src/core/sync/feed';
import { systemClock } from '../../src/core/ports/clock';
import { PgSharedDb } from '../../src/db/pg-adapter';
import { ADMIN_URL, freshPgDatabase } from '../support/pg';
import { as, outcome, SERVICE, Workspace } from './fixtures';
import { waitFor } from '../support/wait';

// Real concurrency needs real connections: these cases run on PostgreSQL only.
describe('concurrency on PostgreSQL', () => {
  let fresh: Awaited<ReturnType<typeof freshPgDatabase>>;
  let ws: Workspace;
  beforeAll(async () => { fresh = await freshPgDatabase('desk_conc'); ws = new Workspace(fresh.db); });
  afterAll(async () => { await fresh?.drop(); });

  /** A pool whose connections are all open before the race starts. */
  async function warmPool(size: number): Promise<PgSharedDb> {
    const db = new PgSharedDb({ connectionString: fresh.url, poolSize: size });
    const clients = await Promise.all(Array.from({ length: size }, () => db.pool.connect()));
    for (const c of clients) c.release();
    return db;
  }

  it('50 connections claiming one conversation: exactly one wins, 49 get already_claimed', async () => {
    const bot = await ws.bot();
    const id = await ws.conversation(bot);
    const ops = await Promise.all(Array.from({ length: 50 }, () => ws.operator()));
    const racers = await warmPool(50);
    try {
      const results = await Promise.all(ops.map((op) => outcome(racers.rpc('desk_claim', { p_conversation_id: id }, as(op)))));
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'already_claimed')).toHaveLength(49);
      const winner = ops[results.indexOf('ok')];
      expect(await ws.row('select assigned_admin_id from support_conversations where id = $1', [id])).toEqual({ assigned_admin_id: winner });
      const loads = await Promise.all(ops.map((op) => ws.load(op)));
      expect(loads.map((l) => l.current).reduce((a, b) => a + b)).toBe(1);
    } finally {
      await racers.close();
    }
  });

  /** Runs fn while another transaction holds the feed lock, as a long write elsewhere would; rolled back after unless fn commits it. */
  async function whileFeedHeld(fn: (holder: pg.Client) => Promise<void>): Promise<void> {
    const holder = new pg.Client({ connectionString: fresh.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select public.desk_feed_lock()');
      await fn(holder);
    } finally {
      await holder.query('rollback').catch(() => {});
      await holder.end();
    }
  }
  /** The call's outcome, or 'still waiting' after 3 s. */
  const within3s = (call: Promise<unknown>) =>
    Promise.race([outcome(call), new Promise<string>((r) => setTimeout(() => r('still waiting'), 3000))]);

  it('a claim that has already lost answers at once, without queueing behind a writer that holds the feed', async () => {
    const bot = await ws.bot();
    const id = await ws.conversation(bot);
    const [winner, loser] = await Promise.all([ws.operator(), ws.operator()]);
    expect(await outcome(fresh.db.rpc('desk_claim', { p_conversation_id: id }, as(winner)))).toBe('ok');
    await whileFeedHeld(async () => {
      expect(await within3s(fresh.db.rpc('desk_claim', { p_conversation_id: id }, as(loser)))).toBe('already_claimed');
    });
  });

  /** A raw connection acting as `operatorId` the way the pg adapter does, promise to publish included, inside `begin`. */
  async function operatorTx(operatorId: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    await c.query('begin');
    await c.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true),
                          set_config('desk.publish_after_commit', 'on', true)`, [JSON.stringify({ sub: operatorId, role: 'authenticated' })]);
    return c;
  }
  const claimEvents = (id: number) => ws.row<{ n: number }>(
    `select count(*)::int as n from desk_events where entity = 'support_conversations' and id = $1 and kind = 'update'`, [String(id)]);

  it('a take-over is answered while another writer holds the feed; its event follows once that writer commits', async () => {
    const bot = await ws.bot();
    const id = await ws.conversation(bot);
    const op = await ws.operator();
    await whileFeedHeld(async (holder) => {
      // Decided and committed without the feed lock: the caller has its answer, every connection sees the new holder...
      expect(await within3s(fresh.db.rpc('desk_claim', { p_conversation_id: id }, as(op)))).toBe('ok');
      expect((await ws.row<{ a: string | null }>('select assigned_admin_id as a from support_conversations where id = $1', [id])).a).toBe(op);
      expect(await ws.load(op)).toEqual({ current: 1, held: 1 });
      // ...and the event waits, in order, for the writer ahead of it.
      await new Promise((r) => setTimeout(r, 100));
      expect((await claimEvents(id)).n).toBe(0);
      await holder.query('commit');
      await waitFor(async () => (await claimEvents(id)).n === 1);
    });
  });

  it('the events of a take-over whose desktop died before publishing reach the feed with the next heartbeat of any desktop', async () => {
    const bot = await ws.bot();
    const id = await ws.conversation(bot);
    const [gone, other] = await Promise.all([ws.operator(), ws.operator()]);
    const start = Number((await fresh.db.rpc<number>('desk_feed_head', {}, SERVICE))[0]);
    const tx = await operatorTx(gone);
    try {
      await tx.query('select public.desk_claim($1)', [id]);
      await tx.query('commit');
    } finally {
      await tx.end(); // the desktop is gone: nobody publishes for it
    }
    expect((await ws.row<{ a: string }>('select assigned_admin_id as a from support_conversations where id = $1', [id])).a).toBe(gone);
    expect((await claimEvents(id)).n).toBe(0);
    const host = new PgSharedDb({ connectionString: fresh.url, poolSize: 2 });
    try {
      await host.rpc('desk_heartbeat', { p_status: 'online' }, as(other));
    } finally {
      await host.close();
    }
    expect((await claimEvents(id)).n).toBe(1);
    expect((await ws.row<{ n: number }>('select count(*)::int as n from desk_feed_inbox')).n).toBe(0);
    // Published after the heartbeat's own event, but every event is there once, in one gap-free run of seqs.
    const seqs = (await fresh.db.executor.query<{ seq: number }>('select seq from desk_events where seq > $1 order by seq', [start])).rows.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => start + 1 + i));
  });

  it('an operator with one place left who takes two conversations at once gets one and at_capacity for the other', async () => {
    const bot = await ws.bot();
    const [first, second] = [await ws.conversation(bot), await ws.conversation(bot)];
    const op = await ws.operator({ max: 1 });
    const tx = await operatorTx(op);
    try {
      // The first take-over holds the operator's availability row until it commits...
      await tx.query('select public.desk_claim($1)', [first]);
      // ...so the second passes the look (0 of 1 committed), then waits for the recount.
      const racing = outcome(fresh.db.rpc('desk_claim', { p_conversation_id: second }, as(op)));
      await new Promise((r) => setTimeout(r, 200));
      await tx.query('commit');
      expect(await racing).toBe('at_capacity');
    } finally {
      await tx.query('rollback').catch(() => {});
      await tx.end();
    }
    await fresh.db.rpc('desk_feed_publish', {}, SERVICE);
    expect(await ws.load(op)).toEqual({ current: 1, held: 1 });
    expect((await ws.row<{ s: string; a: string | null }>('select status as s, assigned_admin_id as a from support_conversations where id = $1', [second])))
      .toEqual({ s: 'escalated', a: null });
  });

  it('current_conversations equals held conversations and never exceeds capacity under concurrent claims, releases and resolves', async () => {
    const bot = await ws.bot();
    const ops = await Promise.all(Array.from({ length: 8 }, () => ws.operator({ max: 3 })));
    const convs = await Promise.all(Array.from({ length: 30 }, () => ws.conversation(bot)));
    const db = await warmPool(16);
    const codes = new Map<string, number>();
    try {
      const worker = async (op: string, seed: number) => {
        let r = seed;
        const next = () => (r = (r * 1103515245 + 12345) % 2 ** 31);
        for (let i = 0; i < 40; i++) {
          const id = convs[next() % convs.length];
          const action = next() % 4;
          const fn = action < 2 ? 'desk_claim' : action === 2 ? 'desk_release' : 'desk_resolve';
          const args = fn === 'desk_resolve' ? { p_conversation_id: id, p_resolution_type: 'answered' } : { p_conversation_id: id };
          const res = await outcome(db.rpc(fn, args, as(op)));
          codes.set(res, (codes.get(res) ?? 0) + 1);
        }
      };
      await Promise.all(ops.flatMap((op, i) => [worker(op, i * 7 + 1), worker(op, i * 13 + 5)]));
    } finally {
      await db.close();
    }
    expect(codes.get('ok')).toBeGreaterThan(0);
    expect(codes.get('at_capacity') ?? 0).toBeGreaterThan(0);
    expect([...codes.keys()].every((c) => ['ok', 'already_claimed', 'at_capacity', 'not_allowed', 'invalid_status'].includes(c))).toBe(true);
    for (const op of ops) {
      const load = await ws.load(op);
      expect(load.current).toBe(load.held);
      expect(load.held).toBeLessThanOrEqual(3);
    }
  });

  it('desk_events_since never skips an event while many writers commit out of order and several readers follow', async () => {
    const bot = await ws.bot();
    // Take-overs run among the writers: their events reach the feed through the inbox (migration 0056).
    const claimers = await Promise.all(Array.from({ length: 4 }, () => ws.operator({ max: 10 })));
    const toClaim = await Promise.all(Array.from({ length: 40 }, () => ws.conversation(bot)));
    const start = Number((await fresh.db.rpc<number>('desk_feed_head', {}, SERVICE))[0]);
    const writers = new PgSharedDb({ connectionString: fresh.url, poolSize: 12 });
    // Several readers on their own connections, each with its own cursor: every one must see every event, in order.
    const readers = Array.from({ length: 3 }, () => new PgSharedDb({ connectionString: fresh.url, poolSize: 1 }));
    const seen: number[][] = readers.map(() => []);
    const cursors = readers.map(() => start);
    let writing = true;
    const read = async (r: number) => {
      const page = await readers[r].rpc<FeedEvent>('desk_events_since', { p_seq: cursors[r], p_limit: 100 }, SERVICE);
      for (const e of page) seen[r].push(e.seq);
      if (page.length) cursors[r] = page.at(-1)!.seq;
      return page.length;
    };
    try {
      const readLoops = readers.map(async (_, r) => { while (writing) await read(r); });
      const write = async (w: number) => {
        for (let i = 0; i < 25; i++) {
          await writers.executor.transaction(async (tx) => {
            await tx.query(`insert into conversation_logs(agent_id, message) values ($1, $2)`, [bot, `w${w}-${i}`]);
            // Hold the transaction open a little so commit order differs from insert order.
            await tx.query('select pg_sleep(random() * 0.003)');
            await tx.query(`insert into conversation_logs(agent_id, message) values ($1, $2)`, [bot, `w${w}-${i}b`]);
          }).catch(() => {});
        }
      };
      const claim = async (c: number) => {
        for (let i = c; i < toClaim.length; i += claimers.length) {
          await writers.rpc('desk_claim', { p_conversation_id: toClaim[i] }, as(claimers[c]));
        }
      };
      await Promise.all([...Array.from({ length: 12 }, (_, w) => write(w)), ...claimers.map((_, c) => claim(c))]);
      await writers.close(); // waits for the take-overs' last publish
      writing = false;
      await Promise.all(readLoops);
      for (let r = 0; r < readers.length; r++) while (await read(r)) { /* drain */ }
    } finally {
      await writers.close();
      for (const r of readers) await r.close();
    }
    const { rows } = await fresh.db.executor.query<{ seq: number }>('select seq from desk_events where seq > $1 order by seq', [start]);
    // Each take-over appends two events: the conversation and its operator's load.
    expect(rows.length).toBe(12 * 25 * 2 + toClaim.length * 2);
    for (const s of seen) expect(s).toEqual(rows.map((r) => Number(r.seq)));
    for (const id of toClaim) expect((await claimEvents(id)).n).toBe(1);
  });

  it('desktops taking events from their wake-ups end with every event once, in order, even when wake-ups are lost', async () => {
    const bot = await ws.bot();
    const start = Number((await fresh.db.rpc<number>('desk_feed_head', {}, SERVICE))[0]);
    const writers = new PgSharedDb({ connectionString: fresh.url, poolSize: 12 });
    const followers = Array.from({ length: 4 }, (_, f) => {
      const db = new PgSharedDb({ connectionString: fresh.url, poolSize: 2 });
      const seen: number[] = [];
      const reads = { n: 0 };
      let wakes = 0;
      // Followers 2 and 3 lose one wake-up in 7 (a proxy dropping NOTIFY, a realtime hiccup).
      const lossy = {
        kind: db.kind,
        rpc: <T>(fn: string, args: Record<string, unknown>, as: typeof SERVICE) => { if (fn === 'desk_events_since') reads.n++; return db.rpc<T>(fn, args, as); },
        onWake: (l: Parameters<typeof db.onWake>[0]) => db.onWake((seq, event) => { if (f < 2 || ++wakes % 7 !== 0) l(seq, event); }),
        onLinkChange: (l: Parameters<typeof db.onLinkChange>[0]) => db.onLinkChange(l),
        close: () => db.close(),
      };
      const sync = new FeedSync({ db: lossy, clock: systemClock, identity: () => SERVICE, startSeq: start, pollMs: 60_000,
        onEvents: (batch) => seen.push(...batch.map((e) => e.seq)), onState: () => {} });
      return { db, sync, seen, reads };
    });
    try {
      for (const f of followers) f.sync.start();
      await Promise.all(followers.map((f) => f.sync.pull()));
      const write = async (w: number) => {
        for (let i = 0; i < 25; i++) {
          await writers.executor.transaction(async (tx) => {
            await tx.query('select public.desk_feed_lock()');
            await tx.query(`insert into conversation_logs(agent_id, message) values ($1, $2)`, [bot, `w${w}-${i}`]);
            await tx.query('select pg_sleep(random() * 0.002)');
            await tx.query(`insert into conversation_logs(agent_id, message) values ($1, $2)`, [bot, `w${w}-${i}b`]);
          });
        }
      };
      await Promise.all(Array.from({ length: 12 }, (_, w) => write(w)));
      const { rows } = await fresh.db.executor.query<{ seq: number }>('select seq from desk_events where seq > $1 order by seq', [start]);
      const all = rows.map((r) => Number(r.seq));
      expect(all.length).toBe(12 * 25 * 2);
      // A lost last wake-up is only found by the next wake-up or the poll; pull once as the poll would.
      await waitFor(async () => { await Promise.all(followers.map((f) => f.sync.pull())); return followers.every((f) => f.seen.length >= all.length); });
      for (const f of followers) expect(f.seen).toEqual(all);
      // The followers that heard every wake-up needed (almost) no reads.
      expect(followers[0].reads.n).toBeLessThan(all.length / 10);
    } finally {
      for (const f of followers) { f.sync.stop(); await f.db.close(); }
      await writers.close();
    }
  });

  it('a listener whose connection drops catches up on 1,000 changes, each exactly once', async () => {
    const bot = await ws.bot();
    const dbName = new URL(fresh.url).pathname.slice(1);
    const writer = new pg.Client({ connectionString: fresh.url });
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await writer.connect();
    await admin.connect();
    const follower = new PgSharedDb({ connectionString: fresh.url, poolSize: 2, backoff: { initial: 50, max: 200 } });
    const seen = new Map<number, number>();
    const links: boolean[] = [];
    const start = Number((await fresh.db.rpc<number>('desk_feed_head', {}, SERVICE))[0]);
    const sync = new FeedSync({
      db: follower, clock: systemClock, identity: () => SERVICE, startSeq: start, pollMs: 3_600_000,
      onEvents: (es) => { for (const e of es) seen.set(e.seq, (seen.get(e.seq) ?? 0) + 1); }, onState: () => {},
    });
    follower.onLinkChange((up) => links.push(up));
    try {
      sync.start();
      await waitFor(() => links.includes(true));
      // Cut every connection of the follower and keep it out while the changes are written.
      await admin.query(`alter database ${dbName} allow_connections false`);
      await writer.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
      await waitFor(() => links.includes(false));
      for (let t = 0; t < 10; t++) {
        await writer.query('begin');
        for (let i = 0; i < 100; i++) {
          await writer.query(`insert into conversation_logs(agent_id, message) values ($1, $2)`, [bot, randomUUID()]);
        }
        await writer.query('commit');
      }
      await admin.query(`alter database ${dbName} allow_connections true`);
      const head = Number((await fresh.db.rpc<number>('desk_feed_head', {}, SERVICE))[0]);
      expect(head - start).toBeGreaterThanOrEqual(1000);
      await waitFor(() => sync.lastSeq >= head, 20_000);
      expect(links.lastIndexOf(true)).toBeGreaterThan(links.indexOf(false));
      const all = (await writer.query('select seq from desk_events where seq > $1 order by seq', [start])).rows.map((r) => Number(r.seq));
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(all);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    } finally {
      sync.stop();
      await admin.query(`alter database ${dbName} allow_connections true`).catch(() => {});
      await admin.end();
      await writer.end();
      await follower.close();
    }
  });

  it('a call whose session the server ends fails, and the next call gets a fresh connection', async () => {
    await fresh.db.executor.query(`create or replace function public.test_slow_call() returns int language sql as 'select 1 from pg_sleep(2)'`);
    await fresh.db.executor.query('grant execute on function public.test_slow_call() to service_role');
    const db = new PgSharedDb({ connectionString: fresh.url, poolSize: 1 });
    try {
      const slow = outcome(db.rpc('test_slow_call', {}, SERVICE));
      await waitFor(async () => (await ws.row<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where query like '%test_slow_call%' and state = 'active' and pid <> pg_backend_pid()`)).n === 1);
      await fresh.db.executor.query(`select pg_terminate_backend(pid) from pg_stat_activity where query like '%test_slow_call%' and state = 'active' and pid <> pg_backend_pid()`);
      expect(await slow).not.toBe('ok');
      // The pool's only connection was the dead one: had it gone back to the pool, this call would fail too.
      expect(await db.rpc('desk_feed_head', {}, SERVICE)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('only one of 10 engines racing on separate connections gets the lease', async () => {
    const db = await warmPool(10);
    try {
      const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) =>
        db.rpc<number | null>('engine_acquire_lease', { p_name: 'pg-race', p_holder: `h${i}`, p_ttl_seconds: 30 }, SERVICE)
          .then((r) => r[0])));
      expect(tokens.filter((t) => t !== null)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
