/**
 * Claim race (issue 3, 9a and 9c): 50 operators on 50 connections take over
 * 1,000 escalated conversations through desk_claim, each seeing the shared
 * queue in its own order, as consoles do. Counts double claims and capacity
 * breaches from the database afterwards. Then the peer: the same 1,000 units
 * of work distributed by pg-boss 10 (send, then 50 workers fetch + complete)
 * on the same PostgreSQL in the same run, and the ratio.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import PgBoss from 'pg-boss';
import { PgSharedDb } from '../src/db/pg-adapter';
import { freshPgDatabase } from '../test/support/pg';

const OPERATORS = 50;
const CONVERSATIONS = 1000;
// Exactly enough capacity for every conversation, so operators do hit at_capacity at the end.
const CAPACITY = CONVERSATIONS / OPERATORS;

function shuffled<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function claimRace(url: string, owner: PgSharedDb): Promise<number> {
  const ops: string[] = [];
  for (let i = 0; i < OPERATORS; i++) {
    const id = randomUUID();
    ops.push(id);
    await owner.executor.query('insert into auth.users(id, email) values ($1, $2)', [id, `${id}@bench`]);
    await owner.executor.query(`insert into operators(id, name, email) values ($1, $2, $3)`, [id, `op${i}`, `${id}@bench`]);
    await owner.executor.query(`insert into admin_availability(admin_id, status, max_conversations) values ($1, 'online', $2)`, [id, CAPACITY]);
  }
  const { rows: [bot] } = await owner.executor.query<{ id: number }>(`insert into agents(name) values ('bench') returning id`);
  const { rows } = await owner.executor.query<{ id: number }>(
    `insert into support_conversations(agent_id, session_id, status, escalated_at)
     select $1, 's' || g, 'escalated', now() from generate_series(1, $2) g returning id`, [bot.id, CONVERSATIONS]);
  const ids = rows.map((r) => Number(r.id));

  const db = new PgSharedDb({ connectionString: url, poolSize: OPERATORS });
  const warm = await Promise.all(Array.from({ length: OPERATORS }, () => db.pool.connect()));
  warm.forEach((c) => c.release());
  const taken = new Set<number>();
  const counts = { ok: 0, already_claimed: 0, at_capacity: 0, other: 0 };
  const t0 = performance.now();
  await Promise.all(ops.map(async (op) => {
    for (const id of shuffled(ids)) {
      if (taken.has(id)) continue; // the console has already seen it go, through the feed
      try {
        await db.rpc('desk_claim', { p_conversation_id: id }, { kind: 'operator', operatorId: op });
        taken.add(id);
        counts.ok++;
      } catch (err) {
        const word = /^([a-z_]+)/.exec((err as Error).message)?.[1] ?? 'other';
        if (word === 'already_claimed') { taken.add(id); counts.already_claimed++; }
        else if (word === 'at_capacity') { counts.at_capacity++; return; }
        else { counts.other++; }
      }
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await db.close();

  const { rows: [check] } = await owner.executor.query<{ unclaimed: number; breaches: number; drift: number }>(`
    select
      (select count(*)::int from support_conversations where agent_id = $1 and assigned_admin_id is null) as unclaimed,
      (select count(*)::int from admin_availability a where
         (select count(*) from support_conversations c where c.assigned_admin_id = a.admin_id and c.status = 'human_handling') > a.max_conversations) as breaches,
      (select count(*)::int from admin_availability a where a.current_conversations <>
         (select count(*) from support_conversations c where c.assigned_admin_id = a.admin_id and c.status = 'human_handling')) as drift`,
  [bot.id]);
  const doubleClaims = counts.ok - (CONVERSATIONS - check.unclaimed);
  const rate = counts.ok / seconds;
  console.log(`desk_claim: ${OPERATORS} operators, ${CONVERSATIONS} conversations, capacity ${CAPACITY} each`);
  console.log(`  ${counts.ok} claims in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} claims/s` +
    ` (already_claimed ${counts.already_claimed}, at_capacity ${counts.at_capacity}, other errors ${counts.other})`);
  console.log(`  double claims: ${doubleClaims}; capacity breaches: ${check.breaches}; load drift: ${check.drift}; left unclaimed: ${check.unclaimed}`);
  return rate;
}

/**
 * pg-boss's fetch marks a job active, as a claim marks a conversation taken:
 * that is the rate the target compares with. Completing each job too (the
 * conversation's resolve, not its claim) is shown beside it.
 */
async function pgBossPeer(url: string): Promise<{ fetch: number; fetchComplete: number }> {
  const boss = new PgBoss({ connectionString: url, max: OPERATORS, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  const rate = async (queue: string, complete: boolean): Promise<number> => {
    await boss.createQueue(queue);
    const t0 = performance.now();
    for (let i = 0; i < CONVERSATIONS; i++) await boss.send(queue, { conversationId: i + 1 });
    const sendSeconds = (performance.now() - t0) / 1000;
    let fetched = 0;
    const t1 = performance.now();
    await Promise.all(Array.from({ length: OPERATORS }, async () => {
      for (;;) {
        const jobs = await boss.fetch<{ conversationId: number }>(queue);
        if (jobs.length === 0) return;
        fetched += jobs.length;
        if (complete) await boss.complete(queue, jobs.map((j) => j.id));
      }
    }));
    const seconds = (performance.now() - t1) / 1000;
    console.log(`pg-boss 10 peer: ${CONVERSATIONS} jobs sent in ${sendSeconds.toFixed(2)} s (${(CONVERSATIONS / sendSeconds).toFixed(0)}/s); ` +
      `${OPERATORS} workers ${complete ? 'fetch + complete' : 'fetch'} ${fetched} in ${seconds.toFixed(2)} s = ${(fetched / seconds).toFixed(0)} jobs/s`);
    return fetched / seconds;
  };
  const fetchRate = await rate('bench-claims', false);
  const withComplete = await rate('bench-claims-complete', true);
  await boss.stop({ graceful: false, wait: true });
  return { fetch: fetchRate, fetchComplete: withComplete };
}

export async function run(): Promise<void> {
  const fresh = await freshPgDatabase('desk_bench_claim');
  try {
    const claims = await claimRace(fresh.url, fresh.db);
    const boss = await pgBossPeer(fresh.url);
    console.log(`ratio desk_claim / pg-boss fetch: ${(claims / boss.fetch).toFixed(2)} (target >= 1); ` +
      `/ pg-boss fetch + complete: ${(claims / boss.fetchComplete).toFixed(2)}`);
  } finally {
    await fresh.drop();
  }
}
