import { createCore, type Core } from '../core/create-core';
import type { Log } from '../core/api/dispatch';
import type { LocalCache } from '../core/ports/local-cache';
import { configFromEnv, connect } from '../db/connect';

/**
 * The offline cache, if better-sqlite3 loads in this runtime. A packaged app
 * has it rebuilt for Electron; a development `npm start` may only have the
 * Node build (DESIGN.md §7), and then the desktop runs without a cache
 * rather than not at all.
 */
async function openCache(dataDir: string, log: Log): Promise<LocalCache | undefined> {
  try {
    const { openHostCache } = await import('../cache/host');
    return openHostCache(dataDir, log);
  } catch (err) {
    log('warn', 'offline cache unavailable in this runtime; running without it', { error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

/**
 * The core of the desktop app, built as `desk serve` builds it: the
 * configured shared database (embedded PGlite in the user data folder by
 * default, DATABASE_URL, or Supabase), migrated; the offline cache in the
 * same folder; the engine (only the lease holder acts), with the demo bot on
 * the embedded default.
 */
export async function startDesktopCore(opts: {
  env: NodeJS.ProcessEnv;
  userDataDir: string;
  operatorEmail?: string;
  log: Log;
}): Promise<{ core: Core; close(): Promise<void> }> {
  const config = configFromEnv(opts.env, { dataDir: opts.userDataDir });
  const { db, auth } = await connect(config);
  const cache = await openCache(config.dataDir, opts.log);
  const demo = !config.databaseUrl && !config.supabase;
  const core = createCore({ db, auth, log: opts.log, cache, engine: { demo } });
  const closeAll = async () => {
    await core.stop();
    await db.close();
    cache?.close();
  };
  try {
    await core.start();
  } catch (err) {
    await closeAll().catch(() => {});
    throw err;
  }
  if (opts.operatorEmail) {
    // Through the contract, like the sign-in screen: a wrong --operator leaves the app signed out, not broken.
    const r = await core.invoke('session.signIn', { email: opts.operatorEmail });
    if (!r.ok) opts.log('warn', 'could not sign the configured operator in', { error: r.error.message });
  }
  return { core, close: closeAll };
}
