/**
 * Feed fan-out (issue 3, 9b): one writer commits 200 changes a second; 20
 * hosts, each with its own pool and LISTEN connection, follow the feed with
 * FeedSync as a supervisor would. Latency = from the writer's commit being
 * acknowledged to each host's onEvents callback receiving that change.
 */
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { FeedSync } from '../src/core/sync/feed';
import { systemClock } from '../src/core/ports/clock';
import { PgSharedDb } from '../src/db/pg-adapter';
import { freshPgDatabase } from '../test/support/pg';
import { percentile, summary } from './stats';

const HOSTS = 20;
const RATE = 200; // changes per second
const SECONDS = 5;

export async function run(): Promise<void> {
  const fresh = await freshPgDatabase('desk_bench_feed');
  const hosts: Array<{ db: PgSharedDb; sync: FeedSync }> = [];
  try {
    const supervisor = randomUUID();
    await fresh.db.executor.query('insert into auth.users(id, email) values ($1, $2)', [supervisor, 'sup@bench']);
    await fresh.db.executor.query(`insert into operators(id, name, email, role) values ($1, 'sup', 'sup@bench', 'supervisor')`, [supervisor]);
    const { rows: [bot] } = await fresh.db.executor.query<{ id: number }>(`insert into agents(name) values ('bench') returning id`);
    const start = Number((await fresh.db.executor.query<{ s: number }>('select coalesce(max(seq), 0) as s from desk_events')).rows[0].s);

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const perHost: number[][] = [];
    const perHostIds: string[][] = [];
    let received = 0;
    for (let h = 0; h < HOSTS; h++) {
      const mine: number[] = [];
      const ids: string[] = [];
      perHost.push(mine);
      perHostIds.push(ids);
      const db = new PgSharedDb({ connectionString: fresh.url, poolSize: 1 });
      const sync = new FeedSync({
        db, clock: systemClock, startSeq: start, pollMs: 60_000,
        identity: () => ({ kind: 'operator', operatorId: supervisor }),
        onState: () => {},
        onEvents: (events) => {
          const now = performance.now();
          // A host can be called back before the writer has even handled its own commit reply: match up at the end.
          for (const e of events) if (e.entity === 'conversation_logs') { mine.push(now); ids.push(e.id); received++; }
        },
      });
      hosts.push({ db, sync });
      sync.start();
    }
    await new Promise((r) => setTimeout(r, 500)); // every LISTEN connection up

    const writer = await fresh.db.pool.connect();
    const total = RATE * SECONDS;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // One autocommit statement: its reply comes back once the change is committed.
      const { rows } = await writer.query<{ id: number }>(`insert into conversation_logs(agent_id, message) values ($1, 'x') returning id`, [bot.id]);
      sentAt.set(String(rows[0].id), performance.now());
    }
    const achieved = total / ((performance.now() - t0) / 1000);
    writer.release();
    const deadline = performance.now() + 10_000;
    while (received < total * HOSTS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    const hostLatencies = perHost.map((times, h) => times.map((t, i) => t - (sentAt.get(perHostIds[h][i]) ?? NaN)));
    for (const l of hostLatencies) latencies.push(...l);
    console.log(`${HOSTS} hosts following one writer at ${RATE} changes/s for ${SECONDS} s (achieved ${achieved.toFixed(0)}/s)`);
    console.log(`  delivered ${received} of ${total * HOSTS} (change x host)`);
    console.log(`  commit -> callback: ${summary(latencies)}`);
    console.log(`  (negative = the host saw the change before the writer handled its commit reply; min ${Math.min(...latencies).toFixed(2)}ms)`);
    const hostP99 = hostLatencies.map((l) => percentile(l, 99));
    console.log(`  worst host p99 ${Math.max(...hostP99).toFixed(2)}ms, best host p99 ${Math.min(...hostP99).toFixed(2)}ms (target p99 <= 20ms)`);
  } finally {
    for (const h of hosts) { h.sync.stop(); await h.db.close(); }
    await fresh.drop();
  }
}
