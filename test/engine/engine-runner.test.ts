import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineRunner } from '../../src/core/engine/engine-runner';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import { systemClock } from '../../src/core/ports/clock';
import type { PgSharedDb } from '../../src/db/pg-adapter';
import { freshPgDatabase } from '../support/pg';
import { waitFor } from '../support/wait';

const SERVICE = { kind: 'service' as const };
const [MARIE, PIERRE] = DEMO_OPERATORS.map((o) => o.id);


describe('escalation engine on PostgreSQL', () => {
  let f: Awaited<ReturnType<typeof freshPgDatabase>>;
  let db: PgSharedDb;
  let engine: EngineRunner;
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const q = async <R = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.executor.query<R>(sql, params)).rows;
  // Like desk_heartbeat: the feed lock before the row (the other order can deadlock with an engine write).
  const presence = (id: string, status: string) => db.executor.transaction(async (tx) => {
    await tx.query('select public.desk_feed_lock()');
    await tx.query(`update admin_availability set status = $2, last_seen_at = now() where admin_id = $1`, [id, status]);
  });

  async function conversation(agent: number, session: string): Promise<number> {
    const [c] = await db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: agent, p_session_id: session }, SERVICE);
    return c.id;
  }
  const say = (id: number, sender: 'user' | 'ai', content: string, ai_context?: unknown) =>
    db.rpc<{ id: number }>('bot_post_message', { p_conversation_id: id, p_sender_type: sender, p_content: content, p_ai_context: ai_context }, SERVICE);
  const conv = async (id: number) => (await q<{ status: string; assigned_admin_id: string | null; bot_enabled: boolean; escalation_reason: string; priority: string }>(
    'select * from support_conversations where id = $1', [id]))[0];

  beforeAll(async () => {
    f = await freshPgDatabase('desk_engine');
    db = f.db;
    await seedDemo(db.executor);
    await presence(MARIE, 'online');
    await presence(PIERRE, 'away');
    engine = new EngineRunner({ db, identity: () => SERVICE, clock: systemClock, holder: 'host-a', renewMs: 300, sweepMs: 500,
      log: (level, message, fields) => logs.push({ level, message, fields }) });
    engine.start();
    await waitFor(async () => engine.isLeader);
  });
  afterAll(async () => { await engine?.stop(); await f?.drop(); });

  it('escalates a low RAG score live to the online operator: bot off, system message, seed 000 log row', async () => {
    const id = await conversation(1, 's-low');
    await say(id, 'user', 'Comment annuler une facture validée ?');
    await say(id, 'ai', "Je n'ai pas trouvé d'information fiable...", { max_score: 0.45, rag_results: [{ title: 'Gestion des avoirs', score: 0.45 }] });
    const c = await waitFor(async () => { const c = await conv(id); return c.status !== 'active' && c; });
    expect(c).toMatchObject({ status: 'human_handling', assigned_admin_id: MARIE, bot_enabled: false, escalation_reason: 'low_confidence', priority: 'normal' });
    const [sys] = await q<{ content: string }>(`select content from support_messages where conversation_id = $1 and sender_type = 'system'`, [id]);
    expect(sys.content).toBe('Un conseiller va vous répondre dans quelques instants.');
    const [log] = await q<{ metadata: Record<string, unknown> }>('select metadata from conversation_logs where conversation_id = $1', [id]);
    expect(log.metadata).toMatchObject({ needs_intervention: true, priority: 'normal', reason: 'low_confidence', detected_by: 'desk_engine_v1', max_score: 0.45, threshold: 0.6 });
    expect(Date.parse(log.metadata.detected_at as string)).not.toBeNaN();
    // Human mode: the bot can no longer talk over the operator.
    await expect(say(id, 'ai', 'encore moi')).rejects.toThrow(/^not_allowed/);
  });

  it('logs every intent decision once and hands a user request over', async () => {
    const id = await conversation(2, 's-user');
    const [m] = await say(id, 'user', 'jveux parlé a un conseillé stp');
    const c = await waitFor(async () => { const c = await conv(id); return c.status !== 'active' && c; });
    expect(c.escalation_reason).toBe('user_request');
    const rows = await q<{ handover_needed: boolean; confidence_score: number; model_used: string }>(
      `select * from intent_analysis_log where evidence ->> 'message_id' = $1`, [String(m.id)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ handover_needed: true, model_used: 'local-patterns+nb-v1' });
    expect(rows[0].confidence_score).toBeGreaterThanOrEqual(0.7);
  });

  it('gives high priority to a guardian escalation flagged by the bot', async () => {
    const id = await conversation(2, 's-guardian');
    await db.rpc('bot_log_event', { p_conversation_id: id, p_metadata: { guardian: { action: 'ESCALATE_TO_HUMAN', reason: 'hors périmètre' } } }, SERVICE);
    const c = await waitFor(async () => { const c = await conv(id); return c.status !== 'active' && c; });
    expect(c).toMatchObject({ escalation_reason: 'guardian_escalation', priority: 'high' });
  });

  it('defers when nobody is available, then goes live when an operator comes online', async () => {
    await presence(MARIE, 'busy');
    const id = await conversation(1, 's-deferred');
    await say(id, 'user', 'Problème connexion API');
    await say(id, 'ai', 'Voici ce que je sais.', { max_score: 0.2 });
    const c = await waitFor(async () => { const c = await conv(id); return c.status !== 'active' && c; });
    expect(c).toMatchObject({ status: 'escalated', assigned_admin_id: null, bot_enabled: false });
    const msgs = await q<{ content: string }>(`select content from support_messages where conversation_id = $1 and sender_type = 'system'`, [id]);
    expect(msgs[0].content).toMatch(/pas disponible/);
    await presence(PIERRE, 'online');
    const live = await waitFor(async () => { const c = await conv(id); return c.status === 'human_handling' && c; });
    expect(live.assigned_admin_id).toBe(PIERRE);
    await presence(MARIE, 'online');
  });

  it('logs a malformed row with its id, skips it and carries on', async () => {
    const id = await conversation(2, 's-bad');
    const [bad] = await db.rpc<{ id: number }>('bot_log_event', { p_conversation_id: id, p_metadata: { needs_intervention: true, reason: 'bogus_reason' } }, SERVICE);
    const [badOrder] = await db.rpc<{ id: number }>('bot_log_event', { p_conversation_id: id, p_metadata: { order: { completion_rate: 'lots' } } }, SERVICE);
    await waitFor(async () => logs.some((l) => l.fields?.id === bad.id || l.fields?.id === String(bad.id)));
    await waitFor(async () => logs.some((l) => l.message.includes('malformed') && String(l.fields?.id) === String(badOrder.id)));
    expect((await conv(id)).status).toBe('active');
    // The engine is still alive: a valid request right after is handled.
    const ok = await conversation(2, 's-after-bad');
    await say(ok, 'user', 'I need to speak with a human');
    await waitFor(async () => (await conv(ok)).status !== 'active');
  });

  it('never escalates a completed 4/4 order', async () => {
    const id = await conversation(2, 's-done');
    await db.rpc('bot_log_event', { p_conversation_id: id, p_metadata: { order: { completion_rate: 100, updated_at: '2020-01-01T00:00:00Z', collected: { photo: true, paiement: true, zone: true, tel: true } } } }, SERVICE);
    const marker = await conversation(2, 's-done-marker');
    await say(marker, 'user', 'je veux un humain');
    await waitFor(async () => (await conv(marker)).status !== 'active');
    await engine.sweep();
    expect((await conv(id)).status).toBe('active');
  });

  it('changes nothing when the whole feed is replayed', async () => {
    const snapshot = async () => JSON.stringify(await q(`select
      (select json_agg(json_build_object('id', id, 'status', status, 'a', assigned_admin_id, 'b', bot_enabled, 'u', updated_at) order by id) from support_conversations) c,
      (select count(*) from support_messages) m, (select count(*) from conversation_logs) l, (select count(*) from intent_analysis_log) i`));
    const before = await snapshot();
    // host-a restarts: same holder, so it keeps the lease, and replays the feed from the start.
    await engine.stop(false);
    const replay = new EngineRunner({ db, identity: () => SERVICE, clock: systemClock, holder: 'host-a', log: () => {}, resume: false });
    replay.start();
    await waitFor(async () => replay.isLeader);
    await replay.drain();
    await replay.sweep();
    expect(replay.lastSeq).toBeGreaterThan(10);
    expect(await snapshot()).toBe(before);
    await replay.stop(false);
  });
});

