import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../src/core/create-core';
import { SqliteLocalCache } from '../../src/cache/sqlite-cache';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { CommandInput, CommandName, CommandOutput, EventName } from '../../src/shared/contract';
import { unreachable } from '../../src/core/api/queue-handlers';
import { toDeskError, type DeskErrorData } from '../../src/shared/errors';
import { escalated, FlakyDb, MARIE, PIERRE, repliesIn, tempDir, workspaces, type Workspace } from './support';
import { waitFor } from '../support/wait';


/**
 * The console's own commands (conversation.*) on a host with an offline
 * cache: what an operator does while the shared database is unreachable is
 * queued, replayed once, or refused with its reason; conversations open
 * from the cache.
 */
describe.each(workspaces)('console commands through the offline cache on %s', (_name, open) => {
  let ws: Workspace;
  let flaky: FlakyDb;
  let cache: SqliteLocalCache;
  let core: Core;
  const seen: Array<{ name: EventName; payload: unknown }> = [];
  const tmp = tempDir();

  const invoke = async <N extends CommandName>(name: N, input: CommandInput<N>) =>
    core.invoke(name, input) as Promise<{ ok: true; value: CommandOutput<N> } | { ok: false; error: DeskErrorData }>;
  const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
    const r = await invoke(name, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const userSays = (id: number, content: string) =>
    ws.db.executor.query(`insert into public.support_messages(conversation_id, sender_type, content) values ($1, 'user', $2)`, [id, content]);

  beforeAll(async () => {
    ws = await open();
    flaky = new FlakyDb(ws.db);
    cache = SqliteLocalCache.open({ dataDir: tmp.dir });
    core = createCore({ db: flaky, auth: pickAuthenticator(flaky), cache });
    core.events.subscribe((name, payload) => seen.push({ name, payload }));
    await core.start();
    await call('session.signIn', { email: 'marie@example.com' });
  });
  afterAll(async () => {
    await core?.stop();
    cache?.close();
    await ws?.done();
    tmp.remove();
  });

  it('queues a reply sent while the database is unreachable and stores it once when the link returns', async () => {
    const id = await escalated(ws.db.executor);
    await call('conversation.claim', { conversationId: id });
    await call('drafts.save', { conversationId: id, content: 'Bonjour, je regarde' });

    flaky.offline = true;
    const clientMsgId = randomUUID();
    const first = await invoke('conversation.reply', { conversationId: id, clientMsgId, content: 'Bonjour, je regarde votre commande' });
    expect(first).toMatchObject({ ok: false, error: { code: 'offline', details: { queued: true, clientMsgId } } });
    // The console retrying the same message while still offline does not queue a second copy.
    await invoke('conversation.reply', { conversationId: id, clientMsgId, content: 'Bonjour, je regarde votre commande' });
    const kept = await call('cache.conversation', { conversationId: id });
    expect(kept.outbox.map((e) => [e.kind, e.clientMsgId, e.content])).toEqual([['reply', clientMsgId, 'Bonjour, je regarde votre commande']]);
    expect(kept.draft).toBeNull();
    expect(seen.filter((e) => e.name === 'outbox.changed').at(-1)?.payload).toEqual({ pending: 1, rejected: 0 });

    flaky.offline = false;
    expect(await call('outbox.retry', {})).toEqual({ pending: 0, rejected: 0 });
    expect(await repliesIn(ws.db.executor, id)).toEqual(['Bonjour, je regarde votre commande']);
    // Sending it again once online answers with the stored message, still once in the database.
    const again = await call('conversation.reply', { conversationId: id, clientMsgId, content: 'Bonjour, je regarde votre commande' });
    expect(again).toMatchObject({ client_msg_id: clientMsgId, sender_type: 'admin' });
    expect(await repliesIn(ws.db.executor, id)).toHaveLength(1);
  });

  it('opens conversations from the cache while offline: one seen before, and one only synced', async () => {
    const seenBefore = await escalated(ws.db.executor);
    await userSays(seenBefore, 'Ma facture est fausse');
    const online = await call('conversation.get', { conversationId: seenBefore });
    expect(online.cachedAt ?? null).toBeNull();
    const synced = await escalated(ws.db.executor);
    await userSays(synced, 'Où est mon colis ?');
    // The feed copies new conversations and messages into the cache in the background.
    await waitFor(() => cache.messages.forConversation(synced).length > 0, 10_000, 'the feed copied the new conversation');
    await userSays(seenBefore, 'Et le montant aussi');
    await waitFor(() => cache.messages.forConversation(seenBefore).some((m) => m.content === 'Et le montant aussi'), 10_000, 'the feed copied the message');

    flaky.offline = true;
    try {
      const kept = await call('conversation.get', { conversationId: seenBefore });
      expect(kept.cachedAt).toBeTruthy();
      expect(kept.conversation.agent_name).toBe(online.conversation.agent_name);
      expect(kept.messages.map((m) => m.content)).toEqual(expect.arrayContaining(['Ma facture est fausse', 'Et le montant aussi']));
      const copied = await call('conversation.get', { conversationId: synced });
      expect(copied.cachedAt).toBeTruthy();
      expect(copied.conversation.status).toBe('escalated');
      expect(copied.messages.map((m) => m.content)).toContain('Où est mon colis ?');
      const unknown = await invoke('conversation.get', { conversationId: 999_999 });
      expect(unknown.ok).toBe(false);
    } finally {
      flaky.offline = false;
    }
  });

  it('serves the last queue read while offline, and says offline (not an error) for what it cannot serve', async () => {
    const id = await escalated(ws.db.executor);
    const online = await call('queue.list', { tab: 'waiting' });
    expect(online.items.map((i) => i.id)).toContain(id);
    const firstPage = await call('queue.list', { tab: 'waiting', limit: 1 });
    // After the read, the console follows changes as patched rows: one more arrives, the first is taken by a colleague.
    const later = await escalated(ws.db.executor);
    await ws.db.rpc('desk_claim', { p_conversation_id: id }, PIERRE.as);
    await call('queue.rows', { conversationIds: [id, later], messageIds: [] });

    flaky.offline = true;
    try {
      const kept = await call('queue.list', { tab: 'waiting' });
      expect(kept.items.map((i) => i.id)).toEqual([...online.items.map((i) => i.id).filter((x) => x !== id), later]);
      expect((await call('queue.list', { tab: 'waiting', limit: 1 })).items).toHaveLength(firstPage.items.length);
      // Never read online: nothing kept, so the link's state, which the console does not raise as an error.
      expect(await invoke('queue.list', { tab: 'deferred' })).toMatchObject({ ok: false, error: { code: 'offline' } });
      expect(await invoke('queue.rows', { conversationIds: [id], messageIds: [] })).toMatchObject({ ok: false, error: { code: 'offline' } });
      expect(await invoke('queue.summary', {})).toMatchObject({ ok: false, error: { code: 'offline' } });
    } finally {
      flaky.offline = false;
    }
    expect(await invoke('queue.list', { tab: 'waiting' })).toMatchObject({ ok: true });
    // A refusal by the database itself (a SQLSTATE) stays an error; a dead socket is the link.
    expect(toDeskError(unreachable(Object.assign(new Error('permission denied'), { code: '42501' }))).code).toBe('internal');
    expect(toDeskError(unreachable(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).code).toBe('offline');
  });

  it('offline, a tab read online only in part is served from what was read, and from the whole tab the host kept while idle', async () => {
    await escalated(ws.db.executor);
    await escalated(ws.db.executor);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let firstTwo: number[];
    try {
      // The console read the first rows only; more exist, so the host keeps the whole tab once the console goes quiet.
      firstTwo = (await call('queue.list', { tab: 'waiting', limit: 2 })).items.map((i) => i.id!);
      expect(firstTwo).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(15_000);
    } finally {
      vi.useRealTimers();
    }
    const whole = (await ws.db.rpc<{ id: number }>('desk_queue', { p_tab: 'waiting', p_limit: 5000 }, { kind: 'operator', operatorId: MARIE.id }))
      .map((r) => Number(r.id));
    await waitFor(async () => (cache.snapshots.load<{ rows: unknown[] }>('queue:waiting:5000')?.data.rows.length ?? 0) === whole.length);

    flaky.offline = true;
    try {
      // A size never read online is cut from the whole tab kept meanwhile.
      expect((await call('queue.list', { tab: 'waiting', limit: 250 })).items.map((i) => i.id)).toEqual(whole.slice(0, 250));
      expect((await call('queue.list', { tab: 'waiting', limit: 5000 })).items.map((i) => i.id)).toEqual(whole);
      expect((await call('queue.list', { tab: 'waiting', limit: 2 })).items.map((i) => i.id)).toEqual(firstTwo);
    } finally {
      flaky.offline = false;
    }
  });

  it('refuses a take-over queued offline when a colleague took the conversation meanwhile, with the reason', async () => {
    const id = await escalated(ws.db.executor);
    flaky.offline = true;
    const r = await invoke('conversation.claim', { conversationId: id });
    expect(r).toMatchObject({ ok: false, error: { code: 'offline', details: { queued: true } } });
    await ws.db.rpc('desk_claim', { p_conversation_id: id }, PIERRE.as);

    flaky.offline = false;
    expect(await call('outbox.retry', {})).toEqual({ pending: 0, rejected: 1 });
    const refusal = seen.find((e) => e.name === 'outbox.rejected')?.payload;
    expect(refusal).toMatchObject({ kind: 'claim', conversationId: id, code: 'already_claimed' });
    const { entries } = await call('outbox.list', {});
    expect(entries).toEqual([expect.objectContaining({ kind: 'claim', state: 'rejected', errorCode: 'already_claimed' })]);
    expect(await call('outbox.dismiss', { id: entries[0].id })).toEqual({ pending: 0, rejected: 0 });
  });

  it('replays a closure queued offline in order after the replies before it', async () => {
    const id = await escalated(ws.db.executor);
    await call('conversation.claim', { conversationId: id });
    flaky.offline = true;
    for (const content of ['Voici la procédure', 'Bonne journée']) {
      const r = await invoke('conversation.reply', { conversationId: id, clientMsgId: randomUUID(), content });
      expect(r.ok).toBe(false);
    }
    const closing = await invoke('conversation.resolve', { conversationId: id, resolutionType: 'answered', notes: 'traité hors ligne' });
    expect(closing).toMatchObject({ ok: false, error: { code: 'offline', details: { queued: true } } });

    flaky.offline = false;
    expect(await call('outbox.retry', {})).toEqual({ pending: 0, rejected: 0 });
    expect(await repliesIn(ws.db.executor, id)).toEqual(['Voici la procédure', 'Bonne journée']);
    const { rows } = await ws.db.executor.query<{ status: string; resolution_type: string; assigned_admin_id: string }>(
      'select status, resolution_type, assigned_admin_id from support_conversations where id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'resolved', resolution_type: 'answered', assigned_admin_id: MARIE.id });
  });
});
