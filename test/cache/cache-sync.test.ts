import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLocalCache } from '../../src/cache/sqlite-cache';
import { CacheSync } from '../../src/core/sync/cache-sync';
import type { FeedEvent } from '../../src/core/ports/shared-db';
import { systemClock } from '../../src/core/ports/clock';
import { escalated, MARIE, PIERRE, workspaces, type Workspace } from './support';

describe.each(workspaces)('filling and following the cache on %s', (_name, open) => {
  let ws: Workspace;
  beforeAll(async () => { ws = await open(); });
  afterAll(async () => { await ws?.done(); });

  const say = async (conversationId: number, content: string) =>
    ws.db.executor.query(`insert into support_messages(conversation_id, sender_type, content) values ($1, 'user', $2)`, [conversationId, content]);

  it('copies only what the operator may see', async () => {
    const support = await escalated(ws.db.executor, 1);
    const orders = await escalated(ws.db.executor, 2);
    await say(support, 'question support');
    await say(orders, 'question commande');
    // Pierre handles the order bot only.
    await ws.db.executor.query(`update admin_availability set agent_ids = '[2]' where admin_id = $1`, [PIERRE.id]);
    try {
      const cache = SqliteLocalCache.open({ path: ':memory:' });
      cache.setOwner(PIERRE.id);
      const head = await new CacheSync({ cache, db: ws.db, clock: systemClock, identity: () => PIERRE.as }).bootstrap();
      expect(head).toBeGreaterThan(0);
      expect(cache.conversations.get(orders)).not.toBeNull();
      expect(cache.conversations.get(support)).toBeNull();
      expect(cache.search('question').map((h) => h.conversationId)).toEqual([orders]);
      cache.close();
    } finally {
      await ws.db.executor.query(`update admin_availability set agent_ids = null where admin_id = $1`, [PIERRE.id]);
    }
  });

  it('fills an empty cache page by page, every row once', async () => {
    // More than two pages of each (pages of 500: a page's write holds the host's event loop).
    await ws.db.executor.query(`
      with c as (
        insert into support_conversations(agent_id, session_id, status, escalation_reason, escalated_at)
        select 1, 'paged-' || g, 'escalated', 'user_request', now() from generate_series(1, 1100) g returning id)
      insert into support_messages(conversation_id, sender_type, content) select id, 'user', 'page ' || id from c`);
    const { rows } = await ws.db.executor.query<{ n: number }>('select count(*)::int as n from support_conversations');
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.setOwner(MARIE.id);
    await new CacheSync({ cache, db: ws.db, clock: systemClock, identity: () => MARIE.as }).bootstrap();
    expect(cache.conversations.count()).toBe(rows[0].n);
    expect(cache.messages.count()).toBeGreaterThanOrEqual(1_100);
    expect(cache.search('page').length).toBeGreaterThan(0);
    cache.close();
  });

  it('fetches what the feed says changed, and drops what was deleted', async () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.setOwner(MARIE.id);
    const sync = new CacheSync({ cache, db: ws.db, clock: systemClock, identity: () => MARIE.as });
    const from = await sync.bootstrap() ?? 0;
    const conv = await escalated(ws.db.executor);
    await say(conv, 'premier message');
    const events = await ws.db.rpc<FeedEvent>('desk_events_since', { p_seq: from, p_limit: 500 }, MARIE.as);
    sync.record(events);
    expect(cache.feed.lastSeq()).toBe(events.at(-1)!.seq);
    await sync.refresh();
    expect(cache.conversations.get(conv)?.status).toBe('escalated');
    expect(cache.messages.forConversation(conv).map((m) => m.content)).toEqual(['premier message']);
    expect(cache.feed.dirty(10)).toEqual([]);

    await ws.db.executor.query('delete from support_conversations where id = $1', [conv]);
    const more = await ws.db.rpc<FeedEvent>('desk_events_since', { p_seq: cache.feed.lastSeq(), p_limit: 500 }, MARIE.as);
    sync.record(more);
    await sync.refresh();
    expect(cache.conversations.get(conv)).toBeNull();
    expect(cache.search('premier')).toEqual([]);
    cache.close();
  });

  it('keeps the changes to fetch when the link is down, and fetches them later', async () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.setOwner(MARIE.id);
    let down = false;
    const db = { ...ws.db, kind: ws.db.kind, rpc: <T>(fn: string, args: Record<string, unknown>, as: typeof MARIE.as) =>
      (down ? Promise.reject(new Error('connect ECONNREFUSED')) : ws.db.rpc<T>(fn, args, as)) };
    const sync = new CacheSync({ cache, db, clock: systemClock, identity: () => MARIE.as });
    const from = await sync.bootstrap() ?? 0;
    const conv = await escalated(ws.db.executor);
    await say(conv, 'pendant la coupure');
    const events = await ws.db.rpc<FeedEvent>('desk_events_since', { p_seq: from, p_limit: 500 }, MARIE.as);
    down = true;
    sync.record(events);
    await sync.refresh();
    expect(cache.conversations.get(conv)).toBeNull();
    expect(cache.feed.dirty(10).length).toBeGreaterThan(0);
    down = false;
    await sync.refresh();
    expect(cache.messages.forConversation(conv).map((m) => m.content)).toEqual(['pendant la coupure']);
    cache.close();
  });
});
