import { createCore, type Core } from '../core/create-core';
import type { Log } from '../core/api/dispatch';
import { configFromEnv, connect } from '../db/connect';
import { openHostCache } from '../cache/host';

/**
 * The core of the desktop app, built exactly as `desk serve` builds it: the
 * configured shared database (embedded PGlite in the user data folder by
 * default, DATABASE_URL, or Supabase), migrated, then the same createCore.
 */
export async function startDesktopCore(opts: {
  env: NodeJS.ProcessEnv;
  userDataDir: string;
  operatorEmail?: string;
  log: Log;
}): Promise<{ core: Core; close(): Promise<void> }> {
  const { db, auth } = await connect(configFromEnv(opts.env, { dataDir: opts.userDataDir }));
  const cache = openHostCache(opts.userDataDir, opts.log);
  const core = createCore({ db, auth, log: opts.log, cache });
  try {
    await core.start();
  } catch (err) {
    await db.close().catch(() => {});
    cache.close();
    throw err;
  }
  if (opts.operatorEmail) {
    // Through the contract, like the sign-in screen: a wrong --operator leaves the app signed out, not broken.
    const r = await core.invoke('session.signIn', { email: opts.operatorEmail });
    if (!r.ok) opts.log('warn', 'could not sign the configured operator in', { error: r.error.message });
  }
  return { core, async close() { await core.stop(); await db.close(); cache.close(); } };
}
