import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SqliteLocalCache } from '../../src/cache/sqlite-cache';
import { Outbox, type OutboxRejection } from '../../src/core/sync/outbox';
import type { SharedDb } from '../../src/core/ports/shared-db';
import { PgSharedDb } from '../../src/db/pg-adapter';
import { systemClock } from '../../src/core/ports/clock';
import { CuttableProxy, escalated, FlakyDb, MARIE, PIERRE, repliesIn, tempDir, workspaces, type Workspace } from './support';

function outboxFor(cache: SqliteLocalCache, db: SharedDb, who = MARIE) {
  const rejected: OutboxRejection[] = [];
  const outbox = new Outbox({
    cache, db, clock: systemClock, operator: () => who, newId: randomUUID,
    onRejected: (r) => rejected.push(r),
    onApplied: (item, row) => {
      if (item.kind === 'reply') cache.messages.upsert([{
        id: Number(row.id), conversation_id: Number(row.conversation_id), sender_type: String(row.sender_type),
        admin_id: row.admin_id as string, content: String(row.content), created_at: String(row.created_at),
        client_msg_id: row.client_msg_id as string,
      }]);
    },
    // Retries are driven by the test, not by a timer.
    retry: { initialMs: 3_600_000, maxMs: 3_600_000 },
  });
  return { outbox, rejected };
}

