import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import { launchChromium } from '../support/browser';
import { freshPgDatabase } from '../support/pg';
import { serveHost } from './hosts';

const SERVICE = { kind: 'service' as const };
const pierre = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[1].id };
const QUESTION = 'Comment annuler une facture validée ?';

/**
 * The training view in Chromium against `desk serve` on PostgreSQL, signed in
 * as marie (a supervisor): an operator's pending answer is edited and
 * approved, and the counts follow, up to the escalation a bot then avoids.
 */
describe('training view end to end', () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let host: Awaited<ReturnType<typeof serveHost>>;
  let browser: Browser;
  let page: Page;
  let conversationId: number;

  const count = (status: string) => page.locator(`[data-testid="training-count"][data-status="${status}"] dd`).textContent();

  beforeAll(async () => {
    db = await freshPgDatabase('desk_e2e_training');
    await seedDemo(db.db.executor);
    // Pierre closed a conversation with an answer worth keeping: a pending learned response.
    await db.db.rpc('desk_heartbeat', { p_status: 'online' }, pierre);
    const [c] = await db.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: 'training-e2e' }, SERVICE);
    conversationId = Number(c.id);
    await db.db.rpc('bot_post_message', { p_conversation_id: conversationId, p_sender_type: 'user', p_content: QUESTION }, SERVICE);
    await db.db.executor.query(`update support_conversations set status = 'escalated', escalated_at = now(), escalation_reason = 'low_confidence' where id = $1`, [conversationId]);
    await db.db.rpc('desk_claim', { p_conversation_id: conversationId }, pierre);
    await db.db.rpc('desk_resolve', {
      p_conversation_id: conversationId, p_resolution_type: 'answered', p_learned_answer: 'Faites un avoir.',
    }, pierre);

    host = await serveHost(db.url, 'marie@example.com');
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'fr-FR' });
    page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(host.url);
    await page.getByTestId('presence-select').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await db?.drop();
  });

  it('lists the pending answer, edits and approves it, and the counts follow', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Entraînement' }).click();
    await page.getByTestId('training-view').waitFor();
    await expect.poll(() => count('pending')).toBe('1');
    expect(await count('indexed')).toBe('0');

    const card = page.locator('[data-testid="training-item"][data-status="pending"]');
    expect(await card.textContent()).toContain(QUESTION);
    expect(await card.textContent()).toContain('Faites un avoir.');

    const edited = 'Une facture validée ne se supprime pas : créez un avoir (Facturation > Avoirs > Nouveau) et sélectionnez la facture.';
    await card.getByTestId('training-edit').click();
    await card.getByTestId('training-answer').fill(edited);
    await card.getByTestId('training-approve').click();

    await expect.poll(() => count('pending')).toBe('0');
    expect(await count('indexed')).toBe('1');
    expect(await page.locator('[data-testid="training-item"]').count()).toBe(0);

    const { rows } = await db.db.executor.query<{ id: string; answer: string; status: string; training_status: string }>(
      `select l.id::text as id, l.answer, l.status, c.training_status from learned_responses l
         join support_conversations c on c.learned_response_id = l.id where c.id = $1`, [conversationId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ answer: edited, status: 'approved', training_status: 'indexed' });

    // A bot answers a paraphrase with it: the view shows the escalation avoided, for the bot and for the answer.
    const avoided = page.locator('[data-testid="training-effect-row"][data-bot-id="1"] [data-testid="training-avoided"]');
    expect(await avoided.textContent()).toBe('0');
    const [c] = await db.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: 'training-e2e-2' }, SERVICE);
    await db.db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'user', p_content: 'je veux annuler une facture déjà validée' }, SERVICE);
    await db.db.rpc('bot_post_message', {
      p_conversation_id: c.id, p_sender_type: 'ai', p_content: edited, p_ai_context: { learned_response_id: Number(rows[0].id), max_score: 0.9 },
    }, SERVICE);
    await expect.poll(() => avoided.textContent()).toBe('1');
    expect(await count('avoided')).toBe('1');

    await page.locator('[data-testid="training-tab"][data-status="indexed"]').click();
    const indexed = page.locator(`[data-testid="training-item"][data-id="${rows[0].id}"]`);
    await expect.poll(() => indexed.getByTestId('training-usage').textContent()).toContain('1 escalade(s) évitée(s)');
    expect(await indexed.textContent()).toContain(edited);
  });
});
