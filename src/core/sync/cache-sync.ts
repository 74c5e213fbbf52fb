import type { Log } from '../api/dispatch';
import type { Clock } from '../ports/clock';
import type { CachedConversation, CachedMessage, LocalCache } from '../ports/local-cache';
import type { FeedEvent, Identity, SharedDb } from '../ports/shared-db';
import { coalesced } from './coalesce';

const CACHED = new Set(['support_conversations', 'support_messages']);
/**
 * Rows per page of the first fill. Each page's SQLite write (with its search
 * index) holds the host's event loop: 5,000-row pages held it ~100 ms at a
 * time on a quiet machine, 150-370 ms at start-up, and every request of the
 * console opening meanwhile waited. 500-row pages: ~12 ms, for ~10 % more
 * time to fill 5,000 conversations.
 */
const PAGE = 500;
const DAY_MS = 86_400_000;

export interface CacheSyncOptions {
  cache: LocalCache;
  db: SharedDb;
  identity: () => Identity | null;
  clock: Clock;
  log?: Log;
  /** Told when cached rows changed, e.g. to let the console refresh from the cache. */
  onRefreshed?: (entities: string[]) => void;
}

/** A message row as desk_cache_* returns it: uuids and timestamps as JSON strings. */
function messageOf(r: Record<string, unknown>): CachedMessage {
  return {
    id: Number(r.id), conversation_id: Number(r.conversation_id), sender_type: String(r.sender_type),
    admin_id: (r.admin_id as string | null) ?? null, content: String(r.content ?? ''),
    created_at: String(r.created_at), client_msg_id: (r.client_msg_id as string | null) ?? null,
  };
}

export function conversationOf(r: Record<string, unknown>): CachedConversation {
  return { ...r, id: Number(r.id), agent_id: Number(r.agent_id), status: String(r.status),
    assigned_admin_id: (r.assigned_admin_id as string | null) ?? null, priority: String(r.priority ?? 'normal'),
    updated_at: String(r.updated_at ?? r.created_at) };
}

/**
 * Keeps the offline cache in step with the shared database. A feed batch is
 * recorded synchronously (new seq + the rows to fetch again, one SQLite
 * transaction); the rows are then fetched when the network allows. A crash
 * or a dropped link in between leaves them marked, so nothing is skipped.
 */
export class CacheSync {

  constructor(private opts: CacheSyncOptions) {}

  /** From FeedSync.onEvents: each batch once, in seq order. */
  record(batch: FeedEvent[]): void {
    if (batch.length === 0) return;
    const relevant = batch.filter((e) => CACHED.has(e.entity));
    const removed = relevant.filter((e) => e.kind === 'delete').map(({ entity, id }) => ({ entity, id }));
    const dirty = relevant.filter((e) => e.kind !== 'delete').map(({ entity, id }) => ({ entity, id }));
    this.opts.cache.feed.record(batch[batch.length - 1].seq, dirty, removed);
    if (dirty.length) void this.refresh();
  }

  /** Fetches every marked row; concurrent calls coalesce. Failures leave the marks for the next call. */
  refresh(): Promise<void> {
    return this.refreshRound().catch((err) => {
      this.opts.log?.('warn', 'cache refresh postponed', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  private readonly refreshRound = coalesced(() => this.drain());

  private async drain(): Promise<void> {
    const { cache, db } = this.opts;
    for (;;) {
      const who = this.opts.identity();
      if (!who) return;
      const marks = cache.feed.dirty(500);
      if (marks.length === 0) return;
      const convIds = marks.filter((m) => m.entity === 'support_conversations').map((m) => Number(m.id));
      const msgIds = marks.filter((m) => m.entity === 'support_messages').map((m) => Number(m.id));
      const touched = new Set<string>();
      if (msgIds.length) {
        const rows = (await db.rpc<Record<string, unknown>>('desk_cache_messages', { p_ids: msgIds }, who)).map(messageOf);
        // A message in a conversation we do not hold yet brings its conversation along.
        const missing = [...new Set(rows.map((m) => m.conversation_id))].filter((id) => !cache.conversations.get(id) && !convIds.includes(id));
        convIds.push(...missing);
        cache.messages.upsert(rows);
        const seen = new Set(rows.map((r) => r.id));
        cache.messages.remove(msgIds.filter((id) => !seen.has(id)));
        touched.add('support_messages');
      }
      if (convIds.length) {
        const rows = (await db.rpc<Record<string, unknown>>('desk_cache_conversations', { p_ids: convIds }, who)).map(conversationOf);
        cache.conversations.upsert(rows);
        // Gone, or no longer visible to this operator: it leaves the cache too.
        const seen = new Set(rows.map((r) => r.id));
        cache.conversations.remove(convIds.filter((id) => !seen.has(id)));
        touched.add('support_conversations');
      }
      cache.feed.clean(marks);
      this.opts.onRefreshed?.([...touched]);
    }
  }

  /**
   * First fill of an empty cache: reads the feed head, then copies the open
   * conversations and the last retention days of messages page by page.
   * Returns the head: the feed resumes from there, and any change made while
   * the pages were read comes again through the feed (fetching is idempotent).
   */
  async bootstrap(): Promise<number | null> {
    const { cache, db } = this.opts;
    const who = this.opts.identity();
    if (!who) return null;
    const [head] = await db.rpc<number>('desk_feed_head', {}, who);
    const since = new Date(this.opts.clock.now().getTime() - cache.settings.get().retentionDays * DAY_MS).toISOString();
    for (let after = 0; ;) {
      const rows = (await db.rpc<Record<string, unknown>>('desk_cache_bootstrap_conversations',
        { p_since: since, p_after_id: after, p_limit: PAGE }, who)).map(conversationOf);
      cache.conversations.upsert(rows);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    for (let after = 0; ;) {
      const rows = (await db.rpc<Record<string, unknown>>('desk_cache_bootstrap_messages',
        { p_since: since, p_after_id: after, p_limit: PAGE }, who)).map(messageOf);
      cache.messages.upsert(rows);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].id;
    }
    cache.compact();
    const seq = Math.max(Number(head ?? 0), cache.feed.lastSeq());
    cache.feed.setLastSeq(seq);
    this.opts.onRefreshed?.(['support_conversations', 'support_messages']);
    return seq;
  }
}
