import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = resolve('scripts/start-electron.js');
const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'desk-start-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function npmStart(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

describe('npm start', () => {
  it('says in one line that Electron is unavailable and points to desk serve', () => {
    const r = npmStart([], { ELECTRON_OVERRIDE_DIST_PATH: tmp(), DESK_ELECTRON_NO_DOWNLOAD: '1' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Electron runtime could not be obtained/);
    expect(lines[0]).toContain('npx desk serve');
  });

  it.runIf(process.platform === 'linux')('runs the app with Electron when the runtime is there, passing arguments and the exit code through', () => {
    const dist = tmp();
    const out = join(dist, 'ran.json');
    const fake = join(dist, 'electron');
    writeFileSync(fake, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }));\nprocess.exit(3);\n`);
    chmodSync(fake, 0o755);
    const r = npmStart(['--operator', 'marie@example.com'], { ELECTRON_OVERRIDE_DIST_PATH: dist, DESK_START_SKIP_BUILD: '1' });
    expect(r.status).toBe(3);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ argv: ['.', '--operator', 'marie@example.com'], cwd: resolve('.') });
  });
});
