import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