describe('one leader among hosts', () => {
  it('hands over within 15 s when the leader dies, and only the leader acts', async () => {
    const f = await freshPgDatabase('desk_engine_lead');
    const db = f.db;
    const runners: EngineRunner[] = [];
    try {
      await seedDemo(db.executor);
      await db.executor.query(`update admin_availability set status = 'online', last_seen_at = now()`);
      const make = (holder: string) => {
        const r = new EngineRunner({ db, identity: () => SERVICE, clock: systemClock, holder, ttlSeconds: 3, renewMs: 500, sweepMs: 1000, log: () => {} });
        runners.push(r);
        r.start();
        return r;
      };
      const a = make('host-a');
      await waitFor(async () => a.isLeader);
      const b = make('host-b');
      await new Promise((r) => setTimeout(r, 1200));
      expect(b.isLeader).toBe(false);

      // host-a dies without a word: its lease must lapse and host-b take over.
      await a.stop(false);
      const died = Date.now();
      await waitFor(async () => b.isLeader, 15_000);
      expect(Date.now() - died).toBeLessThan(15_000);

      const [c] = await db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: 'after-failover' }, SERVICE);
      await db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'user', p_content: 'Je veux parler à un humain' }, SERVICE);
      await waitFor(async () => (await db.executor.query<{ status: string }>('select status from support_conversations where id = $1', [c.id])).rows[0].status !== 'active');
      const logsRows = await db.executor.query<{ n: number }>(`select count(*)::int n from conversation_logs where conversation_id = $1`, [c.id]);
      expect(logsRows.rows[0].n).toBe(1);
    } finally {
      for (const r of runners) await r.stop(false);
      await f.drop();
    }
  });
});

