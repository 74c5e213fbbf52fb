/**
 * Reconnect after a long offline stretch: 1,000 replies queued in the cache's
 * outbox are sent to the real PostgreSQL, in order, each once (target <= 2 s).
 * Also a replay of the same 1,000 again (as after a crash that lost every
 * acknowledgement): desk_reply answers each from its client_msg_id.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLocalCache } from '../src/cache/sqlite-cache';
import { systemClock } from '../src/core/ports/clock';
import type { Identity, SharedDb } from '../src/core/ports/shared-db';
import { Outbox } from '../src/core/sync/outbox';
import { CacheSync } from '../src/core/sync/cache-sync';
import { DEMO_OPERATORS, seedDemo } from '../src/db/demo-seed';
import { freshPgDatabase } from '../test/support/pg';

const N = 1_000;

/**
 * An empty (new or reset) cache refilled from the shared database: 10,000
 * conversations and 200,000 messages written straight in SQL (triggers off),
 * then CacheSync.bootstrap as the operator, through row level security.
 */
async function firstFill(db: SharedDb & { executor: import('../src/db/sql-executor').SqlExecutor }, me: { id: string; as: Identity }): Promise<void> {
  await db.executor.transaction(async (tx) => {
    await tx.query(`set local session_replication_role = replica`);
    await tx.query(`insert into support_conversations(agent_id, session_id, status, assigned_admin_id, updated_at, created_at)
      select 1 + (g % 2), 'fill-' || g, (array['escalated','human_handling','resolved','active'])[1 + g % 4],
             case when g % 4 = 1 then $1::uuid end,
             now() - (g % 29) * interval '1 day', now() - (g % 29) * interval '1 day'
      from generate_series(1, 10000) g`, [me.id]);
    await tx.query(`insert into support_messages(conversation_id, sender_type, content, created_at)
      select c.id, (array['user','ai'])[1 + g % 2],
             'Bonjour, où en est ma commande numéro ' || g || ' ? The delivery is late, merci',
             now() - (g % 29) * interval '1 day'
      from generate_series(1, 200000) g
      join lateral (select id from support_conversations where session_id = 'fill-' || (1 + g % 10000)) c on true`);
  });
  const cache = SqliteLocalCache.open({ path: ':memory:' });
  cache.setOwner(me.id);
  const sync = new CacheSync({ cache, db, clock: systemClock, identity: () => me.as });
  const t = performance.now();
  await sync.bootstrap();
  const ms = performance.now() - t;
  console.log(`first fill of an empty cache from PostgreSQL (as the operator, visibility rules applied): ${cache.conversations.count()} conversations, ${cache.messages.count()} messages in ${(ms / 1000).toFixed(1)} s`);
  cache.close();
}

export async function run(): Promise<void> {
  const pg = await freshPgDatabase('desk_bench_replay');
  const dir = mkdtempSync(join(tmpdir(), 'desk-replay-bench-'));
  try {
    await seedDemo(pg.db.executor);
    const me = { id: DEMO_OPERATORS[0].id, as: { kind: 'operator', operatorId: DEMO_OPERATORS[0].id } as Identity };
    const { rows } = await pg.db.executor.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, status) values (1, 'bench', 'escalated') returning id`);
    const conv = Number(rows[0].id);
    await pg.db.rpc('desk_claim', { p_conversation_id: conv }, me.as);

    let offline = true;
    const db: SharedDb = {
      kind: pg.db.kind,
      rpc: (fn, args, as) => (offline ? Promise.reject(new Error('connect ECONNREFUSED')) : pg.db.rpc(fn, args, as)),
      onWake: (l) => pg.db.onWake(l), onLinkChange: (l) => pg.db.onLinkChange(l), close: () => pg.db.close(),
    };
    const cache = SqliteLocalCache.open({ dataDir: dir });
    const outbox = new Outbox({ cache, db, clock: systemClock, operator: () => me, newId: randomUUID, retry: { initialMs: 3_600_000, maxMs: 3_600_000 } });
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await outbox.reply(conv, `Réponse hors ligne numéro ${i + 1}`);
    const queueMs = performance.now() - t0;
    const ids = cache.outbox.pending(me.id).map((i) => ({ ...i }));

    offline = false;
    const t1 = performance.now();
    await outbox.flush();
    const replayMs = performance.now() - t1;
    const { rows: stored } = await pg.db.executor.query<{ n: number; ordered: boolean }>(
      `select count(*)::int as n, bool_and(content = 'Réponse hors ligne numéro ' || rn) as ordered
       from (select content, row_number() over (order by id) as rn from support_messages where conversation_id = $1) t`, [conv]);
    console.log(`queue ${N} replies offline: ${queueMs.toFixed(0)} ms (${(queueMs / N).toFixed(2)} ms each, incl. a failed send attempt)`);
    console.log(`replay ${N} queued replies after reconnect: ${replayMs.toFixed(0)} ms  target <= 2000 ms; stored ${stored[0].n}, in order: ${stored[0].ordered}`);

    // Every acknowledgement lost: the same items again, each answered by its client_msg_id.
    for (const i of ids) cache.outbox.enqueue({ kind: i.kind, conversationId: i.conversationId, clientMsgId: i.clientMsgId, payload: i.payload, operatorId: i.operatorId, createdAt: i.createdAt });
    const t2 = performance.now();
    await outbox.flush();
    const again = performance.now() - t2;
    const { rows: after } = await pg.db.executor.query<{ n: number }>('select count(*)::int as n from support_messages where conversation_id = $1', [conv]);
    console.log(`replay of the same ${N} after lost acknowledgements: ${again.toFixed(0)} ms; still ${after[0].n} messages`);
    outbox.stop();
    cache.close();

    await firstFill(pg.db, me);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pg.drop();
  }
}
