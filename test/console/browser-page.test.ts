import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/create-core';
import { seedDemo } from '../../src/db/demo-seed';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { startHttpHost, type HttpHost } from '../../src/server/http-host';
import { freshPglite } from '../support/pg';

const PAGE = '<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head>'
  + '<body><div id="root"></div></body></html>';

/** The browser host's files: built assets may be kept by the browser, the page itself never. */
describe('the console page served by desk serve', () => {
  let db: PgliteSharedDb;
  let staticDir: string;
  const started: Array<{ core: Core; host: HttpHost }> = [];

  async function serve(operatorEmail?: string) {
    const core = createCore({ db, auth: pickAuthenticator(db), operatorEmail });
    await core.start();
    const host = await startHttpHost({ core, staticDir, port: 0 });
    started.push({ core, host });
    return host;
  }

  beforeAll(async () => {
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

  it('lets the browser keep built assets, answers a missing file with 404 and a route with the console', async () => {
    const host = await serve('marie@example.com');
    const page = await fetch(host.url);
    expect(page.headers.get('cache-control')).toBe('no-store');
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
    expect(await route.text()).toBe(PAGE);
    expect((await fetch(`${base}/assets/index-abc123.js`)).status).toBe(401);
  });
});
