import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..');

export interface RunningHost { url: string; process: ChildProcess; output: () => string; stop(): Promise<void> }

/**
 * Starts `desk serve` as an operator would (the real CLI in a child process)
 * and resolves with the URL of its ready line.
 */
export async function startDeskServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningHost> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'desk.js'), 'serve', '--port', '0', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: '', SUPABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`desk serve did not print its ready line:\n${out}`)), 90_000);
    child.stdout!.on('data', () => {
      const m = /Handoff Desk console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`desk serve exited with ${code}:\n${out}`)); });
  });
  return {
    url, process: child, output: () => out,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }),
  };
}
