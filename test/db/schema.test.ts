import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { ALLOWED_TRANSITIONS, canTransition } from '../../src/shared/conversation-state';
import { CONVERSATION_STATUSES } from '../../src/shared/domain';
import { migrate } from '../../src/db/migrate';
import { PgSharedDb } from '../../src/db/pg-adapter';
import { ADMIN_URL, urlFor } from '../support/pg';
import { ADAPTERS, ANON, as, outcome, Workspace, type Opened } from './fixtures';

const PAIRS = CONVERSATION_STATUSES.flatMap((from) => CONVERSATION_STATUSES.map((to) => [from, to] as const));

describe.each(ADAPTERS)('schema, state machine and RLS on %s', (_name, open) => {
  let ctx: Opened;
  let ws: Workspace;
  beforeAll(async () => { ctx = await open(); ws = new Workspace(ctx.db); });
  afterAll(async () => { await ctx?.done(); });

  it('the TypeScript state machine and the SQL one agree on every pair of statuses', async () => {
    const { rows } = await ctx.db.executor.query<{ f: string; t: string; ok: boolean }>(
      `select f, t, public.desk_status_transition_allowed(f, t) as ok
         from unnest($1::text[]) f cross join unnest($1::text[]) t`, [[...CONVERSATION_STATUSES]]);
    expect(rows).toHaveLength(PAIRS.length);
    for (const r of rows) expect([r.f, r.t, r.ok]).toEqual([r.f, r.t, canTransition(r.f as never, r.t as never)]);
  });

  it('walks every allowed transition on a real conversation', async () => {
    const bot = await ws.bot();
    const op = await ws.operator();
    for (const [from, targets] of Object.entries(ALLOWED_TRANSITIONS)) {
      for (const to of targets) {
        const id = await ws.conversation(bot, 'active');
        if (from !== 'active') await setStatus(id, from, op);
        await setStatus(id, to, op);
        expect((await ws.row<{ status: string }>('select status from support_conversations where id = $1', [id])).status).toBe(to);
      }
    }
  });

  it('refuses forbidden transitions with invalid_status, leaving the row unchanged', async () => {
    const bot = await ws.bot();
    const op = await ws.operator();
    const forbidden = PAIRS.filter(([f, t]) => !canTransition(f, t));
    expect(forbidden.length).toBeGreaterThan(3);
    for (const [from, to] of forbidden) {
      const id = await ws.conversation(bot, 'active');
      if (from !== 'active') await setStatus(id, from, op);
      expect(await outcome(setStatus(id, to, op))).toBe('invalid_status');
      expect((await ws.row<{ status: string }>('select status from support_conversations where id = $1', [id])).status).toBe(from);
    }
  });

  it('enforces the value sets of status, sender, resolution, training and presence', async () => {
    const bot = await ws.bot();
    const id = await ws.conversation(bot);
    const op = await ws.operator();
    const bad = [
      [`insert into support_conversations(agent_id, session_id, status) values ($1, 's', 'waiting')`, [bot]],
      [`update support_conversations set resolution_type = 'solved' where id = $1`, [id]],
      [`update support_conversations set training_status = 'done' where id = $1`, [id]],
      [`insert into support_messages(conversation_id, sender_type, content) values ($1, 'bot', 'x')`, [id]],
      [`update admin_availability set status = 'lunch' where admin_id = $1`, [op]],
      [`insert into learned_responses(agent_id, question, answer, source) values ($1, 'q', 'a', 'guess')`, [bot]],
      [`insert into reply_templates(title, content, language) values ('t', 'c', 'de')`, []],
      [`update support_conversations set status = 'human_handling' where id = $1`, [id]],
    ] as const;
    for (const [sql, params] of bad) {
      expect(await outcome(ctx.db.executor.query(sql, [...params])), sql).not.toBe('ok');
    }
  });

  it('shows an operator the conversations of their bots only; supervisors see all; anon sees nothing', async () => {
    const mine = await ws.bot();
    const other = await ws.bot();
    const restricted = await ws.operator({ agentIds: [mine] });
    const everyBot = await ws.operator({ agentIds: null });
    const supervisor = await ws.operator({ role: 'supervisor', agentIds: [mine] });
    const a = await ws.conversation(mine);
    const b = await ws.conversation(other);
    const seen = async (who: string) => {
      const rows = await ctx.db.executor.transaction(async (tx) => {
        await tx.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
          [JSON.stringify({ sub: who, role: 'authenticated' })]);
        return (await tx.query<{ id: number }>('select id from support_conversations where id = any($1) order by id', [[a, b]])).rows;
      });
      return rows.map((r) => Number(r.id));
    };
    expect(await seen(restricted)).toEqual([a]);
    expect(await seen(everyBot)).toEqual([a, b]);
    expect(await seen(supervisor)).toEqual([a, b]);
    const messages = await ctx.db.executor.transaction(async (tx) => {
      await tx.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: restricted, role: 'authenticated' })]);
      return (await tx.query<{ c: number }>('select count(*)::int as c from support_messages where conversation_id = $1', [b])).rows[0].c;
    });
    expect(messages).toBe(0);
    // A signed-up user without an operator profile sees no bot, no operator, no conversation.
    const stranger = (await ws.row<{ id: string }>(`insert into auth.users(email) values ('x${Date.now()}@example.com') returning id`)).id;
    expect(await seen(stranger)).toEqual([]);
    await expect(ctx.db.executor.transaction(async (tx) => {
      await tx.query(`select set_config('role', 'anon', true)`);
      return tx.query('select * from support_conversations');
    })).rejects.toThrow(/permission denied/);
    expect(await outcome(ctx.db.rpc('desk_claim', { p_conversation_id: a }, ANON))).toBe('permission');
  });

  it('refuses direct INSERT, UPDATE and DELETE by an authenticated operator', async () => {
    const bot = await ws.bot();
    const id = await ws.conversation(bot);
    const op = await ws.operator({ role: 'admin' });
    const tables = ['support_conversations', 'support_messages', 'admin_availability', 'learned_responses',
      'conversation_logs', 'agents', 'operators', 'desk_events', 'desk_feed_inbox', 'reply_templates', 'engine_leases', 'intent_analysis_log'];
    const attempts = [
      `insert into support_messages(conversation_id, sender_type, content) values (${id}, 'admin', 'x')`,
      `update support_conversations set status = 'human_handling', assigned_admin_id = '${op}' where id = ${id}`,
      `delete from support_conversations where id = ${id}`,
      `update admin_availability set max_conversations = 100`,
      `insert into desk_events(kind, entity, id) values ('insert', 'x', '1')`,
      `insert into desk_feed_inbox(kind, entity, id) values ('insert', 'x', '1')`,
      `select * from desk_feed_inbox`,
      ...tables.map((t) => `delete from ${t}`),
    ];
    for (const sql of attempts) {
      const r = await outcome(ctx.db.executor.transaction(async (tx) => {
        await tx.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
          [JSON.stringify({ sub: op, role: 'authenticated' })]);
        await tx.query(sql);
      }));
      expect(r, sql).toBe('permission');
    }
    expect((await ws.row<{ status: string }>('select status from support_conversations where id = $1', [id])).status).toBe('escalated');
    // ...while the same change through the API works.
    expect((await ctx.db.rpc<{ status: string }>('desk_claim', { p_conversation_id: id }, as(op)))[0].status).toBe('human_handling');
  });

  async function setStatus(id: number, status: string, op: string): Promise<void> {
    await ctx.db.executor.query(
      `update support_conversations set status = $2,
         assigned_admin_id = case when $2 = 'human_handling' then $3::uuid when $2 in ('escalated', 'active') then null else assigned_admin_id end,
         resolution_type = case when $2 = 'resolved' then 'answered' else resolution_type end
       where id = $1`, [id, status, op]);
  }
});

describe('realtime publication', () => {
  it('adds the tables to supabase_realtime when the database has that publication', async () => {
    const name = `desk_pub_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const db = new PgSharedDb({ connectionString: urlFor(name), poolSize: 2 });
    try {
      await db.executor.query('create publication supabase_realtime');
      await migrate(db.executor);
      const { rows } = await db.executor.query<{ tablename: string }>(
        `select tablename from pg_publication_tables where pubname = 'supabase_realtime' order by 1`);
      expect(rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['desk_events', 'support_conversations', 'support_messages']));
    } finally {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
