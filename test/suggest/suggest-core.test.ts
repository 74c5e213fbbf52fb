import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCore } from '../../src/core/create-core';
import { pickAuthenticator } from '../../src/db/pick-auth';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { suggestHandlers } from '../../src/core/api/suggest-handlers';
import { freshPglite } from '../support/pg';

const pierre = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[1].id };
const marie = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[0].id };

describe('suggested answers through the contract (embedded database)', () => {
  let db: PgliteSharedDb;
  let core: ReturnType<typeof createCore>;
  let open: number;

  async function conversation(messages: Array<[string, string, unknown?]>, status = 'escalated'): Promise<number> {
    const { rows } = await db.executor.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, status) values (1, gen_random_uuid()::text, 'escalated') returning id`);
    const id = Number(rows[0].id);
    for (const [sender, content, ai] of messages) {
      await db.executor.query('insert into support_messages(conversation_id, sender_type, content, ai_context) values ($1, $2, $3, $4)',
        [id, sender, content, ai === undefined ? null : JSON.stringify(ai)]);
    }
    if (status === 'resolved') {
      await db.rpc('desk_claim', { p_conversation_id: id }, pierre);
      await db.rpc('desk_resolve', { p_conversation_id: id, p_resolution_type: 'answered' }, pierre);
    }
    return id;
  }

  beforeAll(async () => {
    db = await freshPglite();
    await seedDemo(db.executor);
    await db.rpc('desk_heartbeat', { p_status: 'online' }, pierre);
    // An approved learned response, an operator's answer in a resolved conversation, and a learned one still pending.
    await db.executor.query(`insert into learned_responses(agent_id, question, answer, status, source, reviewed_at)
      values (1, 'Comment annuler une facture validée ?', 'Créez un avoir depuis Facturation > Avoirs.', 'approved', 'manual', now()),
             (1, 'Comment annuler un devis ?', 'Passez le devis en Refusé.', 'pending', 'manual', null)`);
    await conversation([
      ['user', "Je n'arrive pas à télécharger la facture en PDF"],
      ['admin', 'Cliquez sur « Télécharger le PDF » en haut à droite de la facture.'],
    ], 'resolved');
    open = await conversation([
      ['user', 'Bonjour, comment annuler ma facture ? Elle est déjà validée'],
      ['ai', "Je n'ai pas trouvé d'information fiable.", { max_score: 0.45, rag_results: [
        { title: 'Gestion des avoirs', content: "Un avoir annule tout ou partie d'une facture validée.", score: 0.45 },
        { title: 'Facturation', content: 'Une facture validée est numérotée et ne peut plus être modifiée.', score: 0.38 },
      ] }],
      ['system', 'Conversation transférée au support'],
    ]);
    core = createCore({ db, auth: pickAuthenticator(db), operatorEmail: DEMO_OPERATORS[1].email });
    await core.start();
  });
  afterAll(async () => { await core?.stop(); await db?.close(); });

  it('ranks the approved answer first, then the bot’s own sources, each with its score and the words that matched', async () => {
    const r = await core.invoke('suggest.forConversation', { conversationId: open });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { suggestions, question, llm } = r.value as { suggestions: Array<{ text: string; source: string; score: number; reason: string[]; sourceLabel: string }>; question: string; llm: boolean };
    expect(question).toContain('annuler ma facture');
    expect(llm).toBe(false);
    expect(suggestions[0]).toMatchObject({ source: 'learned_response', text: 'Créez un avoir depuis Facturation > Avoirs.' });
    expect(suggestions[0].reason).toEqual(expect.arrayContaining(['annuler', 'facture']));
    expect(suggestions.filter((s) => s.source === 'rag_source').map((s) => s.sourceLabel)).toEqual(
      expect.arrayContaining(['Gestion des avoirs', 'Facturation']));
    // A pending learned response is not suggested; scores are ordered.
    expect(suggestions.map((s) => s.text)).not.toContain('Passez le devis en Refusé.');
    expect([...suggestions].sort((a, b) => b.score - a.score)).toEqual(suggestions);
  });

  it('suggests what an operator answered in a resolved conversation, and picks up answers approved later', async () => {
    const pdf = await conversation([['user', 'comment avoir la facture au format pdf ?']]);
    const r1 = await core.invoke('suggest.forConversation', { conversationId: pdf });
    if (!r1.ok) throw new Error(r1.error.message);
    const first = (r1.value as { suggestions: Array<{ source: string; text: string }> }).suggestions[0];
    expect(first).toMatchObject({ source: 'past_answer', text: expect.stringContaining('Télécharger le PDF') });

    const [pending] = await db.rpc<{ id: number }>('training_items', { p_status: 'pending' }, marie);
    await db.rpc('desk_review_learned_response', { p_id: pending.id, p_decision: 'approve', p_question: 'Comment annuler un devis envoyé ?' }, marie);
    const q = await conversation([['user', "je veux annuler le devis que j'ai envoyé"]]);
    const r2 = await core.invoke('suggest.forConversation', { conversationId: q });
    if (!r2.ok) throw new Error(r2.error.message);
    expect((r2.value as { suggestions: Array<{ text: string }> }).suggestions[0].text).toBe('Passez le devis en Refusé.');
  });

  it('answers not_found for a conversation that does not exist, and refuses a draft without an LLM', async () => {
    const r = await core.invoke('suggest.forConversation', { conversationId: 999999 });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const d = await core.invoke('suggest.draft', { conversationId: open });
    expect(d).toMatchObject({ ok: false, error: { code: 'invalid_status' } });
  });

  describe('with an OpenAI-compatible endpoint (local stand-in)', () => {
    let server: Server;
    let seen: { model: string; messages: Array<{ role: string; content: string }> } | null = null;
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => { body += c; });
        req.on('end', () => {
          seen = JSON.parse(body);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ model: 'stand-in', choices: [{ message: { content: 'Pour annuler la facture, créez un avoir [1].' } }] }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('drafts a reply from the suggestions only and returns them as its sources', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const handlers = suggestHandlers(core.ctx, { url, model: 'test-model', timeoutMs: 5000 });
      const draft = await handlers['suggest.draft']({ conversationId: open });
      expect(draft.text).toBe('Pour annuler la facture, créez un avoir [1].');
      expect(draft.sources[0].text).toBe('Créez un avoir depuis Facturation > Avoirs.');
      expect(seen!.model).toBe('test-model');
      const prompt = seen!.messages.map((m) => m.content).join('\n');
      expect(prompt).toContain('[1] (Comment annuler une facture validée ?)');
      expect(prompt).toContain('annuler ma facture');
      expect(prompt).toMatch(/ONLY the numbered sources/);
    });

    it('reports an unreachable endpoint as offline instead of hanging', async () => {
      const handlers = suggestHandlers(core.ctx, { url: 'http://127.0.0.1:9/v1', model: 'x', timeoutMs: 2000 });
      await expect(handlers['suggest.draft']({ conversationId: open })).rejects.toMatchObject({ code: 'offline' });
    });
  });
});
