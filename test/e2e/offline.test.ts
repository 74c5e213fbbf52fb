import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cachePathFor } from '../../src/cache/open';
import { seedDemo } from '../../src/db/demo-seed';
import { startDeskServe } from '../support/desk-host';
import { freshPgDatabase } from '../support/pg';
import { CuttableProxy } from '../cache/support';
import { escalate } from '../console/fixtures';
import { launchChromium, ROOT, serveHost } from './hosts';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const PIERRE = { kind: 'operator', operatorId: '00000000-0000-4000-8000-000000000002' } as const;

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
    mkdirSync(SHOTS, { recursive: true });
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
    // Read again offline, the queue comes from the cache as the console last showed it, and a dead link raises no error.
    await page.getByTestId('queue-tab').and(page.locator('[data-tab="mine"]')).click();
    await page.getByTestId('queue-tab').and(page.locator('[data-tab="waiting"]')).click();
    await item(other).waitFor();
    expect(await page.locator('[data-testid="console-notice"][role="alert"]').count()).toBe(0);

    const reply = 'Bonjour, je modifie votre adresse tout de suite.';
    await page.getByTestId('composer').fill(reply);
    await page.getByTestId('send').click();
    await expect.poll(() => page.locator('[data-testid="delivery-state"]').last().getAttribute('data-state')).toBe('queued');
    await expect.poll(() => badge().getAttribute('data-pending')).toBe('1');
    expect(await page.getByTestId('outbox-pending').textContent()).toContain('1');
    expect(await page.getByTestId('composer').inputValue()).toBe('');
    expect(await adminReplies(taken)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'offline-queued-fr.png') });

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
    await page.screenshot({ path: join(SHOTS, 'offline-search-fr.png') });
    // Highlights are elements the console made; the customer's text itself stays text.
    expect(await hit.locator('mark *').count()).toBe(0);
    const hits = await page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { conversationId: string } }).dataset.conversationId));
    for (let i = 0; i < hits.indexOf(String(other)); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('conversation').getAttribute('data-conversation-id')).toBe(String(other));
    expect(await page.getByTestId('history').textContent()).toContain('Mon colis est arrivé abîmé');
  });

  it('opens a cached conversation offline, queues the take-over, and shows the refusal when a colleague took it meanwhile', { timeout: 90_000 }, async () => {
    const contested = await escalate(db.db.executor, { question: 'Puis-je payer en trois fois ?' });
    await page.getByTestId('queue-tab').and(page.locator('[data-tab="waiting"]')).click();
    await item(contested).waitFor();

    proxy.cut();
    await expect.poll(() => badge().getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    await item(contested).click();
    await expect.poll(() => page.getByTestId('conversation').getAttribute('data-conversation-id')).toBe(String(contested));
    await page.getByTestId('from-cache').waitFor();
    expect(await page.getByTestId('history').textContent()).toContain('Puis-je payer en trois fois ?');
    await page.getByTestId('take-over').click();
    await expect.poll(() => page.getByTestId('console-notice').textContent()).toContain('envoyé dès le retour de la connexion');
    await expect.poll(() => badge().getAttribute('data-pending')).toBe('1');
    // Meanwhile a colleague, still online, takes it.
    await db.db.rpc('desk_claim', { p_conversation_id: contested }, PIERRE);

    proxy.restore();
    const refusal = page.locator(`[data-testid="outbox-refusal"][data-kind="claim"][data-conversation-id="${contested}"]`);
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).toContain(`Prise en charge de la conversation ${contested} refusée`);
    await expect.poll(() => badge().getAttribute('data-pending')).toBe('0');
    await page.screenshot({ path: join(SHOTS, 'offline-refusal-fr.png') });
    await refusal.getByTestId('refusal-dismiss').click();
    await expect.poll(() => page.getByTestId('outbox-refusal').count()).toBe(0);
    const { rows } = await db.db.executor.query<{ assigned_admin_id: string }>('select assigned_admin_id from support_conversations where id = $1', [contested]);
    expect(rows[0].assigned_admin_id).toBe(PIERRE.operatorId);
  });

  it('changes the cache retention and wipes the cache after a confirmation', async () => {
    await page.getByTestId('open-cache-settings').click();
    await page.getByTestId('cache-settings').waitFor();
    await page.getByTestId('cache-retention').fill('14');
    await page.getByTestId('cache-save').click();
    await expect.poll(() => page.getByTestId('cache-note').textContent()).toContain('Réglages enregistrés');
    expect(await page.getByTestId('cache-retention').inputValue()).toBe('14');
    await page.getByTestId('cache-wipe').click();
    await page.getByTestId('cache-wipe-confirm').waitFor();
    await page.getByTestId('cache-wipe-yes').click();
    await expect.poll(() => page.getByTestId('cache-note').textContent()).toContain('Cache vidé');
    // It fills again from the shared database: search finds the old message once more.
    await page.keyboard.press('Escape');
    await page.getByTestId('search-input').fill('dechiree');
    await page.locator(`[data-testid="search-hit"][data-conversation-id="${other}"]`).waitFor({ timeout: 30_000 });
  });

  it('tells the operator when the cache file was unusable, where the old file is kept, once', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-reset-'));
    mkdirSync(dirname(cachePathFor(dataDir)), { recursive: true });
    writeFileSync(cachePathFor(dataDir), 'not a database '.repeat(500));
    const broken = await startDeskServe(['--database-url', db.url, '--operator', 'pierre@example.com', '--data-dir', dataDir]);
    try {
      const p = await browser.newPage({ locale: 'fr-FR' });
      await p.goto(broken.url);
      const banner = p.getByTestId('cache-reset-banner');
      await banner.waitFor({ timeout: 30_000 });
      const text = await banner.textContent();
      expect(text).toContain('Le cache local était endommagé');
      expect(text).toContain(join(dataDir, 'cache'));
      await banner.getByRole('button').click();
      await p.reload();
      await p.getByTestId('presence-select').waitFor();
      expect(await p.getByTestId('cache-reset-banner').count()).toBe(0);
      await p.close();
    } finally {
      await broken.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
