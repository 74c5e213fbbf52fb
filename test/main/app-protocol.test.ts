import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppPath } from '../../src/main/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/main/security';

describe('the app:// protocol', () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-protocol-'));
    root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Handoff Desk</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside the console');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps our URLs into the built console', () => {
    expect(resolveAppPath(root, 'app://desk/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://desk/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppPath(root, 'app://desk/conversations/42')).toBe(join(root, 'index.html'));
  });

  it.each([
    'app://desk/../secret.txt', 'app://desk/%2e%2e/secret.txt', 'app://desk/assets/..%2F..%2Fsecret.txt',
    'app://desk/..%5Csecret.txt', 'app://desk/assets%2F..%2F..%2Fsecret.txt', 'app://desk/a%00.js',
    'app://desk/%E0%A4%A.js', 'app://evil/index.html', 'app://desk:8080/index.html', 'file:///etc/passwd',
    'https://desk/index.html',
  ])('never serves %s from outside the console', async (url) => {
    const file = resolveAppPath(root, url);
    expect(file === null || file.startsWith(root + sep)).toBe(true);
    const res = await createAppProtocolHandler(root)({ url, method: 'GET' });
    expect(res.status).not.toBe(200);
    expect(await res.text()).not.toContain('outside the console');
  });

  it('serves files with their type and the strict CSP on every response', async () => {
    const handle = createAppProtocolHandler(root);
    const page = await handle({ url: 'app://desk/', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('Handoff Desk');

    const script = await handle({ url: 'app://desk/assets/app.js', method: 'GET' });
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');

    const missing = await handle({ url: 'app://desk/assets/nope.js', method: 'GET' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);

    const escape = await handle({ url: 'app://desk/..%2Fsecret.txt', method: 'GET' });
    expect(escape.status).toBe(403);
    expect(await escape.text()).not.toContain('outside');

    expect((await handle({ url: 'app://desk/', method: 'POST' })).status).toBe(405);
  });
});
