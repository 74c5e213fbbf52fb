import { toDeskError } from '../../shared/errors';
import type { ConnectionState } from '../../shared/domain';
import type { EventHub, Log } from '../api/dispatch';
import type { Clock } from '../ports/clock';
import type { CachedMessage, LocalCache, OutboxItem } from '../ports/local-cache';
import type { FeedEvent, SharedDb } from '../ports/shared-db';
import type { Session } from '../session';
import { CacheSync, conversationOf } from './cache-sync';
import { Outbox } from './outbox';

const PRUNE_EVERY_MS = 6 * 3_600_000;

export interface OfflineOptions {
  cache: LocalCache;
  db: SharedDb;
  session: Session;
  clock: Clock;
  events: EventHub;
  log: Log;
  newId: () => string;
}

/** What the rest of the core may use: the cache, the outbox, and a read-through for views that must open offline. */
export interface OfflineApi {
  cache: LocalCache;
  outbox: Outbox;
  /**
   * Runs `fetch`; on success keeps the result under `key`, and when the
   * shared database cannot be reached returns the last kept result instead
   * (refusals such as not_allowed still throw). For views like the queue.
   * `fallbacks` are other keys whose kept result may stand in, in order of
   * preference, when `key` itself was never kept; `keptAs` says which one served.
   */
  readThrough<T>(key: string, fetch: () => Promise<T>, fallbacks?: string[]):
    Promise<{ value: T; fromCache: boolean; savedAt: string | null; keptAs?: string }>;
}

function messageRow(r: Record<string, unknown>): CachedMessage {
  return {
    id: Number(r.id), conversation_id: Number(r.conversation_id), sender_type: String(r.sender_type),
    admin_id: (r.admin_id as string | null) ?? null, content: String(r.content), created_at: String(r.created_at),
    client_msg_id: (r.client_msg_id as string | null) ?? null,
  };
}

/**
 * The offline side of the core (DESIGN.md §5): keeps the cache in step with
 * the feed, replays the outbox when the link returns, fills an empty cache
 * at sign-in, and applies retention.
 */
export function offlineModule(opts: OfflineOptions) {
  const { cache, db, session, clock, events, log } = opts;
  const operator = () => {
    const op = session.operator;
    return op ? { id: op.id, as: { kind: 'operator' as const, operatorId: op.id } } : null;
  };
  let bootstrapping = false;
  let pruneTimer: ReturnType<typeof setInterval> | null = null;
  const prune = () => {
    try {
      cache.prune(clock.now());
    } catch (err) {
      log('warn', 'cache prune failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  const sync = new CacheSync({
    cache, db, clock, log,
    // Nothing is copied before the cache knows whose it is.
    identity: () => (cache.owner() === session.operator?.id ? session.identity() : null),
    onRefreshed: (entities) => events.emit('cache.changed', { entities }),
  });

  const outbox = new Outbox({
    cache, db, clock, operator, newId: opts.newId, log,
    onRejected: (r) => events.emit('outbox.rejected', r),
    onChanged: (counts) => events.emit('outbox.changed', counts),
    onApplied: (item: OutboxItem, row) => {
      // What the database stored is in the cache at once, before the feed brings it back.
      if (item.kind === 'reply' && row.id !== undefined) cache.messages.upsert([messageRow(row)]);
      else if (row.id !== undefined) cache.conversations.upsert([conversationOf(row)]);
    },
  });

  const api: OfflineApi = {
    cache, outbox,
    async readThrough(key, fetch, fallbacks = []) {
      try {
        const value = await fetch();
        cache.snapshots.save(key, value, clock.now().toISOString());
        return { value, fromCache: false, savedAt: null };
      } catch (err) {
        if (toDeskError(err).code !== 'internal') throw err;
        for (const k of [key, ...fallbacks]) {
          const kept = cache.snapshots.load<Awaited<ReturnType<typeof fetch>>>(k);
          if (kept) return { value: kept.data, fromCache: true, savedAt: kept.savedAt, keptAs: k };
        }
        throw err;
      }
    },
  };

  return {
    api,
    sync,
    /** FeedSync's identity: held back while an empty cache is being filled, so the feed does not replay all history. */
    feedIdentity: () => (bootstrapping ? null : session.identity()),
    /** FeedSync.onEvents. */
    record: (batch: FeedEvent[]) => {
      // A failing cache must not stop the feed that the live console runs on.
      try {
        if (cache.owner() === session.operator?.id) sync.record(batch);
      } catch (err) {
        log('error', 'offline cache could not record feed events', { error: err instanceof Error ? err.message : String(err) });
      }
    },
    /** FeedSync.onState: the link is back, send what waited. */
    onConnection: (state: ConnectionState) => {
      if (state.status === 'online') { void outbox.flushQuietly(); void sync.refresh(); }
    },
    /**
     * At sign-in: adopt the cache (another operator's cached rows are
     * dropped), fill it if empty, and returns the seq the feed resumes from.
     */
    async signedIn(): Promise<number> {
      const op = session.operator;
      if (!op) return cache.feed.lastSeq();
      cache.setOwner(op.id);
      events.emit('outbox.changed', cache.outbox.counts(op.id));
      prune();
      if (cache.feed.lastSeq() === 0) {
        bootstrapping = true;
        try {
          await sync.bootstrap();
        } catch (err) {
          // Offline at first sign-in: the feed fills the cache from the start once the link returns.
          log('warn', 'cache bootstrap postponed', { error: err instanceof Error ? err.message : String(err) });
        } finally {
          bootstrapping = false;
        }
      }
      void outbox.flushQuietly();
      void sync.refresh();
      // A host may run for days: retention applies on a timer too, not only at sign-in.
      pruneTimer ??= setInterval(prune, PRUNE_EVERY_MS);
      (pruneTimer as { unref?: () => void }).unref?.();
      return cache.feed.lastSeq();
    },
    stop() {
      outbox.stop();
      if (pruneTimer) clearInterval(pruneTimer);
    },
  };
}

export type OfflineModule = ReturnType<typeof offlineModule>;
