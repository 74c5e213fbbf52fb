import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FirstScreen } from '../shared/boot';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');
/** The console's first screen, built for Node (first-screen.vite.config.ts). */
const FIRST_SCREEN = join(PROJECT_ROOT, 'out', 'first-screen', 'first-screen.js');

const isBuilt = () => existsSync(join(RENDERER_DIR, 'index.html')) && existsSync(FIRST_SCREEN);

export interface BuiltConsole {
  staticDir: string;
  /** Absent when the built first screen could not be loaded. */
  firstScreen?: FirstScreen;
}

/** `desk serve` right after `npm install` has no built console yet: build it once rather than fail. */
export async function ensureConsoleBuilt(): Promise<BuiltConsole> {
  if (!isBuilt()) {
    console.error('Building the console once (npm run build)...');
    // What `npm run build` runs, called through node itself: no shell, so the same on Windows.
    const steps = [
      [join('electron-vite', 'bin', 'electron-vite.js'), 'build'],
      [join('vite', 'bin', 'vite.js'), 'build', '--config', 'first-screen.vite.config.ts'],
    ];
    const failed = steps.some(([bin, ...args]) => spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', bin), ...args], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'],
    }).status !== 0);
    if (failed || !isBuilt()) {
      throw new Error('could not build the console; run `npm run build` and look at its errors');
    }
  }
  return { staticDir: RENDERER_DIR, firstScreen: await loadFirstScreen(FIRST_SCREEN) };
}

/** The built first screen, or undefined (said on stderr) when it cannot be loaded: the scripts then paint it, a little later. */
export async function loadFirstScreen(file: string, warn = (m: string) => console.error(`[warn] ${m}`)): Promise<FirstScreen | undefined> {
  try {
    const { renderFirstScreen } = await import(pathToFileURL(file).href) as { renderFirstScreen?: FirstScreen };
    if (typeof renderFirstScreen !== 'function') throw new Error('it exports no renderFirstScreen');
    return renderFirstScreen;
  } catch (err) {
    warn(`the console's first screen will not be painted ahead (${file}): ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
