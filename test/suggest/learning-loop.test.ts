import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import type { SharedDb } from '../../src/core/ports/shared-db';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { freshPgDatabase, freshPglite } from '../support/pg';

// The learning loop on the real PostgreSQL and on the embedded PGlite.
const adapters: Array<[string, () => Promise<{ db: SharedDb & { executor: SqlExecutor }; done(): Promise<void> }>]> = [
  ['postgres', async () => { const f = await freshPgDatabase('desk_suggest'); return { db: f.db, done: f.drop }; }],
  ['pglite', async () => { const db = await freshPglite(); return { db, done: () => db.close() }; }],
];

const marie = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[0].id }; // supervisor
const pierre = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[1].id };
const bot = { kind: 'service' as const };

interface Match { id: number; question: string; answer: string; score: number }

describe.each(adapters)('learning loop on %s', (_name, open) => {
  let ctx: Awaited<ReturnType<typeof open>>;
  let n = 0;

  /** A conversation pierre holds, with the customer's question, as the engine would leave it. */
  async function heldConversation(question: string): Promise<number> {
    const { rows } = await ctx.db.executor.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, status, escalated_at) values (1, $1, 'escalated', now()) returning id`,
      [`s-${++n}`]);
    const id = Number(rows[0].id);
    await ctx.db.executor.query(`insert into support_messages(conversation_id, sender_type, content) values ($1, 'user', $2)`, [id, question]);
    await ctx.db.rpc('desk_claim', { p_conversation_id: id }, pierre);
    return id;
  }

  async function resolveWithAnswer(question: string, answer: string): Promise<number> {
    const conv = await heldConversation(question);
    await ctx.db.rpc('desk_resolve', {
      p_conversation_id: conv, p_resolution_type: 'answered', p_learned_answer: answer,
    }, pierre);
    const [lr] = await ctx.db.rpc<{ id: number }>('training_items', { p_status: 'pending' }, marie);
    return Number(lr.id);
  }

  beforeAll(async () => {
    ctx = await open();
    await seedDemo(ctx.db.executor);
    await ctx.db.rpc('desk_heartbeat', { p_status: 'online' }, pierre);
  });
  afterAll(async () => { await ctx?.done(); });

  it('answers a paraphrase with the approved answer of an operator, and counts the escalation avoided', async () => {
    const answer = 'Créez un avoir : Facturation > Avoirs > Nouveau, puis sélectionnez la facture.';
    const id = await resolveWithAnswer('Comment annuler une facture validée ?', answer);

    // Pending: bots do not get it yet.
    expect(await ctx.db.rpc<Match>('match_learned_response', { p_agent_id: 1, p_question: "je veux annuler ma facture deja validee" }, bot)).toEqual([]);

    await ctx.db.rpc('desk_review_learned_response', { p_id: id, p_decision: 'approve' }, marie);
    const conv = await ctx.db.rpc<{ training_status: string; learned_response_id: number }>(
      'suggest_conversation', { p_conversation_id: 1 }, marie);
    expect(conv.length).toBeGreaterThan(0);

    const matches = await ctx.db.rpc<Match>('match_learned_response', { p_agent_id: 1, p_question: 'je veux annuler ma facture deja validee' }, bot);
    expect(matches[0]).toMatchObject({ id, answer });
    const [min] = await ctx.db.rpc<number>('learned_answer_min_score', { p_agent_id: 1 }, bot);
    expect(matches[0].score).toBeGreaterThanOrEqual(min);

    // Another bot never gets this bot's answers.
    expect(await ctx.db.rpc<Match>('match_learned_response', { p_agent_id: 2, p_question: 'annuler une facture validée' }, bot)).toEqual([]);

    // Asking is not answering: only the answer the bot posts counts as an escalation avoided.
    const avoided = async () => (await ctx.db.rpc<{ id: number; avoided: number; use_count: number }>('training_items', { p_status: 'indexed' }, marie))
      .find((i) => Number(i.id) === Number(id))!;
    expect(await avoided()).toMatchObject({ avoided: 0, use_count: 0 });
    const [c] = await ctx.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: `reuse-${++n}` }, bot);
    await ctx.db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'user', p_content: 'je veux annuler ma facture deja validee' }, bot);
    const [posted] = await ctx.db.rpc<{ id: number }>('bot_post_message', {
      p_conversation_id: c.id, p_sender_type: 'ai', p_content: answer, p_ai_context: { learned_response_id: Number(id), max_score: matches[0].score },
    }, bot);
    expect(await avoided()).toMatchObject({ status: 'indexed', avoided: 1, use_count: 1 });
    const effect = await ctx.db.rpc<{ agent_id: number; approved: number; avoided: number }>('training_effect', {}, marie);
    expect(effect.find((e) => Number(e.agent_id) === 1)).toMatchObject({ approved: 1, avoided: 1 });
    const { rows: uses } = await ctx.db.executor.query<{ message_id: string; question: string }>(
      'select message_id::text as message_id, question from learned_response_uses where learned_response_id = $1', [id]);
    expect(uses).toEqual([{ message_id: String(posted.id), question: 'je veux annuler ma facture deja validee' }]);
    const { rows } = await ctx.db.executor.query<{ training_status: string; learned_response_id: string }>(
      'select training_status, learned_response_id from support_conversations where learned_response_id = $1', [id]);
    expect(rows[0].training_status).toBe('indexed');
  });

  it('matches English questions through accents, stems and synonyms, and ignores unrelated ones', async () => {
    const id = await resolveWithAnswer('How do I reset my password?', 'Click "Forgot password" on the sign-in screen.');
    await ctx.db.rpc('desk_review_learned_response', { p_id: id, p_decision: 'approve' }, marie);
    const hits = await ctx.db.rpc<Match>('match_learned_response', { p_agent_id: 1, p_question: 'resetting my passcode' }, bot);
    expect(hits[0]?.id).toBe(id);
    expect(await ctx.db.rpc<Match>('match_learned_response', { p_agent_id: 1, p_question: 'Quels sont vos horaires ?' }, bot)).toEqual([]);
  });

  it('offers a near-duplicate question as a merge, and the merge links the conversation to the kept answer', async () => {
    const kept = (await ctx.db.rpc<{ id: number; question: string }>('training_items', { p_status: 'indexed' }, marie))
      .find((i) => i.question.startsWith('Comment annuler'))!;
    const dup = await resolveWithAnswer('comment annuler une facture deja validée', 'Faites un avoir.');
    const [pending] = await ctx.db.rpc<{ id: number; similar_id: number; similar_score: number }>('training_items', { p_status: 'pending' }, marie);
    expect(pending).toMatchObject({ id: dup, similar_id: kept.id });
    expect(pending.similar_score).toBeGreaterThanOrEqual(0.6);

    const similar = await ctx.db.rpc<{ id: number }>('learned_response_similar', { p_agent_id: 1, p_question: 'Annuler une facture validée' }, pierre);
    expect(similar.map((s) => Number(s.id))).toContain(Number(kept.id));

    await expect(ctx.db.rpc('learned_response_merge', { p_id: dup, p_into: kept.id }, pierre)).rejects.toThrow(/^not_allowed/);
    const merged = await ctx.db.rpc<{ id: number; answer: string }>('learned_response_merge',
      { p_id: dup, p_into: kept.id, p_answer: 'Créez un avoir depuis Facturation > Avoirs.' }, marie);
    expect(merged[0]).toMatchObject({ id: kept.id, answer: 'Créez un avoir depuis Facturation > Avoirs.' });
    const counts = await ctx.db.rpc<{ pending: number; rejected: number; indexed: number }>('training_counts', {}, marie);
    expect(counts[0]).toMatchObject({ pending: 0, rejected: 1, indexed: 2 });
    const { rows } = await ctx.db.executor.query<{ learned_response_id: string; training_status: string }>(
      `select c.learned_response_id::text as learned_response_id, c.training_status from support_conversations c
        join learned_responses l on l.support_conversation_id = c.id where l.id = $1`, [dup]);
    expect(rows[0]).toMatchObject({ learned_response_id: String(kept.id), training_status: 'indexed' });
  });

  it('has one reuse threshold per bot, never below its escalation threshold, and counts no answer naming another bot’s response', async () => {
    const min = async (agent: number) => Number((await ctx.db.rpc<number>('learned_answer_min_score', { p_agent_id: agent }, bot))[0]);
    expect(await min(1)).toBeCloseTo(0.75);
    await ctx.db.executor.query('update agents set learned_answer_min_score = 0.9 where id = 2');
    expect(await min(2)).toBeCloseTo(0.9);
    await ctx.db.executor.query('update agents set learned_answer_min_score = 0.3, escalation_threshold = 0.65 where id = 2');
    expect(await min(2)).toBeCloseTo(0.65);
    await ctx.db.executor.query('update agents set learned_answer_min_score = null, escalation_threshold = 0.6 where id = 2');

    const [lr] = await ctx.db.rpc<{ id: number }>('training_items', { p_status: 'indexed', p_agent_id: 1 }, marie);
    const before = await ctx.db.executor.query<{ n: string }>('select count(*)::text as n from learned_response_uses');
    const [c] = await ctx.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 2, p_session_id: `other-${++n}` }, bot);
    await ctx.db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'ai', p_content: 'Bonjour', p_ai_context: { learned_response_id: Number(lr.id) } }, bot);
    const after = await ctx.db.executor.query<{ n: string }>('select count(*)::text as n from learned_response_uses');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('keeps the training view to supervisors and admins, and bots without the service role out', async () => {
    await expect(ctx.db.rpc('training_items', {}, pierre)).rejects.toThrow(/^not_allowed/);
    await expect(ctx.db.rpc('match_learned_response', { p_agent_id: 1, p_question: 'facture' }, { kind: 'anon' }))
      .rejects.toThrow(/permission denied/);
  });

  it('uses the same synonym groups as the suggestions (data/suggest/synonyms.json)', async () => {
    const file = JSON.parse(readFileSync(new URL('../../data/suggest/synonyms.json', import.meta.url), 'utf8')) as { groups: string[][] };
    const { rows } = await ctx.db.executor.query<{ entry: string; canonical: string }>('select entry, canonical from suggest_synonyms');
    const sql = new Map(rows.map((r) => [r.entry, r.canonical]));
    const fold = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim();
    const missing = file.groups.flatMap((g, i) => g.filter((e) => sql.get(fold(e)) !== `syn${i}x`));
    expect(missing, 'synonyms.json changed: add a 002x migration that updates suggest_synonyms').toEqual([]);
  });
});
