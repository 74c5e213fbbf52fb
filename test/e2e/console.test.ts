import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/db/demo-seed';
import { freshPgDatabase } from '../support/pg';
import { escalate } from '../console/fixtures';
import { launchChromium, ROOT, serveHost } from './hosts';

const SHOTS = join(ROOT, 'docs', 'screenshots');

/**
 * Two operators, two `desk serve` hosts, one real PostgreSQL, Chromium: the
 * day of an escalation from its arrival to its closure with a learned response.
 */
describe('operator console end to end', () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let hosts: Array<Awaited<ReturnType<typeof serveHost>>> = [];
  let browser: Browser;
  let marie: Page;
  let pierre: Page;

  beforeAll(async () => {
    db = await freshPgDatabase('desk_e2e');
    await seedDemo(db.db.executor);
    await db.db.executor.query(`insert into reply_templates(agent_id, title, content, language)
      values (1, 'Avoir', 'Pour annuler une facture validée, créez un avoir depuis la facture.', 'fr')`);
    hosts = await Promise.all([serveHost(db.url, 'marie@example.com'), serveHost(db.url, 'pierre@example.com')]);
    browser = await launchChromium();
    const open = async (url: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'fr-FR' });
      const page = await ctx.newPage();
      // A step that cannot happen should fail at that step, not at the test's timeout.
      page.setDefaultTimeout(10_000);
      await page.goto(url);
      await page.getByTestId('presence-select').waitFor();
      return page;
    };
    [marie, pierre] = await Promise.all([open(hosts[0].url), open(hosts[1].url)]);
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(hosts.map((h) => h.stop()));
    await db?.drop();
  });

  const item = (page: Page, id: number) => page.locator(`[data-testid="queue-item"][data-conversation-id="${id}"]`);

  it('shows presence, capacity and the queue tabs with counters once signed in', async () => {
    for (const page of [marie, pierre]) {
      await expect.poll(() => page.getByTestId('presence-select').inputValue()).toBe('online');
      expect(await page.getByTestId('capacity-input').inputValue()).toBe('5');
      expect(await page.getByTestId('queue-tab').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { tab?: string } }).dataset.tab)))
        .toEqual(['waiting', 'mine', 'interventions', 'deferred', 'resolved']);
    }
    // Busy operators are not routed new escalations by the engine (every host runs it), so what arrives
    // now stays in Waiting for them to pick: the situation where two colleagues can race for it.
    for (const page of [marie, pierre]) {
      await page.getByTestId('presence-select').selectOption('busy');
      await expect.poll(() => page.getByTestId('presence-select').inputValue()).toBe('busy');
    }
  });

  it('runs an escalation from its arrival to its closure with a learned response', { timeout: 90_000 }, async () => {
    const hostile = '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> Comment annuler une facture validée ?';
    const id = await escalate(db.db.executor, { question: hostile });

    // Both see it arrive without reload, with its reason and evidence.
    await Promise.all([item(marie, id).waitFor(), item(pierre, id).waitFor()]);
    expect(await item(pierre, id).getByTestId('reason-badge').textContent()).toContain('score 45 % < 60 %');
    // The wait reads "now"; pointing at it gives the moment in full, in the console's language (French: dd/mm/yyyy).
    await item(pierre, id).locator('.qrow__wait').hover();
    await expect.poll(() => item(pierre, id).locator('.qrow__wait').getAttribute('title')).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    await marie.screenshot({ path: join(SHOTS, 'queue-fr.png') });

    await Promise.all([item(marie, id).click(), item(pierre, id).click()]);
    await Promise.all([marie.getByTestId('take-over').waitFor(), pierre.getByTestId('take-over').waitFor()]);

    // Customer text is text: the markup shows literally and never runs.
    const history = pierre.getByTestId('history');
    expect(await history.textContent()).toContain('<script>window.__xss=2</script>');
    expect(await history.locator('img').count()).toBe(0);
    expect(await pierre.evaluate('window.__xss')).toBeUndefined();

    // Both race to take it over: one wins, the other is told who and sees it leave Waiting.
    // The two clicks are dispatched in the pages at the same moment: Playwright's click() waits for
    // actionability round trips, long enough for the winner's claim to reach the loser's screen first.
    const press = (page: typeof marie) => page.getByTestId('take-over').evaluate((b) => (b as unknown as { click(): void }).click());
    await Promise.all([press(marie), press(pierre)]);
    await expect.poll(async () => (await marie.getByTestId('release').count()) + (await pierre.getByTestId('release').count())).toBe(1);
    const marieWon = (await marie.getByTestId('release').count()) === 1;
    const [winner, loser, winnerName] = marieWon ? [marie, pierre, 'Marie Laurent'] : [pierre, marie, 'Pierre Martin'];
    await expect.poll(() => loser.getByTestId('console-notice').textContent()).toContain(winnerName);
    await expect.poll(() => item(loser, id).count()).toBe(0);
    await expect.poll(() => item(winner, id).count()).toBe(0);
    await loser.screenshot({ path: join(SHOTS, 'lost-race-fr.png') });

    // The winner uses a template by keyboard, replies, then inserts an AI suggestion and sends it too.
    await winner.getByTestId('template-select').selectOption({ label: 'Avoir' });
    await expect.poll(() => winner.getByTestId('composer').inputValue()).toContain('créez un avoir');
    await winner.getByTestId('composer').press('Control+Enter');
    await expect.poll(() => winner.locator('[data-testid="delivery-state"]').last().getAttribute('data-state')).toBe('sent');
    await winner.getByTestId('suggestion').first().waitFor();
    await winner.getByTestId('suggestion').first().click();
    const suggested = await winner.getByTestId('composer').inputValue();
    expect(suggested.length).toBeGreaterThan(0);
    await winner.getByTestId('send').click();
    await expect.poll(() => winner.locator('[data-sender="admin"]').count()).toBe(2);
    await winner.screenshot({ path: join(SHOTS, 'conversation-fr.png') });

    // Closes as answered with a learned response, pre-filled and edited.
    await winner.getByTestId('close-conversation').click();
    await winner.getByTestId('resolution-type').selectOption('answered');
    expect(await winner.getByTestId('create-learned-response').isChecked()).toBe(true);
    expect(await winner.getByTestId('learned-question').inputValue()).toBe(hostile);
    await winner.getByTestId('learned-question').fill('Comment annuler une facture validée ?');
    const answer = 'Créez un avoir depuis la facture validée, puis envoyez-le au client.';
    await winner.getByTestId('learned-answer').fill(answer);
    await winner.screenshot({ path: join(SHOTS, 'close-dialog-fr.png') });
    await winner.getByTestId('confirm-close').click();
    await expect.poll(() => winner.getByTestId('conversation').getAttribute('data-status')).toBe('resolved');

    const { rows: conv } = await db.db.executor.query<{ status: string; resolution_type: string }>(
      'select status, resolution_type from support_conversations where id = $1', [id]);
    expect(conv[0]).toEqual({ status: 'resolved', resolution_type: 'answered' });
    const { rows: msgs } = await db.db.executor.query<{ content: string }>(
      `select content from support_messages where conversation_id = $1 and sender_type = 'admin' order by id`, [id]);
    expect(msgs.map((m) => m.content)).toEqual([expect.stringContaining('créez un avoir'), suggested]);
    const { rows: learned } = await db.db.executor.query(
      'select question, answer, status, source from learned_responses where support_conversation_id = $1', [id]);
    expect(learned).toEqual([{ question: 'Comment annuler une facture validée ?', answer, status: 'pending', source: 'human_support' }]);
  });

  it('moves through the queue and takes over by keyboard, with a help overlay listing the shortcuts', async () => {
    const ids = [await escalate(db.db.executor, { agentId: 2, order: { completion_rate: 50, collected: { photo: true, paiement: true } } }),
      await escalate(db.db.executor, { priority: 'high' })];
    await Promise.all(ids.map((id) => item(pierre, id).waitFor()));
    await pierre.locator('body').click({ position: { x: 5, y: 300 } });
    await pierre.keyboard.press('?');
    await pierre.getByTestId('help-overlay').waitFor();
    const help = await pierre.getByTestId('help-overlay').textContent();
    expect(help).toContain('Ctrl+Enter');
    // The search box's keys are listed too, and do what the overlay says.
    expect(help).toMatch(/Ctrl\+K\s*\/\s*(Rechercher|Search)/);
    await pierre.keyboard.press('Escape');
    await pierre.keyboard.press('/');
    expect(await pierre.evaluate('document.activeElement && document.activeElement.dataset.testid')).toBe('search-input');
    await pierre.locator('body').click({ position: { x: 5, y: 300 } });
    await pierre.keyboard.press('j');
    const first = Number(await pierre.getByTestId('conversation').getAttribute('data-conversation-id'));
    await pierre.keyboard.press('j');
    await expect.poll(async () => Number(await pierre.getByTestId('conversation').getAttribute('data-conversation-id'))).not.toBe(first);
    await pierre.keyboard.press('k');
    await expect.poll(async () => Number(await pierre.getByTestId('conversation').getAttribute('data-conversation-id'))).toBe(first);
    await pierre.keyboard.press('t');
    await pierre.getByTestId('release').waitFor();
    await pierre.keyboard.press('r');
    await expect.poll(() => pierre.evaluate('document.activeElement && document.activeElement.dataset.testid')).toBe('composer');
  });

  it('asks before going offline with conversations in hand, and returns them to the queue on request', async () => {
    await pierre.getByTestId('presence-select').selectOption('offline');
    await pierre.getByTestId('handoff-dialog').waitFor();
    await pierre.getByTestId('handoff-return').click();
    await expect.poll(() => pierre.getByTestId('presence-select').inputValue()).toBe('offline');
    const { rows } = await db.db.executor.query<{ n: number }>(
      `select count(*)::int as n from support_conversations where assigned_admin_id = '00000000-0000-4000-8000-000000000002' and status = 'human_handling'`);
    expect(rows[0].n).toBe(0);
    await pierre.getByTestId('presence-select').selectOption('busy');
  });

  it('keeps screenshots of the main screens in French and English', async () => {
    const id = await escalate(db.db.executor, { agentId: 2, order: { completion_rate: 75, collected: { photo: true, paiement: true, zone: true, tel: false } } });
    await item(marie, id).waitFor();
    await item(marie, id).click();
    await marie.getByTestId('take-over').click();
    await marie.getByTestId('release').waitFor();
    await marie.getByTestId('order-checklist').waitFor();
    await marie.screenshot({ path: join(SHOTS, 'order-checklist-fr.png') });
    await marie.getByTestId('language-select').selectOption('en');
    await expect.poll(() => marie.getByTestId('take-over').count().then(() => marie.getByTestId('release').textContent())).toBe('Return to queue');
    await marie.screenshot({ path: join(SHOTS, 'order-checklist-en.png') });
    await marie.getByTestId('queue-tab').and(marie.locator('[data-tab="waiting"]')).click();
    await marie.screenshot({ path: join(SHOTS, 'queue-en.png') });
    await marie.getByTestId('close-conversation').click();
    await marie.getByTestId('close-dialog').waitFor();
    await marie.screenshot({ path: join(SHOTS, 'close-dialog-en.png') });
    await marie.keyboard.press('Escape');
    await marie.getByTestId('language-select').selectOption('fr');
  });
});
