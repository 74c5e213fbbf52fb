import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Authenticator } from '../core/ports/auth';
import type { SharedDb } from '../core/ports/shared-db';
import { pickAuthenticator } from './pick-auth';
import { seedDemo } from './demo-seed';
import { migrate, type MigrationReport } from './migrate';
import { PgSharedDb } from './pg-adapter';
import { PgliteSharedDb } from './pglite-adapter';
import type { SqlExecutor } from './sql-executor';

export interface ConnectConfig {
  /** A Postgres server; absent = the embedded database in dataDir. */
  databaseUrl?: string;
  supabase?: { url: string; anonKey: string };
  dataDir: string;
  /** Seed the demo workspace when the database has no bots yet (the embedded default does). */
  seedDemoIfEmpty?: boolean;
}

export interface Connected {
  db: SharedDb;
  auth: Authenticator;
  /** Owner-level SQL on a direct or embedded database (migrations, demo bot); absent on Supabase. */
  executor?: SqlExecutor;
  migration?: MigrationReport;
}

/** The user data folder of the Node host; Electron passes app.getPath('userData') instead. */
export function defaultDataDir(): string {
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Handoff Desk');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Handoff Desk');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'handoff-desk');
}

/** Reads DATABASE_URL / SUPABASE_URL + SUPABASE_ANON_KEY; flags given on the command line win. */
export function configFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<ConnectConfig> = {}): ConnectConfig {
  const supabase = env.SUPABASE_URL && env.SUPABASE_ANON_KEY ? { url: env.SUPABASE_URL, anonKey: env.SUPABASE_ANON_KEY } : undefined;
  return {
    databaseUrl: overrides.databaseUrl ?? env.DATABASE_URL ?? undefined,
    supabase: overrides.databaseUrl ? undefined : supabase,
    dataDir: overrides.dataDir ?? env.DESK_DATA_DIR ?? defaultDataDir(),
    seedDemoIfEmpty: overrides.seedDemoIfEmpty,
  };
}

async function hasBots(executor: SqlExecutor): Promise<boolean> {
  const { rows } = await executor.query<{ n: number }>('select count(*)::int as n from public.agents');
  return Number(rows[0]?.n) > 0;
}

/** Opens the configured shared database, migrates it and, for a new embedded workspace, seeds the demo. */
export async function connect(config: ConnectConfig): Promise<Connected> {
  if (config.supabase && !config.databaseUrl) {
    const { SupabaseSharedDb } = await import('./supabase-adapter');
    const db = new SupabaseSharedDb(config.supabase.url, config.supabase.anonKey);
    return { db, auth: db.authenticator() };
  }
  let db: PgSharedDb | PgliteSharedDb;
  if (config.databaseUrl) {
    db = new PgSharedDb({ connectionString: config.databaseUrl });
  } else {
    const dir = join(config.dataDir, 'embedded-db');
    mkdirSync(dir, { recursive: true });
    db = await PgliteSharedDb.open(dir);
  }
  try {
    const migration = await migrate(db.executor);
    const seed = config.seedDemoIfEmpty ?? !config.databaseUrl;
    if (seed && !(await hasBots(db.executor))) await seedDemo(db.executor);
    return { db, auth: pickAuthenticator(db), executor: db.executor, migration };
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
