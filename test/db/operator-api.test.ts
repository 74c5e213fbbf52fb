import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { ADAPTERS, as, outcome, SERVICE, Workspace, type Opened } from './fixtures';

interface Conv { id: number; status: string; assigned_admin_id: string | null; bot_enabled: boolean; training_status: string | null; learned_response_id: number | null }
interface Msg { id: number; content: string; client_msg_id: string; sender_type: string }
interface Ev { seq: number; kind: string; entity: string; id: string; operator_scope: number | null }

describe.each(ADAPTERS)('operator SQL API on %s', (_name, open) => {
  let ctx: Opened;
  let ws: Workspace;
  beforeAll(async () => { ctx = await open(); ws = new Workspace(ctx.db); });
  afterAll(async () => { await ctx?.done(); });
  const call = <T,>(fn: string, args: Record<string, unknown>, who: string) => ctx.db.rpc<T>(fn, args, as(who)).then((r) => r[0]);

  it('heartbeat sets status, capacity and last_seen_at, and validates its input', async () => {
    const op = await ws.operator();
    await ctx.db.executor.query(`update admin_availability set last_seen_at = now() - interval '1 hour' where admin_id = $1`, [op]);
    const row = await call<{ status: string; max_conversations: number; last_seen_at: string }>('desk_heartbeat', { p_status: 'busy', p_max_conversations: 3 }, op);
    expect(row.status).toBe('busy');
    expect(row.max_conversations).toBe(3);
    expect(Date.now() - Date.parse(row.last_seen_at)).toBeLessThan(60_000);
    expect((await call<{ max_conversations: number }>('desk_heartbeat', { p_status: 'online' }, op)).max_conversations).toBe(3);
    expect(await outcome(call('desk_heartbeat', { p_status: 'lunch' }, op))).toBe('invalid_input');
    expect(await outcome(call('desk_heartbeat', { p_status: 'online', p_max_conversations: 101 }, op))).toBe('invalid_input');
    expect(await outcome(call('desk_heartbeat', { p_status: 'online' }, randomUUID()))).toBe('not_operator');
  });

  it('heartbeat puts a load figure written by hand back to the conversations actually held', async () => {
    const bot = await ws.bot();
    const op = await ws.operator();
    await call('desk_claim', { p_conversation_id: await ws.conversation(bot) }, op);
    await ctx.db.executor.query('update admin_availability set current_conversations = 4 where admin_id = $1', [op]);
    expect(await ws.load(op)).toEqual({ current: 4, held: 1 });
    expect((await call<{ current_conversations: number }>('desk_heartbeat', { p_status: 'online' }, op)).current_conversations).toBe(1);
    expect(await ws.load(op)).toEqual({ current: 1, held: 1 });
    // A figure written too low does not make the holder's release fail.
    const second = await ws.conversation(bot);
    await call('desk_claim', { p_conversation_id: second }, op);
    await ctx.db.executor.query('update admin_availability set current_conversations = 0 where admin_id = $1', [op]);
    expect(await outcome(call('desk_release', { p_conversation_id: second }, op))).toBe('ok');
    await call('desk_heartbeat', { p_status: 'online' }, op);
    expect(await ws.load(op)).toEqual({ current: 1, held: 1 });
  });

  it('overview counts each visible bot\'s waiting, in-progress and intervention items, and only the bots the caller may see', async () => {
    const [mine, other] = [await ws.bot(), await ws.bot()];
    const restricted = await ws.operator({ agentIds: [mine] });
    const supervisor = await ws.operator({ role: 'supervisor', agentIds: [mine] });
    const taken = await ws.conversation(mine);
    await Promise.all([ws.conversation(mine), ws.conversation(mine), ws.conversation(mine, 'active'), ws.conversation(other)]);
    await call('desk_claim', { p_conversation_id: taken }, restricted);
    await ctx.db.executor.query(
      `insert into conversation_logs(agent_id, message, metadata, created_at) values
         ($1, 'needs a human', '{"needs_intervention": true}', now()),
         ($1, 'old', '{"needs_intervention": true}', now() - interval '2 days'),
         ($1, 'fine', '{"needs_intervention": false}', now())`, [mine]);
    const overview = async (who: string) => (await ctx.db.rpc<{ id: number; waiting: number; in_progress: number; interventions: number }>(
      'desk_overview', {}, as(who))).filter((b) => b.id === mine || b.id === other)
      .map((b) => ({ bot: b.id === mine ? 'mine' : 'other', waiting: b.waiting, in_progress: b.in_progress, interventions: b.interventions }));
    expect(await overview(restricted)).toEqual([{ bot: 'mine', waiting: 2, in_progress: 1, interventions: 1 }]);
    expect((await overview(supervisor)).sort((a, b) => a.bot.localeCompare(b.bot))).toEqual([
      { bot: 'mine', waiting: 2, in_progress: 1, interventions: 1 },
      { bot: 'other', waiting: 1, in_progress: 0, interventions: 0 },
    ]);
    expect(await ctx.db.rpc('desk_overview', {}, as(randomUUID()))).toEqual([]);
  });

  it('claim takes a waiting conversation, turns the bot off and counts it; a second claim gets already_claimed', async () => {
    const bot = await ws.bot();
    const [marie, pierre] = [await ws.operator(), await ws.operator()];
    const id = await ws.conversation(bot);
    const c = await call<Conv>('desk_claim', { p_conversation_id: id }, marie);
    expect(c).toMatchObject({ id, status: 'human_handling', assigned_admin_id: marie, bot_enabled: false });
    expect(await ws.load(marie)).toEqual({ current: 1, held: 1 });
    expect(await outcome(call('desk_claim', { p_conversation_id: id }, pierre))).toBe('already_claimed');
    expect(await outcome(call('desk_claim', { p_conversation_id: 999_999 }, pierre))).toBe('not_found');
  });

  it('claim refuses an operator at capacity, and a bot the operator is not assigned to', async () => {
    const bot = await ws.bot();
    const otherBot = await ws.bot();
    const op = await ws.operator({ max: 1, agentIds: [bot] });
    await call('desk_claim', { p_conversation_id: await ws.conversation(bot) }, op);
    const next = await ws.conversation(bot);
    expect(await outcome(call('desk_claim', { p_conversation_id: next }, op))).toBe('at_capacity');
    expect((await ws.row<{ status: string }>('select status from support_conversations where id = $1', [next])).status).toBe('escalated');
    expect(await outcome(call('desk_claim', { p_conversation_id: await ws.conversation(otherBot) }, op))).toBe('not_found');
  });

  it('release returns the conversation to the queue; only the holder or a supervisor may release', async () => {
    const bot = await ws.bot();
    const [holder, other, supervisor] = [await ws.operator(), await ws.operator(), await ws.operator({ role: 'supervisor' })];
    const id = await ws.conversation(bot);
    await call('desk_claim', { p_conversation_id: id }, holder);
    expect(await outcome(call('desk_release', { p_conversation_id: id }, other))).toBe('not_allowed');
    expect(await call<Conv>('desk_release', { p_conversation_id: id }, holder)).toMatchObject({ status: 'escalated', assigned_admin_id: null });
    expect(await ws.load(holder)).toEqual({ current: 0, held: 0 });
    expect(await outcome(call('desk_release', { p_conversation_id: id }, holder))).toBe('invalid_status');
    await call('desk_claim', { p_conversation_id: id }, other);
    expect((await call<Conv>('desk_release', { p_conversation_id: id }, supervisor)).status).toBe('escalated');
  });

  it('reply is idempotent on client_msg_id and refused to anyone not holding the conversation', async () => {
    const bot = await ws.bot();
    const [holder, other] = [await ws.operator(), await ws.operator()];
    const id = await ws.conversation(bot);
    const msgId = randomUUID();
    expect(await outcome(call('desk_reply', { p_conversation_id: id, p_client_msg_id: msgId, p_content: 'Bonjour' }, holder))).toBe('not_allowed');
    await call('desk_claim', { p_conversation_id: id }, holder);
    const first = await call<Msg>('desk_reply', { p_conversation_id: id, p_client_msg_id: msgId, p_content: 'Bonjour, je regarde.' }, holder);
    expect(first).toMatchObject({ sender_type: 'admin', content: 'Bonjour, je regarde.', client_msg_id: msgId });
    const replay = await call<Msg>('desk_reply', { p_conversation_id: id, p_client_msg_id: msgId, p_content: 'Bonjour, je regarde.' }, holder);
    expect(replay).toEqual(first);
    const count = await ws.row<{ n: number }>(`select count(*)::int as n from support_messages where conversation_id = $1 and sender_type = 'admin'`, [id]);
    expect(count.n).toBe(1);
    expect(await outcome(call('desk_reply', { p_conversation_id: id, p_client_msg_id: randomUUID(), p_content: 'x' }, other))).toBe('not_allowed');
    for (const content of ['', '   ', 'x'.repeat(10_001)]) {
      expect(await outcome(call('desk_reply', { p_conversation_id: id, p_client_msg_id: randomUUID(), p_content: content }, holder))).toBe('invalid_input');
    }
    expect(await outcome(call('desk_reply', { p_conversation_id: id, p_client_msg_id: randomUUID(), p_content: 'x'.repeat(10_000) }, holder))).toBe('ok');
  });

  it('resolve with a learned answer creates a pending human_support learned response; review approves and indexes it', async () => {
    const bot = await ws.bot();
    const [op, supervisor] = [await ws.operator(), await ws.operator({ role: 'supervisor' })];
    const id = await ws.conversation(bot, 'escalated', 'Comment annuler une facture validée ?');
    await call('desk_claim', { p_conversation_id: id }, op);
    const resolved = await call<Conv & { resolution_type: string }>('desk_resolve', {
      p_conversation_id: id, p_resolution_type: 'answered', p_notes: 'ok', p_learned_answer: 'Créez un avoir.' }, op);
    expect(resolved).toMatchObject({ status: 'resolved', resolution_type: 'answered', training_status: 'pending' });
    expect(await ws.load(op)).toEqual({ current: 0, held: 0 });
    const lr = await ws.row<{ id: number; question: string; status: string; source: string; support_conversation_id: number }>(
      'select * from learned_responses where support_conversation_id = $1', [id]);
    expect(lr).toMatchObject({ question: 'Comment annuler une facture validée ?', status: 'pending', source: 'human_support' });

    expect(await outcome(call('desk_review_learned_response', { p_id: lr.id, p_decision: 'approve' }, op))).toBe('not_allowed');
    expect(await outcome(call('desk_review_learned_response', { p_id: lr.id, p_decision: 'maybe' }, supervisor))).toBe('invalid_input');
    const approved = await call<{ status: string; answer: string; reviewed_by: string }>('desk_review_learned_response',
      { p_id: lr.id, p_decision: 'approve', p_answer: 'Facturation > Avoirs > Nouveau.' }, supervisor);
    expect(approved).toMatchObject({ status: 'approved', answer: 'Facturation > Avoirs > Nouveau.', reviewed_by: supervisor });
    expect(await ws.row('select training_status, learned_response_id from support_conversations where id = $1', [id]))
      .toEqual({ training_status: 'indexed', learned_response_id: lr.id });
    expect(await outcome(call('desk_review_learned_response', { p_id: lr.id, p_decision: 'reject' }, supervisor))).toBe('invalid_status');
    expect(await outcome(call('desk_resolve', { p_conversation_id: id, p_resolution_type: 'answered' }, op))).toBe('invalid_status');
  });

  it('resolve without a learned answer marks training rejected; bad types and strangers are refused', async () => {
    const bot = await ws.bot();
    const [op, other] = [await ws.operator(), await ws.operator()];
    const id = await ws.conversation(bot);
    await call('desk_claim', { p_conversation_id: id }, op);
    expect(await outcome(call('desk_resolve', { p_conversation_id: id, p_resolution_type: 'solved' }, op))).toBe('invalid_input');
    expect(await outcome(call('desk_resolve', { p_conversation_id: id, p_resolution_type: 'duplicate' }, other))).toBe('not_allowed');
    expect(await call<Conv>('desk_resolve', { p_conversation_id: id, p_resolution_type: 'duplicate' }, op))
      .toMatchObject({ status: 'resolved', training_status: 'rejected' });
  });

  it('set_bot_enabled is the holder\'s switch', async () => {
    const bot = await ws.bot();
    const [op, other] = [await ws.operator(), await ws.operator()];
    const id = await ws.conversation(bot);
    await call('desk_claim', { p_conversation_id: id }, op);
    expect((await call<Conv>('desk_set_bot_enabled', { p_conversation_id: id, p_enabled: true }, op)).bot_enabled).toBe(true);
    expect(await outcome(call('desk_set_bot_enabled', { p_conversation_id: id, p_enabled: false }, other))).toBe('not_allowed');
  });

  it('events_since returns what the caller may see, in seq order, and a sparse reader still advances', async () => {
    const mine = await ws.bot();
    const other = await ws.bot();
    const restricted = await ws.operator({ agentIds: [mine] });
    const head = Number((await ctx.db.rpc<number>('desk_feed_head', {}, SERVICE))[0]);
    const a = await ws.conversation(mine);
    for (let i = 0; i < 30; i++) await ws.conversation(other);
    const all = await ctx.db.rpc<Ev>('desk_events_since', { p_seq: head, p_limit: 5000 }, SERVICE);
    const seen = await ctx.db.rpc<Ev>('desk_events_since', { p_seq: head, p_limit: 500 }, as(restricted));
    const data = seen.filter((e) => e.kind !== 'skip');
    expect(data.map((e) => e.seq)).toEqual([...data.map((e) => e.seq)].sort((x, y) => x - y));
    expect(data.some((e) => e.entity === 'support_conversations' && e.id === String(a))).toBe(true);
    expect(data.every((e) => e.operator_scope === null || e.operator_scope === mine)).toBe(true);
    // Nothing visible after our conversation: the last row tells the reader how far the scan went.
    expect(seen.at(-1)).toMatchObject({ kind: 'skip', entity: 'desk_events', seq: all.at(-1)!.seq });
    expect(await ctx.db.rpc('desk_events_since', { p_seq: all.at(-1)!.seq, p_limit: 10 }, as(restricted))).toEqual([]);
    // Paging: small pages in a row give the same events as one big page.
    let cursor = head;
    const paged: number[] = [];
    for (;;) {
      const page = await ctx.db.rpc<Ev>('desk_events_since', { p_seq: cursor, p_limit: 7 }, SERVICE);
      if (page.length === 0) break;
      paged.push(...page.map((e) => e.seq));
      cursor = page.at(-1)!.seq;
    }
    expect(paged).toEqual(all.map((e) => e.seq));
  });
});
