import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, as, outcome, SERVICE, Workspace, type Opened } from './fixtures';

interface Presence { admin_id: string; status: string; stored_status: string; stale: boolean }

describe.each(ADAPTERS)('presence and engine lease on %s', (_name, open) => {
  let ctx: Opened;
  let ws: Workspace;
  beforeAll(async () => { ctx = await open(); ws = new Workspace(ctx.db); });
  afterAll(async () => { await ctx?.done(); });

  const at = (secondsFromNow: number) => new Date(Date.now() + secondsFromNow * 1000).toISOString();
  const lease = async (name: string, holder: string, ttl = 30) =>
    (await ctx.db.rpc<number | null>('engine_acquire_lease', { p_name: name, p_holder: holder, p_ttl_seconds: ttl }, SERVICE))[0];
  const expire = (name: string) => ctx.db.executor.query(`update engine_leases set expires_at = now() - interval '1 second' where name = $1`, [name]);

  it('a row not seen for 45 s reads as offline', async () => {
    const op = await ws.operator();
    await ctx.db.rpc('desk_heartbeat', { p_status: 'online' }, as(op));
    const read = async (secs: number) =>
      (await ctx.db.rpc<Presence>('desk_presence', { p_now: at(secs) }, as(op))).find((p) => p.admin_id === op)!;
    expect(await read(30)).toMatchObject({ status: 'online', stale: false });
    expect(await read(50)).toMatchObject({ status: 'offline', stored_status: 'online', stale: true });
  });

  it('the sweep marks a stale operator offline and requeues their conversations with a system message, history kept', async () => {
    const bot = await ws.bot();
    const [gone, here] = [await ws.operator(), await ws.operator()];
    const held = [await ws.conversation(bot), await ws.conversation(bot)];
    const kept = await ws.conversation(bot);
    for (const id of held) await ctx.db.rpc('desk_claim', { p_conversation_id: id }, as(gone));
    await ctx.db.rpc('desk_claim', { p_conversation_id: kept }, as(here));
    await ctx.db.rpc('desk_reply', { p_conversation_id: held[0], p_client_msg_id: crypto.randomUUID(), p_content: 'Je regarde.' }, as(gone));
    await ctx.db.executor.query(`update admin_availability set last_seen_at = now() - interval '10 minutes' where admin_id = $1`, [gone]);

    const token = await lease('engine', 'sweeper');
    // The clock moves 30 s: the other operator, seen just now, is not stale.
    const sweep = async () => (await ctx.db.rpc<{ admin_id: string }>('engine_sweep_presence', { p_token: token, p_now: at(30) }, SERVICE))
      .filter((r) => r.admin_id === gone || r.admin_id === here);
    expect(await sweep()).toEqual([{ admin_id: gone, requeued: held }]);
    expect(await sweep()).toEqual([]);

    const rows = await ctx.db.executor.query<{ id: number; status: string; assigned_admin_id: string | null }>(
      'select id, status, assigned_admin_id from support_conversations where id = any($1) order by id', [[...held, kept]]);
    expect(rows.rows.map((r) => [Number(r.id), r.status, r.assigned_admin_id])).toEqual([
      [held[0], 'escalated', null], [held[1], 'escalated', null], [kept, 'human_handling', here]]);
    expect(await ws.row('select status, current_conversations from admin_availability where admin_id = $1', [gone]))
      .toEqual({ status: 'offline', current_conversations: 0 });
    const history = await ctx.db.executor.query<{ sender_type: string }>(
      'select sender_type from support_messages where conversation_id = $1 order by id', [held[0]]);
    expect(history.rows.map((r) => r.sender_type)).toEqual(['user', 'admin', 'system']);
    // Another operator can take the requeued conversation at once.
    expect(await outcome(ctx.db.rpc('desk_claim', { p_conversation_id: held[0] }, as(here)))).toBe('ok');
  });

  it('the sweep runs only with the current lease token', async () => {
    const token = await lease('sweep-guard', 'a');
    expect(await outcome(ctx.db.rpc('engine_sweep_presence', { p_token: token! + 1, p_lease: 'sweep-guard' }, SERVICE))).toBe('lease_lost');
  });

  it('one of 10 racing holders gets the lease; after expiry a new holder gets a higher token; the old token is refused', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => lease('race', `holder-${i}`)));
    const winners = results.filter((t) => t !== null);
    expect(winners).toHaveLength(1);
    const first = winners[0]!;
    const holder = `holder-${results.indexOf(first)}`;
    // Renewal by the holder keeps the token; someone else still gets nothing.
    expect(await lease('race', holder)).toBe(first);
    expect(await lease('race', 'late')).toBeNull();
    expect(await outcome(ctx.db.rpc('engine_check_lease', { p_name: 'race', p_token: first }, SERVICE))).toBe('ok');

    await expire('race');
    const second = await lease('race', 'successor');
    expect(second).toBeGreaterThan(first);
    expect(await outcome(ctx.db.rpc('engine_check_lease', { p_name: 'race', p_token: first }, SERVICE))).toBe('lease_lost');
    expect(await outcome(ctx.db.rpc('engine_sweep_presence', { p_token: first, p_lease: 'race' }, SERVICE))).toBe('lease_lost');
    expect(await outcome(ctx.db.rpc('engine_sweep_presence', { p_token: second, p_lease: 'race' }, SERVICE))).toBe('ok');
  });

  it('an operator desktop may hold the lease; anonymous callers may not', async () => {
    const op = await ws.operator();
    const token = (await ctx.db.rpc<number>('engine_acquire_lease', { p_name: 'desk', p_holder: 'desktop-1', p_ttl_seconds: 10 }, as(op)))[0];
    expect(token).toBeGreaterThan(0);
    expect(await outcome(ctx.db.rpc('engine_acquire_lease', { p_name: 'desk', p_holder: 'x', p_ttl_seconds: 10 }, { kind: 'anon' }))).toBe('permission');
    expect(await outcome(ctx.db.rpc('engine_acquire_lease', { p_name: 'desk', p_holder: 'x', p_ttl_seconds: 0 }, as(op)))).toBe('invalid_input');
  });
});