describe.each(workspaces)('outbox on %s', (_name, open) => {
  let ws: Workspace;
  beforeAll(async () => { ws = await open(); });
  afterAll(async () => { await ws?.done(); });

  it('keeps replies written offline and sends them in order, once, when the link returns', async () => {
    const conv = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: conv }, MARIE.as);
    const flaky = new FlakyDb(ws.db);
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    const { outbox } = outboxFor(cache, flaky);

    flaky.offline = true;
    const texts = ['Bonjour, je regarde votre commande', 'Elle part demain', 'Autre chose ?'];
    for (const t of texts) expect((await outbox.reply(conv, t)).state).toBe('queued');
    expect(cache.outbox.counts(MARIE.id)).toEqual({ pending: 3, rejected: 0 });
    expect(await repliesIn(ws.db.executor, conv)).toEqual([]);

    flaky.offline = false;
    await outbox.flush();
    await outbox.flush();
    expect(await repliesIn(ws.db.executor, conv)).toEqual(texts);
    expect(cache.outbox.counts(MARIE.id).pending).toBe(0);
    // Sent replies are in the cache at once, searchable offline.
    expect(cache.search('commande')[0].conversationId).toBe(conv);
    cache.close();
  });

  it('sends a reply once even when the host dies between the send and its acknowledgement', async () => {
    const conv = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: conv }, MARIE.as);
    const tmp = tempDir();
    try {
      const flaky = new FlakyDb(ws.db);
      let cache = SqliteLocalCache.open({ dataDir: tmp.dir });
      const first = outboxFor(cache, flaky);
      flaky.offline = true;
      const other = await escalated(ws.db.executor);
      await first.outbox.reply(conv, 'un');
      await first.outbox.reply(conv, 'deux');
      await first.outbox.claim(other);
      await first.outbox.reply(conv, 'trois');
      await first.outbox.reply(conv, 'quatre');
      flaky.offline = false;
      // The last replies commit on the server, then the host dies before marking them sent.
      const dying = cache;
      let calls = 0;
      flaky.afterCall = (fn) => { if (fn.startsWith('desk_reply') && ++calls === 2) { dying.close(); throw new Error('host killed'); } };
      await expect(first.outbox.flush()).rejects.toThrow();
      first.outbox.stop();
      expect(await repliesIn(ws.db.executor, conv)).toEqual(['un', 'deux', 'trois', 'quatre']);

      // Restart: a new cache on the same file, a new outbox; it still believes the last two unsent.
      flaky.afterCall = null;
      cache = SqliteLocalCache.open({ dataDir: tmp.dir });
      expect(cache.outbox.pending(MARIE.id).map((i) => i.payload.content)).toEqual(['trois', 'quatre']);
      const second = outboxFor(cache, flaky);
      await second.outbox.flush();
      expect(await repliesIn(ws.db.executor, conv)).toEqual(['un', 'deux', 'trois', 'quatre']);
      expect(second.rejected).toEqual([]);
      cache.close();
    } finally {
      tmp.remove();
    }
  });

  it('refuses cleanly a take-over that went stale offline, keeps the reason and the text typed', async () => {
    const conv = await escalated(ws.db.executor);
    const flaky = new FlakyDb(ws.db);
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    const { outbox, rejected } = outboxFor(cache, flaky);
    const other = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: other }, MARIE.as);

    flaky.offline = true;
    expect((await outbox.claim(conv)).state).toBe('queued');
    await outbox.reply(conv, 'Je prends la main');
    await outbox.reply(other, 'Ceci part quand même');
    // Meanwhile, a colleague takes it.
    await ws.db.rpc('desk_claim', { p_conversation_id: conv }, PIERRE.as);

    flaky.offline = false;
    await outbox.flush();
    expect(rejected.map(({ kind, conversationId, code }) => ({ kind, conversationId, code }))).toEqual([
      { kind: 'claim', conversationId: conv, code: 'already_claimed' },
      { kind: 'reply', conversationId: conv, code: 'not_allowed' },
    ]);
    expect(rejected[1].content).toBe('Je prends la main');
    expect(cache.outbox.rejected(MARIE.id).map((i) => i.errorCode)).toEqual(['already_claimed', 'not_allowed']);
    expect(await repliesIn(ws.db.executor, conv)).toEqual([]);
    expect(await repliesIn(ws.db.executor, other)).toEqual(['Ceci part quand même']);
    cache.outbox.dismiss(cache.outbox.rejected(MARIE.id)[0].id);
    expect(cache.outbox.counts(MARIE.id)).toEqual({ pending: 0, rejected: 1 });
    cache.close();
  });

  it('takes a claim or a closure that reached the database before a crash as done, not refused', async () => {
    const conv = await escalated(ws.db.executor);
    const flaky = new FlakyDb(ws.db);
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    const { outbox, rejected } = outboxFor(cache, flaky);
    flaky.afterCall = (fn) => { if (fn === 'desk_claim' || fn === 'desk_resolve') throw new Error('Connection terminated unexpectedly'); };
    expect((await outbox.claim(conv)).state).toBe('queued');
    expect((await outbox.resolve(conv, { resolutionType: 'answered' })).state).toBe('queued');
    flaky.afterCall = null;
    await outbox.flush();
    await outbox.flush();
    expect(rejected).toEqual([]);
    expect(cache.outbox.counts(MARIE.id)).toEqual({ pending: 0, rejected: 0 });
    const { rows } = await ws.db.executor.query<{ status: string }>('select status from support_conversations where id = $1', [conv]);
    expect(rows[0].status).toBe('resolved');
    cache.close();
  });

  it('answers a refusal at once when the operator is online', async () => {
    const conv = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: conv }, PIERRE.as);
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    const { outbox, rejected } = outboxFor(cache, ws.db);
    const out = await outbox.claim(conv);
    expect(out.state).toBe('rejected');
    expect(out.state === 'rejected' && out.error.code).toBe('already_claimed');
    expect(rejected).toHaveLength(1);
    expect(cache.outbox.counts(MARIE.id)).toEqual({ pending: 0, rejected: 0 });
    cache.close();
  });

  it('keeps an unsent draft across a restart', () => {
    const tmp = tempDir();
    try {
      const a = SqliteLocalCache.open({ dataDir: tmp.dir });
      a.drafts.save(MARIE.id, 12, 'Bonjour, je reviens vers vous', new Date().toISOString());
      a.close();
      const b = SqliteLocalCache.open({ dataDir: tmp.dir });
      expect(b.drafts.get(MARIE.id, 12)?.content).toBe('Bonjour, je reviens vers vous');
      expect(b.drafts.get(PIERRE.id, 12)).toBeNull();
      b.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('outbox when the PostgreSQL connection is cut mid-send', () => {
  let ws: Workspace;
  let proxy: CuttableProxy;
  let db: PgSharedDb;
  beforeAll(async () => {
    ws = await workspaces[0][1]();
    const u = new URL(ws.url!);
    proxy = new CuttableProxy({ host: u.hostname, port: Number(u.port || 5432) });
    await proxy.start();
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    db = new PgSharedDb({ connectionString: u.toString(), poolSize: 2, backoff: { initial: 50, max: 200 } });
  });
  afterAll(async () => {
    await db?.close();
    await proxy?.close();
    await ws?.done();
  });

  it('stores every reply exactly once and in order', async () => {
    const conv = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: conv }, MARIE.as);
    const flaky = new FlakyDb(db);
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    const { outbox, rejected } = outboxFor(cache, flaky);
    const texts = Array.from({ length: 30 }, (_, i) => `réponse ${i + 1}`);
    flaky.offline = true;
    for (const t of texts) await outbox.reply(conv, t);
    flaky.offline = false;

    // Cut while the 10th reply is on the wire, and again right after the 20th committed.
    // All 30 go as one batch: the first is cut on the wire, the next committed and then cut before its answer.
    let calls = 0;
    flaky.beforeCall = (fn) => { if (fn.startsWith('desk_reply') && ++calls === 1) setImmediate(() => proxy.cut()); };
    let cutAfterCommit = true;
    flaky.afterCall = (fn) => {
      if (fn.startsWith('desk_reply') && calls >= 2 && cutAfterCommit) { cutAfterCommit = false; proxy.cut(); throw new Error('Connection terminated unexpectedly'); }
    };
    for (let round = 0; round < 20 && cache.outbox.counts(MARIE.id).pending > 0; round++) {
      await outbox.flush();
      proxy.restore();
    }
    expect(cache.outbox.counts(MARIE.id).pending).toBe(0);
    expect(rejected).toEqual([]);
    expect(await repliesIn(ws.db.executor, conv)).toEqual(texts);
    expect(cache.outbox.pending(MARIE.id)).toEqual([]);
    cache.close();
  });
});
