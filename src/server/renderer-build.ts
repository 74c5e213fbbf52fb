import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');

/** `desk serve` right after `npm install` has no built console yet: build it once rather than fail. */
export async function ensureRendererBuilt(): Promise<string> {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return RENDERER_DIR;
  console.error('Building the console once (npm run build)...');
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('could not build the console; run `npm run build` and look at its errors');
  }
  return RENDERER_DIR;
}
