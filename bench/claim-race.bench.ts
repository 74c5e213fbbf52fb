/**
 * Claim race (issue 3, 9a and 9c): 50 operators on 50 connections take over
 * 1,000 escalated conversations through desk_claim, each seeing the shared
 * queue in its own order, as consoles do. Counts double claims and capacity
 * breaches from the database afterwards. Then the peer: the same 1,000 units
 * of work distributed by pg-boss 10 (send, then 50 workers fetch) on the same
 * PostgreSQL, and the ratio.
 *
 * Both sides first run one uncounted round (a desktop's pool and a worker's
 * pool live for hours: a connection's first calls, which plan and compile,
 * are not the rate), then ROUNDS timed rounds alternately, so a slow spell on
 * this shared machine hits both. Each round has its own units of work: new
 * conversations, a new queue. The medians and the median of the per-round
 * ratios are the figures.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import PgBoss from 'pg-boss';
import { PgSharedDb } from '../src/db/pg-adapter';
import { freshPgDatabase } from '../test/support/pg';

const OPERATORS = 50;
const CONVERSATIONS = 1000;
const ROUNDS = 7;
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface RoundCheck { doubleClaims: number; breaches: number; drift: number; unclaimed: number }

/** One round: fresh operators and conversations, the same warm pool. */
async function claimRound(owner: PgSharedDb, db: PgSharedDb, conversations: number, capacity: number):
  Promise<{ rate: number; line: string; check: RoundCheck }> {
  const ops: string[] = [];
  for (let i = 0; i < OPERATORS; i++) {
    const id = randomUUID();
    ops.push(id);
    await owner.executor.query('insert into auth.users(id, email) values ($1, $2)', [id, `${id}@bench`]);
    await owner.executor.query(`insert into operators(id, name, email) values ($1, $2, $3)`, [id, `op${i}`, `${id}@bench`]);
    await owner.executor.query(`insert into admin_availability(admin_id, status, max_conversations) values ($1, 'online', $2)`, [id, capacity]);
  }
  const { rows: [bot] } = await owner.executor.query<{ id: number }>(`insert into agents(name) values ('bench') returning id`);
  const { rows } = await owner.executor.query<{ id: number }>(
    `insert into support_conversations(agent_id, session_id, status, escalated_at)
     select $1, 's' || g, 'escalated', now() from generate_series(1, $2) g returning id`, [bot.id, conversations]);
  const ids = rows.map((r) => Number(r.id));

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

  const { rows: [check] } = await owner.executor.query<{ unclaimed: number; breaches: number; drift: number }>(`
    select
      (select count(*)::int from support_conversations where agent_id = $1 and assigned_admin_id is null) as unclaimed,
      (select count(*)::int from admin_availability a where
         (select count(*) from support_conversations c where c.assigned_admin_id = a.admin_id and c.status = 'human_handling') > a.max_conversations) as breaches,
      (select count(*)::int from admin_availability a where a.current_conversations <>
         (select count(*) from support_conversations c where c.assigned_admin_id = a.admin_id and c.status = 'human_handling')) as drift`,
  [bot.id]);
  const rate = counts.ok / seconds;
  return {
    rate,
    line: `${counts.ok} claims in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} claims/s` +
      ` (already_claimed ${counts.already_claimed}, at_capacity ${counts.at_capacity}, other errors ${counts.other})`,
    check: { doubleClaims: counts.ok - (conversations - check.unclaimed), breaches: check.breaches, drift: check.drift, unclaimed: check.unclaimed },
  };
}

/** pg-boss's fetch marks a job active, as a claim marks a conversation taken: that is the rate the target compares with. */
async function fetchRound(boss: PgBoss, queue: string, jobs: number): Promise<{ rate: number; line: string }> {
  // A queue of its own per round (pg-boss 10 gives each queue its own partition), as each claim round has its own conversations.
  await boss.createQueue(queue);
  const t0 = performance.now();
  for (let i = 0; i < jobs; i++) await boss.send(queue, { conversationId: i + 1 });
  const sendSeconds = (performance.now() - t0) / 1000;
  const ids: string[] = [];
  const t1 = performance.now();
  await Promise.all(Array.from({ length: OPERATORS }, async () => {
    for (;;) {
      const got = await boss.fetch<{ conversationId: number }>(queue);
      if (got.length === 0) return;
      for (const j of got) ids.push(j.id);
    }
  }));
  const seconds = (performance.now() - t1) / 1000;
  const fetched = ids.length;

  return {
    rate: fetched / seconds,
    line: `${jobs} jobs sent in ${sendSeconds.toFixed(2)} s; ${OPERATORS} workers fetch ${fetched} in ${seconds.toFixed(2)} s = ${(fetched / seconds).toFixed(0)} jobs/s`,
  };
}

export async function run(): Promise<void> {
  const fresh = await freshPgDatabase('desk_bench_claim');
  const db = new PgSharedDb({ connectionString: fresh.url, poolSize: OPERATORS });
  const boss = new PgBoss({ connectionString: fresh.url, max: OPERATORS, supervise: false, schedule: false });
  boss.on('error', () => {});
  try {
    await boss.start();
    // The uncounted round.
    await claimRound(fresh.db, db, CONVERSATIONS, CAPACITY);
    await fetchRound(boss, 'bench-warm-up', CONVERSATIONS);

    console.log(`desk_claim: ${OPERATORS} operators, ${CONVERSATIONS} conversations, capacity ${CAPACITY} each; ` +
      `pg-boss 10: ${OPERATORS} workers, ${CONVERSATIONS} jobs; ${ROUNDS} rounds, alternated`);
    const claims: number[] = [];
    const fetches: number[] = [];
    const ratios: number[] = [];
    const total: RoundCheck = { doubleClaims: 0, breaches: 0, drift: 0, unclaimed: 0 };
    for (let r = 1; r <= ROUNDS; r++) {
      const c = await claimRound(fresh.db, db, CONVERSATIONS, CAPACITY);
      const f = await fetchRound(boss, `bench-claims-${r}`, CONVERSATIONS);
      claims.push(c.rate);
      fetches.push(f.rate);
      ratios.push(c.rate / f.rate);
      for (const k of Object.keys(total) as Array<keyof RoundCheck>) total[k] += c.check[k];
      console.log(`  round ${r}: desk_claim ${c.line}`);
      console.log(`           pg-boss ${f.line}; ratio ${(c.rate / f.rate).toFixed(2)}`);
    }
    console.log(`  over ${ROUNDS} rounds: double claims ${total.doubleClaims}; capacity breaches ${total.breaches}; ` +
      `load drift ${total.drift}; left unclaimed ${total.unclaimed}`);
    console.log(`median desk_claim ${median(claims).toFixed(0)} claims/s; median pg-boss fetch ${median(fetches).toFixed(0)} jobs/s; ` +
      `median ratio ${median(ratios).toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; target >= 1)`);
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await db.close();
    await fresh.drop();
  }
}
