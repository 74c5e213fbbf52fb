import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createCore, type Core } from '../../src/core/create-core';
import { SqliteLocalCache } from '../../src/cache/sqlite-cache';
import { cachePathFor } from '../../src/cache/open';
import { openHostCache } from '../../src/cache/host';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { CommandInput, CommandName, CommandOutput, EventName } from '../../src/shared/contract';
import { escalated, FlakyDb, MARIE, repliesIn, tempDir, workspaces, type Workspace } from './support';
import { waitFor } from '../support/wait';


async function call<N extends CommandName>(core: Core, name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as CommandOutput<N>;
}

async function userMessage(ws: Workspace, conversationId: number, content: string): Promise<void> {
  await ws.db.executor.query(`insert into public.support_messages(conversation_id, sender_type, content) values ($1, 'user', $2)`,
    [conversationId, content]);
}

describe.each(workspaces)('the core with an offline cache on %s', (_name, open) => {
  let ws: Workspace;
  const tmp = tempDir();
  beforeAll(async () => { ws = await open(); });
  afterAll(async () => { await ws?.done(); tmp.remove(); });

  function start(db: FlakyDb, cache: SqliteLocalCache): { core: Core; seen: Array<{ name: EventName; payload: unknown }> } {
    const core = createCore({ db, auth: pickAuthenticator(db), cache });
    const seen: Array<{ name: EventName; payload: unknown }> = [];
    core.events.subscribe((name, payload) => seen.push({ name, payload }));
    return { core, seen };
  }

  it('fills the cache at sign-in, follows the feed, then opens and works offline after a restart', async () => {
    const waiting = await escalated(ws.db.executor);
    await userMessage(ws, waiting, 'Je voudrais parler à un conseiller pour ma livraison');
    const mine = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: mine }, MARIE.as);

    const flaky = new FlakyDb(ws.db);
    let cache = SqliteLocalCache.open({ dataDir: tmp.dir });
    let { core } = start(flaky, cache);
    await core.start();
    await call(core, 'session.signIn', { email: 'marie@example.com' });
    await waitFor(() => cache.conversations.get(waiting) && cache.feed.lastSeq() > 0, 10_000, 'bootstrap');
    expect(cache.search('livraison').map((h) => h.conversationId)).toContain(waiting);

    // A new customer message arrives through the feed and becomes searchable.
    await userMessage(ws, mine, 'Mon colis est arrivé abîmé');
    await waitFor(() => cache.search('abime').length > 0, 10_000, 'feed brought the message');
    const hits = await call(core, 'search.messages', { query: 'ABIMÉ' });
    expect(hits.hits[0]).toMatchObject({ conversationId: mine });
    expect(hits.hits[0].segments.find((s) => s.highlighted)?.text).toBe('abîmé');
    await call(core, 'drafts.save', { conversationId: mine, content: 'Je suis désolée' });
    await core.stop();
    cache.close();

    // Restart with the database unreachable: the console opens from the cache.
    flaky.offline = true;
    cache = SqliteLocalCache.open({ dataDir: tmp.dir });
    ({ core } = start(flaky, cache));
    await core.start();
    // Sign-in needs the database on a direct connection; the core still serves what it cached for the last operator.
    await expect(call(core, 'session.signIn', { email: 'marie@example.com' })).rejects.toThrow();
    flaky.offline = false;
    await call(core, 'session.signIn', { email: 'marie@example.com' });
    flaky.offline = true;
    const snap = await call(core, 'cache.snapshot', {});
    expect(snap.waiting.map((c) => c.id)).toContain(waiting);
    expect(snap.mine.map((c) => c.id)).toContain(mine);
    const conv = await call(core, 'cache.conversation', { conversationId: mine });
    expect(conv.messages.map((m) => m.content)).toContain('Mon colis est arrivé abîmé');
    expect(conv.draft).toBe('Je suis désolée');

    // A view kept by readThrough opens offline with what it showed last.
    flaky.offline = false;
    const fetchQueue = () => core.ctx.db.rpc('desk_queue_counts', {}, MARIE.as);
    const online = await core.ctx.offline!.readThrough('queue:counts', fetchQueue);
    expect(online.fromCache).toBe(false);
    flaky.offline = true;
    const offline = await core.ctx.offline!.readThrough('queue:counts', fetchQueue);
    expect(offline).toMatchObject({ fromCache: true, value: online.value });
    await expect(core.ctx.offline!.readThrough('never-kept', fetchQueue)).rejects.toThrow(/ECONNREFUSED/);

    const queued = await call(core, 'outbox.reply', { conversationId: mine, content: 'Je suis désolée, on vous renvoie un colis' });
    expect(queued.state).toBe('queued');
    expect((await call(core, 'cache.conversation', { conversationId: mine })).outbox.map((e) => e.content))
      .toEqual(['Je suis désolée, on vous renvoie un colis']);
    expect(await call(core, 'drafts.get', { conversationId: mine })).toBeNull();

    flaky.offline = false;
    expect(await call(core, 'outbox.retry', {})).toEqual({ pending: 0, rejected: 0 });
    expect(await repliesIn(ws.db.executor, mine)).toEqual(['Je suis désolée, on vous renvoie un colis']);
    await core.stop();
    cache.close();
  });

  it('tells the console when the cache file was unusable and refills it, without crashing', async () => {
    const dir = tempDir();
    try {
      mkdirSync(dirname(cachePathFor(dir.dir)), { recursive: true });
      writeFileSync(cachePathFor(dir.dir), 'garbage'.repeat(1000));
      const cache = openHostCache(dir.dir) as SqliteLocalCache;
      const { core, seen } = start(new FlakyDb(ws.db), cache);
      await core.start();
      expect(seen.find((e) => e.name === 'cache.reset')?.payload).toMatchObject({ reason: 'corrupt' });
      await call(core, 'session.signIn', { email: 'marie@example.com' });
      const status = await waitFor(async () => {
        const s = await call(core, 'cache.status', {});
        return s.conversations > 0 ? s : null;
      }, 10_000, 'refilled');
      expect(status.lastReset?.reason).toBe('corrupt');
      expect(status.path).toBe(cachePathFor(dir.dir));

      const wiped = await call(core, 'cache.wipe', {});
      expect(wiped.available).toBe(true);
      await waitFor(async () => (await call(core, 'cache.status', {})).conversations > 0, 10_000, 'refilled after wipe');
      await call(core, 'cache.settings.set', { retentionDays: 7 });
      expect(await call(core, 'cache.settings.get', {})).toEqual({ retentionDays: 7, maxSizeMb: 200 });
      await core.stop();
      cache.close();
    } finally {
      dir.remove();
    }
  });
});
