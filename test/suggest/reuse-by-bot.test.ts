import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DemoBot, ragQuestion } from '../../src/core/engine/demo-bot';
import { EngineRunner } from '../../src/core/engine/engine-runner';
import { systemClock } from '../../src/core/ports/clock';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import type { PgSharedDb } from '../../src/db/pg-adapter';
import { freshPgDatabase } from '../support/pg';
import { waitFor as waitUntil } from '../support/wait';

// Issue 7 item 3, end to end on the real PostgreSQL with the escalation engine running: what an
// operator answered, once a supervisor approves it, is what the demo bot answers next time.
const SERVICE = { kind: 'service' as const };
const marie = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[0].id }; // supervisor
const pierre = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[1].id };
const WEAK = "Je n'ai pas trouvé d'information fiable pour répondre à cette question.";
const ANSWER = 'Une facture validée ne se supprime pas : créez un avoir (Facturation > Avoirs > Nouveau) et sélectionnez la facture.';

const waitFor = <T,>(fn: () => Promise<T | null | undefined | false>, ms = 20_000) => waitUntil(fn, ms);

describe('a bot reuses an approved operator answer (PostgreSQL, engine running)', () => {
  let f: Awaited<ReturnType<typeof freshPgDatabase>>;
  let db: PgSharedDb;
  let engine: EngineRunner;
  let bot: DemoBot;
  let n = 0;

  const conv = async (id: number) => (await db.executor.query<{ status: string; escalated_at: string | null; bot_enabled: boolean; assigned_admin_id: string | null }>(
    'select status, escalated_at, bot_enabled, assigned_admin_id from support_conversations where id = $1', [id])).rows[0];
  const messages = async (id: number) => (await db.executor.query<{ sender_type: string; content: string }>(
    'select sender_type, content from support_messages where conversation_id = $1 order by id', [id])).rows;

  /** The demo bot's own RAG flow for one customer question: a learned answer if one is close enough, else a weak answer. */
  async function ask(question: string): Promise<number> {
    const [c] = await db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: `reuse-e2e-${++n}` }, SERVICE);
    const ctx = { db, conversationId: Number(c.id), bot };
    for (const step of ragQuestion(question, WEAK, 0.45, [['Gestion des avoirs', 0.45]])) await step(ctx);
    return Number(c.id);
  }

  beforeAll(async () => {
    f = await freshPgDatabase('desk_reuse');
    db = f.db;
    await seedDemo(db.executor);
    await db.rpc('desk_heartbeat', { p_status: 'online' }, pierre);
    bot = new DemoBot({ db, log: () => {} });
    engine = new EngineRunner({ db, identity: () => SERVICE, clock: systemClock, holder: 'reuse-e2e', renewMs: 300, sweepMs: 500, log: () => {} });
    engine.start();
    await waitFor(async () => engine.isLeader);
  });
  afterAll(async () => { await engine?.stop(); await f?.drop(); });

  it('escalates the first question, learns the operator’s answer, then answers a paraphrase without escalating', async () => {
    // 1. Nothing learned yet: the bot's weak answer is escalated to the online operator.
    const first = await ask('Comment annuler une facture validée ?');
    await waitFor(async () => (await conv(first)).status === 'human_handling');
    expect(await conv(first)).toMatchObject({ assigned_admin_id: pierre.operatorId, bot_enabled: false });

    // 2. Pierre answers and closes with a learned response; Marie approves it from the training view's API.
    await db.rpc('desk_reply', { p_conversation_id: first, p_client_msg_id: randomUUID(), p_content: ANSWER }, pierre);
    await db.rpc('desk_resolve', { p_conversation_id: first, p_resolution_type: 'answered', p_learned_answer: ANSWER }, pierre);
    const [pending] = await db.rpc<{ id: number; question: string }>('training_items', { p_status: 'pending' }, marie);
    expect(pending.question).toBe('Comment annuler une facture validée ?');
    await db.rpc('desk_review_learned_response', { p_id: pending.id, p_decision: 'approve' }, marie);

    // 3. A paraphrase: the bot answers with the learned answer itself.
    const second = await ask("J'ai validé une facture par erreur, comment l'annuler ?");
    expect((await messages(second)).map((m) => [m.sender_type, m.content])).toEqual([
      ['user', "J'ai validé une facture par erreur, comment l'annuler ?"],
      ['ai', ANSWER],
    ]);

    // A question the bot cannot answer, asked after: once the engine has escalated it, it has seen the paraphrase too.
    const control = await ask('Quelle est la TVA sur la pose d’une véranda ?');
    await waitFor(async () => (await conv(control)).status === 'human_handling');
    expect(await conv(second)).toMatchObject({ status: 'active', escalated_at: null, bot_enabled: true, assigned_admin_id: null });

    // 4. The training view counts one escalation avoided for that response, and for the bot.
    const [item] = await db.rpc<{ id: number; avoided: number; use_count: number }>('training_items', { p_status: 'indexed' }, marie);
    expect(item).toMatchObject({ id: pending.id, avoided: 1, use_count: 1 });
    const effect = await db.rpc<{ agent_id: number; avoided: number }>('training_effect', {}, marie);
    expect(effect.find((e) => Number(e.agent_id) === 1)?.avoided).toBe(1);
  });
});
