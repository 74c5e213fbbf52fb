import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineRunner } from '../../src/core/engine/engine-runner';
import { systemClock } from '../../src/core/ports/clock';
import { seedDemo } from '../../src/db/demo-seed';
import { PgSharedDb } from '../../src/db/pg-adapter';
import type { Identity, SharedDb } from '../../src/core/ports/shared-db';
import { freshPgDatabase } from '../support/pg';

const SERVICE = { kind: 'service' as const };

/**
 * Lease renewals and engine writes both lock the lease row and the feed. They
 * must take them in one order (the feed first) or a renewal and a write
 * deadlock. The lease table is given a trigger that takes the feed lock, as
 * putting it in the change feed would: with renewals locking the lease row
 * first, these cases deadlock; with the feed lock first, never.
 */
describe('lease renewals racing engine writes on PostgreSQL', () => {
  let f: Awaited<ReturnType<typeof freshPgDatabase>>;
  beforeAll(async () => {
    f = await freshPgDatabase('desk_lease_race');
    await seedDemo(f.db.executor);
    await f.db.executor.query(`
      create function test_lease_feed() returns trigger language plpgsql as $$
      begin perform public.desk_feed_lock(); return null; end $$;
      create trigger test_lease_feed after update on public.engine_leases for each row execute function test_lease_feed();`);
    await f.db.executor.transaction(async (tx) => {
      await tx.query('select public.desk_feed_lock()');
      await tx.query(`update admin_availability set status = 'online', max_conversations = 100, last_seen_at = now()`);
    });
  });
  afterAll(async () => { await f?.drop(); });

  it('renewals from two hosts and the leader\'s writes on separate connections never deadlock', async () => {
    const hosts = [new PgSharedDb({ connectionString: f.url, poolSize: 6 }), new PgSharedDb({ connectionString: f.url, poolSize: 6 })];
    const errors: string[] = [];
    try {
      const acquire = (db: PgSharedDb, holder: string) =>
        db.rpc<number | null>('engine_acquire_lease', { p_name: 'race', p_holder: holder, p_ttl_seconds: 30 }, SERVICE).then((r) => r[0]);
      const token = await acquire(hosts[0], 'host-a');
      expect(token).not.toBeNull();
      const [conv] = await f.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: 'race' }, SERVICE);
      const end = Date.now() + 2500;
      const loop = async (step: () => Promise<unknown>) => {
        while (Date.now() < end) await step().catch((e: Error) => { errors.push(e.message); });
      };
      const intent = (i: number) => ({ op: 'intent', conversation_id: conv.id, message_id: i, message_text: 'x', handover_needed: false,
        confidence_score: 0, reason: 'none', final_decision: false, model_used: 'test', evidence: {} });
      let n = 0;
      await Promise.all([
        loop(() => acquire(hosts[0], 'host-a')), loop(() => acquire(hosts[0], 'host-a')),
        loop(() => acquire(hosts[1], 'host-b')),
        loop(() => hosts[0].rpc('engine_apply', { p_token: token, p_actions: [intent(++n)], p_lease: 'race' }, SERVICE)),
        loop(() => hosts[0].rpc('engine_apply', { p_token: token, p_actions: [intent(++n)], p_lease: 'race' }, SERVICE)),
        loop(() => hosts[0].rpc('engine_sweep_presence', { p_token: token, p_lease: 'race' }, SERVICE)),
      ]);
      expect(n).toBeGreaterThan(20);
    } finally {
      for (const h of hosts) await h.close();
    }
    expect(errors).toEqual([]);
  });

  it('two engines renewing every few milliseconds while the leader escalates: each conversation escalated exactly once', async () => {
    const logs: string[] = [];
    const dbs = [0, 1].map(() => new PgSharedDb({ connectionString: f.url, poolSize: 4 }));
    const runners = ['host-a', 'host-b'].map((holder, i) => new EngineRunner({
      db: dbs[i], identity: () => SERVICE, clock: systemClock, holder,
      leaseName: 'engine', renewMs: 5, ttlSeconds: 30, sweepMs: 60_000,
      log: (level, message, fields) => { if (level !== 'info') logs.push(`${message} ${JSON.stringify(fields)}`); },
    }));
    try {
      runners[0].start();
      while (!runners[0].isLeader) await new Promise((r) => setTimeout(r, 10));
      runners[1].start();
      const ids: number[] = [];
      for (let i = 0; i < 60; i++) {
        const [c] = await f.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: `r${i}` }, SERVICE);
        ids.push(c.id);
      }
      await Promise.all(ids.map((id) => f.db.rpc('bot_post_message', {
        p_conversation_id: id, p_sender_type: 'ai', p_content: 'Je ne sais pas.', p_ai_context: { max_score: 0.1 },
      }, SERVICE)));
      const end = Date.now() + 15_000;
      let left = ids.length;
      while (left > 0 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 50));
        left = (await f.db.executor.query<{ n: number }>(`select count(*)::int n from support_conversations where id = any($1) and status = 'active'`, [ids])).rows[0].n;
      }
      expect(left).toBe(0);
      const { rows } = await f.db.executor.query<{ n: number }>(
        `select count(*)::int n from conversation_logs where conversation_id = any($1) and metadata ? 'needs_intervention' group by conversation_id`, [ids]);
      expect(rows).toHaveLength(ids.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect(runners[1].isLeader).toBe(false);
    } finally {
      for (const r of runners) await r.stop(false);
      for (const db of dbs) await db.close();
    }
    expect(logs).toEqual([]);
  });

  it('stop waits for a renewal under way, so nothing runs on after the host closes its database', async () => {
    const db = new PgSharedDb({ connectionString: f.url, poolSize: 2 });
    const logs: string[] = [];
    let renewing: (() => void) | null = null;
    // The real database, with each renewal held until the test lets it go: stop() is called while one is under way.
    const slow: SharedDb = {
      kind: db.kind, onWake: (l) => db.onWake(l), onLinkChange: (l) => db.onLinkChange(l), close: () => db.close(),
      rpc: async <T,>(fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]> => {
        if (fn === 'engine_acquire_lease' && runner.isLeader) await new Promise<void>((go) => { renewing = go; });
        return db.rpc<T>(fn, args, as);
      },
    };
    const runner = new EngineRunner({
      db: slow, identity: () => SERVICE, clock: systemClock, holder: 'host-stop', leaseName: 'stop-race', renewMs: 20, sweepMs: 60_000,
      log: (level, message, fields) => { if (level !== 'info') logs.push(`${message} ${JSON.stringify(fields)}`); },
    });
    runner.start();
    while (!renewing) await new Promise((r) => setTimeout(r, 5));
    const stopped = runner.stop(false).then(() => 'stopped');
    // The renewal is still held: stop must not have finished.
    expect(await Promise.race([stopped, new Promise((r) => setTimeout(() => r('waiting'), 100))])).toBe('waiting');
    (renewing as () => void)();
    expect(await stopped).toBe('stopped');
    await db.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(logs).toEqual([]);
  });
});