describe('a page that fails on the link', () => {
  it('is retried, not skipped: the escalation still happens once', async () => {
    const f = await freshPgDatabase('desk_engine_retry');
    const warnings: string[] = [];
    let cut = 2;
    // The engine's database, with the link cut for its first snapshot reads.
    const flaky = Object.assign(Object.create(f.db) as PgSharedDb, {
      rpc: async <T>(fn: string, args: Record<string, unknown>, as: typeof SERVICE): Promise<T[]> => {
        if (fn === 'engine_snapshots' && cut > 0) {
          cut--;
          throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
        }
        return f.db.rpc<T>(fn, args, as);
      },
    });
    const engine = new EngineRunner({ db: flaky, identity: () => SERVICE, clock: systemClock, holder: 'retry', sweepMs: 60_000,
      log: (level, message) => { if (level === 'warn') warnings.push(message); } });
    try {
      await seedDemo(f.db.executor);
      await f.db.executor.query(`update admin_availability set status = 'online', last_seen_at = now()`);
      engine.start();
      await waitFor(async () => engine.isLeader);
      const [c] = await f.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: 'retry' }, SERVICE);
      await f.db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'user', p_content: 'Je veux parler à un humain' }, SERVICE);
      await waitFor(async () => (await f.db.executor.query<{ status: string }>('select status from support_conversations where id = $1', [c.id])).rows[0].status !== 'active');
      expect(cut).toBe(0);
      expect(warnings.some((w) => w.includes('retrying'))).toBe(true);
      const { rows } = await f.db.executor.query<{ n: number }>(`select count(*)::int n from conversation_logs where conversation_id = $1`, [c.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      await engine.stop(false);
      await f.drop();
    }
  });
});
