// `npm start`: build, then run the desktop app. Where the Electron runtime
// cannot be obtained (electron >= 42 downloads it on first launch, and some
// machines have no way out), say so in one line and point to the browser
// console instead of dumping a download stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const UNAVAILABLE =
  'Handoff Desk: the Electron runtime could not be obtained on this machine; run `npx desk serve` to use the console in your browser instead.';

const DEFAULT_NAMES = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/**
 * The binary node_modules/electron would return, without triggering its
 * download (require('electron') downloads when it is missing, noisily).
 */
function locateElectron() {
  if (!existsSync(join(electronDir, 'package.json'))) return null;
  let rel = null;
  try { rel = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim(); } catch { /* not downloaded yet */ }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const file = override
    ? join(override, rel || DEFAULT_NAMES[process.platform] || 'electron')
    : rel && join(electronDir, 'dist', rel);
  return file && existsSync(file) ? file : null;
}

/**
 * First launch after `npm install`: fetch the runtime once, quietly (its
 * errors would bury the one useful line). A progress note appears only if
 * the download actually takes time, so a machine without network access
 * still gets exactly one line.
 */
async function obtainElectron() {
  if (process.env.DESK_ELECTRON_NO_DOWNLOAD === '1') return null;
  const install = join(electronDir, 'install.js');
  if (!existsSync(install)) return null;
  await new Promise((resolve) => {
    const child = spawn(process.execPath, [install], { cwd: electronDir, stdio: 'ignore', timeout: 10 * 60_000 });
    const note = setTimeout(() => console.error('Handoff Desk: downloading the Electron runtime (first start only)...'), 2_000);
    const done = () => { clearTimeout(note); resolve(); };
    child.on('exit', done);
    child.on('error', done);
  });
  return locateElectron();
}

const electron = locateElectron() ?? (await obtainElectron());
if (!electron) {
  console.error(UNAVAILABLE);
  process.exit(1);
}

if (process.env.DESK_START_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root, stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Extra arguments go to the app: npm start -- --operator marie@example.com
const child = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => { console.error(`Handoff Desk: could not run Electron (${err.message}).`); process.exit(1); });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
