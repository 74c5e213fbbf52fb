import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/create-core';
import { seedDemo } from '../../src/db/demo-seed';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { startHttpHost, type HttpHost } from '../../src/server/http-host';
import { ensureConsoleBuilt, loadFirstScreen } from '../../src/server/renderer-build';
import { BOOT_ELEMENT_ID, type BootData, type FirstScreen } from '../../src/shared/boot';
import { freshPglite } from '../support/pg';
import { escalate } from './fixtures';

const PAGE = '<!doctype html><html lang="fr"><head><script type="module" src="./assets/index-abc123.js"></script></head>'
  + '<body><div id="root"></div></body></html>';

/** The boot data in a served page, or null; and the page must hold at most one such element. */
function bootOf(html: string): BootData | null {
  const found = [...html.matchAll(new RegExp(`<script type="application/json" id="${BOOT_ELEMENT_ID}">(.*?)</script>`, 'gs'))];
  expect(found.length).toBeLessThanOrEqual(1);
  return found.length ? JSON.parse(found[0][1]) as BootData : null;
}

/** What the host wrote inside the page's root element. */
function rootOf(html: string): string | undefined {
  return /<div id="root">(.*)<\/div>(?:<script type="application\/json"[^>]*>[^<]*<\/script>)?<\/body>/s.exec(html)?.[1];
}

/**
 * The browser host's page: it arrives with the session and the first page of
 * Waiting (so the first screen needs no round trip), with customer text that
 * cannot break out of its element; built assets may be kept by the browser,
 * the page itself never.
 */
describe('the console page served by desk serve', () => {
  let db: PgliteSharedDb;
  let staticDir: string;
  /** The console's real first screen, as `desk serve` loads it. */
  let firstScreen: FirstScreen | undefined;
  const started: Array<{ core: Core; host: HttpHost }> = [];

  async function serve(operatorEmail?: string, extra: { firstScreen?: FirstScreen; log?: (m: string) => void } = {}) {
    const core = createCore({ db, auth: pickAuthenticator(db), operatorEmail });
    await core.start();
    const host = await startHttpHost({ core, staticDir, port: 0, ...extra });
    started.push({ core, host });
    return host;
  }

  beforeAll(async () => {
    firstScreen = (await ensureConsoleBuilt()).firstScreen;
    db = await freshPglite();
    await seedDemo(db.executor);
    staticDir = mkdtempSync(join(tmpdir(), 'desk-page-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), PAGE);
    writeFileSync(join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });

  afterAll(async () => {
    for (const { core, host } of started) { await host.close(); await core.stop(); }
    await db?.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('writes the session and the first page of Waiting into the page, customer text escaped', async () => {
    const hostile = '</script><script>window.__xss=1</script><!-- <img src=x onerror=alert(1)>';
    const id = await escalate(db.executor, { question: hostile, priority: 'high' });
    const host = await serve('marie@example.com');
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toContain('desk_token=');
    const html = await res.text();
    expect(html).not.toContain('window.__xss=1</script>');
    expect(html.endsWith('</body></html>')).toBe(true);
    const boot = bootOf(html);
    expect(boot?.session.operator?.email).toBe('marie@example.com');
    expect(boot?.waiting?.limit).toBe(60);
    expect(boot?.waiting?.page.items.find((i) => i.id === id)?.preview).toBe(hostile);
    expect(boot?.waiting?.page.counts.waiting).toBeGreaterThanOrEqual(1);
  });

  it('says who is signed in and nothing more when nobody is', async () => {
    const host = await serve(undefined, { firstScreen });
    const html = await (await fetch(host.url)).text();
    expect(bootOf(html)).toMatchObject({ session: { operator: null }, waiting: null });
    // The sign-in screen is left to the scripts.
    expect(rootOf(html)).toBe('');
  });

  it('paints the first screen into the page, in the browser\'s language, customer text as text', async () => {
    const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const id = await escalate(db.executor, { question: hostile, priority: 'high' });
    const host = await serve('marie@example.com', { firstScreen });
    const html = await (await fetch(host.url, { headers: { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.8' } })).text();
    expect(html).toContain('<html lang="en"');
    const root = rootOf(html) ?? '';
    expect(root).toContain('data-testid="signed-in-operator"');
    expect(root).toMatch(/data-tab="waiting"[^>]*>Waiting <span[^>]*>\d+</);
    const row = new RegExp(`<button[^>]*data-testid="queue-item"[^>]*data-conversation-id="${id}"[^>]*>(.*?)</button>`, 's').exec(root);
    expect(row?.[1]).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;>&lt;script>window.__xss=2&lt;/script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>window.__xss');
    // The page's scripts find the same data the screen was painted from.
    expect(bootOf(html)?.waiting?.page.items.some((i) => i.id === id)).toBe(true);
  });

  it('paints in the language the operator chose in the console over the browser\'s', async () => {
    const host = await serve('marie@example.com', { firstScreen });
    const first = await fetch(host.url);
    const cookie = `${first.headers.get('set-cookie')!.split(';')[0]}; desk_lang=fr`;
    const html = await (await fetch(`http://127.0.0.1:${host.port}/`, { headers: { cookie, 'accept-language': 'en-US' } })).text();
    expect(html).toContain('<html lang="fr"');
    expect(rootOf(html) ?? '').toMatch(/data-tab="waiting"[^>]*>En attente </);
  });

  it('still serves the console, with its data, when the first screen fails to render', async () => {
    const logged: string[] = [];
    const host = await serve('marie@example.com', { firstScreen: () => { throw new Error('render broke'); }, log: (m) => logged.push(m) });
    const html = await (await fetch(host.url)).text();
    expect(rootOf(html)).toBe('');
    expect(bootOf(html)?.session.operator?.email).toBe('marie@example.com');
    expect(logged).toEqual(['first screen not painted: render broke']);
  });

  it('starts without a first screen it cannot load, and says why', async () => {
    const broken = join(staticDir, 'first-screen.js');
    writeFileSync(broken, 'export const somethingElse = 1;');
    const warned: string[] = [];
    expect(await loadFirstScreen(broken, (m) => warned.push(m))).toBeUndefined();
    expect(await loadFirstScreen(join(staticDir, 'missing.js'), (m) => warned.push(m))).toBeUndefined();
    expect(warned).toHaveLength(2);
    expect(warned[0]).toContain('it exports no renderFirstScreen');
    expect(typeof firstScreen).toBe('function');
  });

  it('lets the browser keep built assets, answers a missing file with 404 and a route with the console', async () => {
    const host = await serve('marie@example.com');
    const page = await fetch(host.url);
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    const base = `http://127.0.0.1:${host.port}`;
    const asset = await fetch(`${base}/assets/index-abc123.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(asset.headers.get('set-cookie')).toBeNull();
    expect(await asset.text()).toBe('console.log(1)');
    expect((await fetch(`${base}/favicon.ico`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${base}/%E0%A4%A`, { headers: { cookie } })).status).toBe(400);
    const route = await fetch(`${base}/training`, { headers: { cookie } });
    expect(bootOf(await route.text())?.session.operator?.email).toBe('marie@example.com');
    expect((await fetch(`${base}/assets/index-abc123.js`)).status).toBe(401);
  });
});
