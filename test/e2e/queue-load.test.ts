import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../src/db/demo-seed';
import { freshPgDatabase } from '../support/pg';
import { escalate } from '../console/fixtures';
import { launchChromium, serveHost, untilPageCarriesBootData } from './hosts';

const QUEUED = 300;
const HOSTILE = '</script><img src=x onerror="window.__xss=1">';

/**
 * A long Waiting tab in Chromium against `desk serve`: the first screen comes
 * with the page (customer text still only text), and the list reads further
 * down only as the operator scrolls there.
 */
describe('a long queue end to end', () => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let host: Awaited<ReturnType<typeof serveHost>>;
  let browser: Browser;
  let page: Page;
  let hostile: number;
  let last: number;

  beforeAll(async () => {
    db = await freshPgDatabase('desk_e2e_long');
    await seedDemo(db.db.executor);
    const { rows } = await db.db.executor.query<{ id: number }>(`
      with c as (
        insert into support_conversations(agent_id, session_id, user_id, status, escalation_reason, escalated_at, metadata)
        select 1 + (g % 2), 'long-' || g, 'user' || g || '@example.com', 'escalated', 'low_confidence',
               now() - ((${QUEUED} - g) || ' minutes')::interval, '{}'
        from generate_series(1, ${QUEUED}) g returning id, escalated_at)
      select id from c order by escalated_at desc limit 1`);
    last = Number(rows[0].id);
    // High priority: the first row of Waiting, so it is in the page the host writes.
    hostile = await escalate(db.db.executor, { question: HOSTILE, priority: 'high' });
    // No room for more conversations: the engine routes none of these to her, all stay in Waiting.
    await db.db.executor.query(`update admin_availability set max_conversations = 0`);
    host = await serveHost(db.url, 'marie@example.com');
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'fr-FR' })).newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await db?.drop();
  });

  const item = (id: number) => page.locator(`[data-testid="queue-item"][data-conversation-id="${id}"]`);
  const loaded = async () => Number(await page.getByTestId('queue-list').getAttribute('data-count'));

  it('shows the first screen as the page arrives, before any script has run', async () => {
    const noScripts = await browser.newContext({ viewport: { width: 1360, height: 820 }, locale: 'fr-FR', javaScriptEnabled: false });
    try {
      await untilPageCarriesBootData(host.url);
      const bare = await noScripts.newPage();
      bare.setDefaultTimeout(5_000);
      await bare.goto(host.url);
      // Painted by the host: the queue with its counters, on top the customer's text as text, in French.
      expect(await bare.locator(`[data-testid="queue-item"][data-conversation-id="${hostile}"] .qrow__preview`).textContent())
        .toBe(HOSTILE);
      expect(await bare.locator('img').count()).toBe(0);
      expect(await bare.locator('[data-testid="queue-tab"][aria-selected="true"]').textContent()).toBe(`En attente ${QUEUED + 1}`);
      expect(await bare.getByTestId('signed-in-operator').textContent()).toContain('Marie');
    } finally {
      await noScripts.close();
    }
  });

  it('opens on the top of Waiting, customer text shown as text, the first screen taken over in place', async () => {
    await page.goto(host.url);
    await item(hostile).waitFor();
    expect(await item(hostile).locator('.qrow__preview').textContent()).toBe(HOSTILE);
    // The boot data is read and gone from the page: the scripts have run.
    await expect.poll(() => page.locator('#desk-boot').count()).toBe(0);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    // One console, one row per conversation: the page took the host's screen over rather than adding its own.
    expect(await page.locator('.app').count()).toBe(1);
    expect(await item(hostile).count()).toBe(1);
    await item(hostile).click();
    await expect.poll(() => page.getByTestId('conversation').getAttribute('data-conversation-id')).toBe(String(hostile));
  });

  it('reads the rest of a long tab only as the operator scrolls down to it', async () => {
    // Beyond the first screen and its margin (250 rows), nothing is read until someone looks.
    await expect.poll(loaded).toBe(250);
    expect(await item(last).count()).toBe(0);
    await page.getByTestId('queue-list').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await item(last).waitFor();
    expect(await loaded()).toBe(QUEUED + 1);
  });
});
