import { describe, expect, it } from 'vitest';
// electron-builder's own loader and schema check, so the file is judged exactly as `npm run dist` will judge it.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';

type Target = string | { target: string };
const names = (t: unknown) => (Array.isArray(t) ? (t as Target[]) : [t as Target]).map((x) => (typeof x === 'string' ? x : x.target));

describe('electron-builder.yml', () => {
  it('is valid for electron-builder and packages every desktop OS we support', async () => {
    const cfg = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await validateConfiguration(cfg, { add() {}, isEnabled: false } as never);
    expect(cfg.productName).toBe('Handoff Desk');
    expect(cfg.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(names(cfg.win?.target)).toEqual(['nsis']);
    expect(names(cfg.mac?.target)).toEqual(['dmg']);
    expect(names(cfg.linux?.target).sort()).toEqual(['AppImage', 'deb']);
  });

  it('ships the build and the resources, and keeps native and wasm files out of the asar', async () => {
    const cfg = await getConfig(process.cwd(), 'electron-builder.yml', null);
    // The loader normalises `files` into [{ filter: [...] }].
    const files = (cfg.files as Array<string | { filter?: string[] }>).flatMap((f) => (typeof f === 'string' ? [f] : f.filter ?? []));
    expect(files).toEqual(expect.arrayContaining(['out/**', 'resources/**', '!out/first-screen/**']));
    const unpack = cfg.asarUnpack as string[];
    expect(unpack).toEqual(expect.arrayContaining([
      'node_modules/better-sqlite3/**',
      'node_modules/@electric-sql/pglite/dist/**/*.wasm',
      'node_modules/@electric-sql/pglite/dist/**/*.data',
    ]));
  });
});
