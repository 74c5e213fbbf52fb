import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDesktopCore } from '../../src/main/desktop-core';

// Opens a real on-disk PGlite, the cache and the engine: generous under a loaded CI machine.
const SLOW = 120_000;
const dirs: string[] = [];
const userData = () => { const d = mkdtempSync(join(tmpdir(), 'desk-userdata-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('the desktop core', () => {
  it('opens the embedded demo workspace in the user data folder and signs the configured operator in', async () => {
    const dir = userData();
    const logs: string[] = [];
    const { core, close } = await startDesktopCore({ env: {}, userDataDir: dir, operatorEmail: 'marie@example.com', log: (_l, m) => logs.push(m) });
    try {
      expect(existsSync(join(dir, 'embedded-db'))).toBe(true);
      expect(await core.invoke('session.get', {})).toMatchObject({ ok: true, value: { operator: { email: 'marie@example.com' }, connection: { kind: 'embedded' } } });
      const overview = await core.invoke('workspace.overview', {});
      expect(overview.ok).toBe(true);
      expect((overview as { value: { bots: unknown[] } }).value.bots).toHaveLength(2);
    } finally {
      await close();
    }
  }, SLOW);

  it('starts signed out, and says why, when the configured operator does not exist', async () => {
    const logs: string[] = [];
    const { core, close } = await startDesktopCore({ env: {}, userDataDir: userData(), operatorEmail: 'nobody@example.com', log: (_l, m) => logs.push(m) });
    try {
      expect(await core.invoke('session.get', {})).toMatchObject({ ok: true, value: { operator: null } });
      expect(logs).toContain('could not sign the configured operator in');
    } finally {
      await close();
    }
  }, SLOW);
});
