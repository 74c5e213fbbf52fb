import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { PROJECT_ROOT, startDeskServe, type RunningHost } from '../support/desk-host';

describe('desk serve --demo in Chromium (embedded database)', () => {
  let host: RunningHost;
  let browser: Browser;
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));

  beforeAll(async () => {
    host = await startDeskServe(['--demo', '--data-dir', dataDir]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses the console without its token', async () => {
    const bare = host.url.replace(/\?token=.*/, '');
    expect((await fetch(bare)).status).toBe(401);
    expect((await fetch(`${bare}?token=wrong`)).status).toBe(401);
  });

  it('opens on the sign-in screen, signs marie in and shows the demo bots with their queues', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBeTruthy();
    await page.getByTestId('operator-option').filter({ hasText: 'marie@example.com' }).click();
    await expect.poll(() => page.getByTestId('bot-card').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const names = await page.getByTestId('bot-card').locator('h3').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Support BTP', 'Botlive Commandes']));
    await expect.poll(() => page.getByTestId('signed-in-operator').textContent()).toContain('Marie Laurent');
    await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('online');
    expect(await page.getByTestId('connection-state').textContent()).toContain('En ligne');

    // The operator switches the console to English; the choice applies at once.
    await page.getByTestId('language-select').selectOption('en');
    await expect.poll(() => page.getByTestId('connection-state').textContent()).toContain('Online');

    mkdirSync(join(PROJECT_ROOT, 'docs', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(PROJECT_ROOT, 'docs', 'screenshots', 'overview-en.png') });
    await page.close();
  });
});
