import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { BOOT_ELEMENT_ID } from '../../src/shared/boot';

export const ROOT = join(import.meta.dirname, '..', '..');

/** A `desk serve` host for one operator, as one desktop would be; resolves with the printed console URL. */
export async function serveHost(databaseUrl: string, email: string): Promise<{ url: string; proc: ChildProcess; stop(): Promise<void> }> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) throw new Error('run `npm run build` before the end-to-end tests');
  // Each host has its own data folder (offline cache), as each desktop has.
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'desk.js'), 'serve', '--port', '0', '--database-url', databaseUrl,
    '--operator', email, '--data-dir', dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err += String(d); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`desk serve did not start:\n${err}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += String(d);
      const m = /Handoff Desk console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`desk serve exited with ${code}:\n${err}`)); });
  });
  return {
    url, proc,
    stop: () => new Promise<void>((resolve) => {
      const done = () => { rmSync(dataDir, { recursive: true, force: true }); resolve(); };
      if (proc.exitCode !== null) { done(); return; }
      proc.once('exit', done);
      proc.kill('SIGTERM');
      // A host that does not wind down in time is not this suite's subject: do not let it hang the run.
      setTimeout(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); }, 5_000).unref();
    }),
  };
}

/**
 * Until the host's page carries its boot data (and so its painted first
 * screen). A host that has just started may still be reading when the first
 * page is asked for; past a short wait it sends the page without them and the
 * scripts read them instead, which is right for an operator but not what a
 * test of the painted screen is about.
 */
export async function untilPageCarriesBootData(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const html = await (await fetch(url)).text();
    if (html.includes(`id="${BOOT_ELEMENT_ID}"`)) return;
    if (Date.now() > deadline) throw new Error(`the host at ${url} never sent its page with the boot data`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
