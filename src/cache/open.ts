import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CacheReset } from '../core/ports/local-cache';
import { CACHE_MIGRATIONS, CACHE_VERSION } from './migrations';

/** The cache lives in the user data folder, never beside the app (which may be read-only and is replaced on update). */
export function cachePathFor(dataDir: string): string {
  return join(dataDir, 'cache', 'desk-cache.sqlite');
}

class NewerVersion extends Error {}

/**
 * Opens the file and brings its schema up to date. Throws on a file we must
 * not use: not a database, damaged, or written by a newer version.
 */
function openAndMigrate(path: string): Database.Database {
  const db = new Database(path);
  try {
    // The first statement reads the header: a file of garbage fails here with SQLITE_NOTADB.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > CACHE_VERSION) throw new NewerVersion(`cache version ${version} is newer than ${CACHE_VERSION}`);
    // Deleted rows must give their pages back to the file for the size cap to mean anything; only settable on a new file.
    if (version === 0) db.pragma('auto_vacuum = incremental');
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a crash of the host (only a power cut may lose the last commits).
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    // Reads the whole schema: a damaged schema page fails here rather than in the middle of a sync.
    db.prepare('select count(*) from sqlite_schema').get();
    for (let v = version; v < CACHE_VERSION; v++) {
      db.transaction(() => {
        db.exec(CACHE_MIGRATIONS[v]);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function isUnusable(err: unknown): CacheReset['reason'] | null {
  if (err instanceof NewerVersion) return 'newer_version';
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) return 'corrupt';
  return null;
}

/** Renames the file and its WAL companions with a timestamp; the user's data is set aside, never deleted. */
function moveAside(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${path}.${stamp}.bak`;
  renameSync(path, aside);
  for (const suffix of ['-wal', '-shm']) {
    if (!existsSync(path + suffix)) continue;
    if (suffix === '-wal') renameSync(path + suffix, aside + suffix);
    else rmSync(path + suffix, { force: true });
  }
  return aside;
}

export interface OpenedDatabase { db: Database.Database; reset: CacheReset | null }

/**
 * Opens (creating if needed) the cache file. A file that cannot be used is
 * moved aside and a new empty cache takes its place; the caller reports the
 * reset to the operator and the sync fills it again from the shared database.
 * Any other failure (disk full, permissions) is thrown: the host then runs
 * without a cache rather than crashing.
 */
export function openDatabase(path: string, now: Date = new Date()): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    return { db: openAndMigrate(path), reset: null };
  } catch (err) {
    const reason = isUnusable(err);
    if (!reason || path === ':memory:') throw err;
    const movedTo = moveAside(path, now);
    return { db: openAndMigrate(path), reset: { reason, movedTo, at: now.toISOString() } };
  }
}
