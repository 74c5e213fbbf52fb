import type { LocalCache } from '../core/ports/local-cache';
import { SqliteLocalCache } from './sqlite-cache';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * The host's cache in `<dataDir>/cache/`. Never throws: an unusable file is
 * already moved aside by open; if even a new file cannot be made (read-only
 * folder, disk full), the host keeps a cache in memory for this run.
 */
export function openHostCache(dataDir: string, log: Log = () => {}): LocalCache {
  try {
    const cache = SqliteLocalCache.open({ dataDir });
    if (cache.reset) log('warn', 'offline cache was unusable and was moved aside', { ...cache.reset });
    return cache;
  } catch (err) {
    log('error', 'offline cache unavailable, keeping it in memory for this run', { error: err instanceof Error ? err.message : String(err) });
    return SqliteLocalCache.open({ path: ':memory:' });
  }
}
