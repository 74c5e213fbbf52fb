import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/db/demo-seed';
import { freshPgDatabase } from '../support/pg';
import { CuttableProxy } from '../cache/support';
import { escalate } from '../console/fixtures';
import { launchChromium, serveHost } from './hosts';

/**
 * An operator on a flaky link, in Chromium against `desk serve` on the real
 * PostgreSQL reached through a TCP relay the test can cut: what was typed
 * offline is queued, shown as such, and delivered once when the link returns;
 * the header's search finds cached messages without their accents.
 */
describe('offline console end to end', () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let proxy: CuttableProxy;
  let host: Awaited<ReturnType<typeof serveHost>>;
  let browser: Browser;
  let page: Page;
  let taken: number;
  let other: number;

  beforeAll(async () => {
    db = await freshPgDatabase('desk_e2e_off');
    await seedDemo(db.db.executor);
    const target = new URL(db.url);
    proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.start();
    target.port = String(proxy.port);
    host = await serveHost(target.toString(), 'marie@example.com');
    browser = await launchChromium();
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'fr-FR' });
    page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(host.url);
    await page.getByTestId('presence-select').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await proxy?.close();
    await db?.drop();
  });

  const badge = () => page.getByTestId('connection-state');
  const item = (id: number) => page.locator(`[data-testid="queue-item"][data-conversation-id="${id}"]`);
  const adminReplies = async (id: number) => (await db.db.executor.query<{ content: string }>(
    `select content from support_messages where conversation_id = $1 and sender_type = 'admin' order by id`, [id])).rows.map((r) => r.content);

  it('queues a reply written while the database is unreachable and delivers it once when the link returns', { timeout: 90_000 }, async () => {
    // A busy operator is not handed escalations by the engine: they wait for her to take them.
    await page.getByTestId('presence-select').selectOption('busy');
    await expect.poll(() => page.getByTestId('presence-select').inputValue()).toBe('busy');
    // The feed copies both into the offline cache as they arrive.
    other = await escalate(db.db.executor, { question: 'Mon colis est arrivé abîmé, la boîte était déchirée' });
    taken = await escalate(db.db.executor, { question: 'Je voudrais modifier mon adresse de livraison' });
    await item(taken).click();
    await page.getByTestId('take-over').click();
    await page.getByTestId('release').waitFor();
    await expect.poll(() => badge().getAttribute('data-state')).toBe('online');

    proxy.cut();
    await expect.poll(() => badge().getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    expect(await badge().textContent()).toContain('Hors ligne depuis');

    const reply = 'Bonjour, je modifie votre adresse tout de suite.';
    await page.getByTestId('composer').fill(reply);
    await page.getByTestId('send').click();
    await expect.poll(() => page.locator('[data-testid="delivery-state"]').last().getAttribute('data-state')).toBe('queued');
    await expect.poll(() => badge().getAttribute('data-pending')).toBe('1');
    expect(await page.getByTestId('outbox-pending').textContent()).toContain('1');
    expect(await page.getByTestId('composer').inputValue()).toBe('');
    expect(await adminReplies(taken)).toEqual([]);

    proxy.restore();
    await expect.poll(() => badge().getAttribute('data-state'), { timeout: 30_000 }).toBe('online');
    await expect.poll(() => badge().getAttribute('data-pending'), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => page.locator('[data-testid="delivery-state"]').last().getAttribute('data-state')).toBe('sent');
    expect(await page.getByTestId('outbox-pending').count()).toBe(0);
    expect(await adminReplies(taken)).toEqual([reply]);
    expect(await page.locator('[data-testid="message"][data-sender="admin"]').count()).toBe(1);
  });

  it('keeps an unsent draft when the operator leaves the conversation and reloads the console', async () => {
    await page.getByTestId('composer').fill('Je reviens vers vous avec');
    await item(other).click();
    await expect.poll(() => page.getByTestId('conversation').getAttribute('data-conversation-id')).toBe(String(other));
    await page.getByTestId('queue-tab').and(page.locator('[data-tab="mine"]')).click();
    await item(taken).click();
    await expect.poll(() => page.getByTestId('composer').inputValue()).toBe('Je reviens vers vous avec');

    await page.reload();
    await page.getByTestId('queue-tab').and(page.locator('[data-tab="mine"]')).click();
    await item(taken).click();
    await expect.poll(() => page.getByTestId('composer').inputValue()).toBe('Je reviens vers vous avec');
  });

  it('finds a message typed with accents when searched without them, highlighted, and opens it by keyboard', async () => {
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Control+k');
    expect(await page.evaluate('document.activeElement && document.activeElement.dataset.testid')).toBe('search-input');
    await page.keyboard.type('abime boite');
    const hit = page.locator(`[data-testid="search-hit"][data-conversation-id="${other}"]`);
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(expect.arrayContaining(['abîmé', 'boîte']));
    // Highlights are elements the console made; the customer's text itself stays text.
    expect(await hit.locator('mark *').count()).toBe(0);
    const hits = await page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { conversationId: string } }).dataset.conversationId));
    for (let i = 0; i < hits.indexOf(String(other)); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('conversation').getAttribute('data-conversation-id')).toBe(String(other));
    expect(await page.getByTestId('history').textContent()).toContain('Mon colis est arrivé abîmé');
  });
});
