import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Identity, SharedDb } from '../../src/core/ports/shared-db';
import { toDeskError } from '../../src/shared/errors';
import { ADAPTERS, as, Workspace } from './fixtures';
import { waitFor } from '../support/wait';

/**
 * One contract, every adapter: what the core relies on from a SharedDb,
 * exercised only through the port as the signed-in operator. pg and PGlite
 * always run; Supabase runs when SUPABASE_URL, SUPABASE_ANON_KEY,
 * SUPABASE_TEST_EMAIL and SUPABASE_TEST_PASSWORD are set.
 */
interface Harness {
  db: SharedDb;
  me: Identity;
  /** A waiting conversation the operator may take; absent where the suite cannot write as the owner. */
  waitingConversation?: () => Promise<number>;
  done(): Promise<void>;
}

const harnesses: Array<[string, () => Promise<Harness>]> = ADAPTERS.map(([name, open]) => [name, async () => {
  const ctx = await open();
  const ws = new Workspace(ctx.db);
  const bot = await ws.bot();
  const me = await ws.operator({ max: 10 });
  return { db: ctx.db, me: as(me), waitingConversation: () => ws.conversation(bot), done: ctx.done };
}]);

const env = process.env;
if (env.SUPABASE_URL && env.SUPABASE_ANON_KEY && env.SUPABASE_TEST_EMAIL && env.SUPABASE_TEST_PASSWORD) {
  harnesses.push(['supabase', async () => {
    const { SupabaseSharedDb } = await import('../../src/db/supabase-adapter');
    const db = new SupabaseSharedDb(env.SUPABASE_URL!, env.SUPABASE_ANON_KEY!);
    const id = await db.authenticator().signIn(env.SUPABASE_TEST_EMAIL!, env.SUPABASE_TEST_PASSWORD!);
    return { db, me: as(id), done: () => db.close() };
  }]);
} else {
  console.log('SharedDb contract suite: Supabase NOT run (set SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_TEST_EMAIL and SUPABASE_TEST_PASSWORD to run it).');
}

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => toDeskError(err).code);

describe.each(harnesses)('SharedDb contract on %s', (name, open) => {
  let h: Harness;
  beforeAll(async () => { h = await open(); });
  afterAll(async () => { await h?.done(); });

  it('identifies the signed-in operator', async () => {
    const [me] = await h.db.rpc<{ id: string; role: string }>('desk_whoami', {}, h.me);
    expect(me.id).toBe((h.me as { operatorId: string }).operatorId);
  });

  it('returns scalars as one value and maps SQL code words to typed errors', async () => {
    const [head] = await h.db.rpc<number>('desk_feed_head', {}, h.me);
    expect(typeof head).toBe('number');
    expect(await code(h.db.rpc('desk_heartbeat', { p_status: 'lunch' }, h.me))).toBe('invalid_input');
    expect(await code(h.db.rpc('engine_check_lease', { p_name: `none-${randomUUID()}`, p_token: 1 }, h.me))).toBe('lease_lost');
    expect(await code(h.db.rpc('desk_claim', { p_conversation_id: 2 ** 40 }, h.me))).toBe('not_found');
  });

  it('reports the link up and wakes followers after a change, which desk_events_since then returns', async () => {
    const [head] = await h.db.rpc<number>('desk_feed_head', {}, h.me);
    let wakes = 0;
    let up = false;
    const offWake = h.db.onWake(() => { wakes++; });
    const offLink = h.db.onLinkChange((u) => { if (u) up = true; });
    try {
      await waitFor(() => up);
      const before = wakes;
      const [row] = await h.db.rpc<{ id: number }>('desk_heartbeat', { p_status: 'online', p_max_conversations: 10 }, h.me);
      await waitFor(() => wakes > before);
      const events = await h.db.rpc<{ seq: number; entity: string; id: string }>('desk_events_since', { p_seq: head, p_limit: 500 }, h.me);
      expect(events.some((e) => e.entity === 'admin_availability' && e.id === String(row.id))).toBe(true);
      expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    } finally {
      offWake();
      offLink();
    }
  });

  it('takes over, replies idempotently and resolves a conversation', async () => {
    if (!h.waitingConversation) {
      console.log(`SharedDb contract on ${name}: take-over case needs a waiting conversation written as the owner; not run here.`);
      return;
    }
    const id = await h.waitingConversation();
    const [claimed] = await h.db.rpc<{ status: string }>('desk_claim', { p_conversation_id: id }, h.me);
    expect(claimed.status).toBe('human_handling');
    const msg = { p_conversation_id: id, p_client_msg_id: randomUUID(), p_content: 'Bonjour !' };
    const [first] = await h.db.rpc('desk_reply', msg, h.me);
    const [again] = await h.db.rpc('desk_reply', msg, h.me);
    expect(again).toEqual(first);
    const nasty = `l'avoir \\ "x" \\' ); drop table support_messages; -- é€ 🙂 $1 $$`;
    const [echo] = await h.db.rpc<{ content: string }>('desk_reply', { p_conversation_id: id, p_client_msg_id: randomUUID(), p_content: nasty }, h.me);
    expect(echo.content).toBe(nasty);
    const [done] = await h.db.rpc<{ status: string }>('desk_resolve', { p_conversation_id: id, p_resolution_type: 'answered' }, h.me);
    expect(done.status).toBe('resolved');
  });
});
