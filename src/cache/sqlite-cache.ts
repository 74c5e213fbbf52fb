import type Database from 'better-sqlite3';
import type {
  CacheReset, CacheSettings, CachedConversation, CachedMessage, LocalCache, NewOutboxItem, OutboxItem,
  PruneReport, SearchHit,
} from '../core/ports/local-cache';
import { cachePathFor, openDatabase } from './open';
import { CLOSE, OPEN, stripMarkers, toFtsQuery, toSegments } from './search';

export const DEFAULT_SETTINGS: CacheSettings = { retentionDays: 30, maxSizeMb: 200 };
const OPEN_STATUSES = ['escalated', 'human_handling'];
const DAY_MS = 86_400_000;

interface OutboxRow {
  id: number; kind: OutboxItem['kind']; conversation_id: number; client_msg_id: string | null; payload: string;
  operator_id: string; created_at: string; state: OutboxItem['state']; attempts: number;
  error_code: string | null; last_error: string | null;
}

function outboxItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id, kind: r.kind, conversationId: r.conversation_id, clientMsgId: r.client_msg_id,
    payload: JSON.parse(r.payload) as Record<string, unknown>, operatorId: r.operator_id, createdAt: r.created_at,
    state: r.state, attempts: r.attempts, errorCode: r.error_code, lastError: r.last_error,
  };
}

function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** better-sqlite3 implementation of the LocalCache port. One instance per host; synchronous by design. */
export class SqliteLocalCache implements LocalCache {
  private stmts = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database, readonly path: string, readonly reset: CacheReset | null) {
    if (reset) this.setMeta('last_reset', JSON.stringify(reset));
  }

  /** `<dataDir>/cache/desk-cache.sqlite`, or ':memory:' for tests. */
  static open(opts: { dataDir?: string; path?: string; now?: Date }): SqliteLocalCache {
    const path = opts.path ?? cachePathFor(opts.dataDir ?? '.');
    const { db, reset } = openDatabase(path, opts.now);
    return new SqliteLocalCache(db, path, reset);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) { s = this.db.prepare(sql); this.stmts.set(sql, s); }
    return s;
  }

  private getMeta(key: string): string | null {
    const row = this.stmt('select value from meta where key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.stmt('insert into meta(key, value) values (?, ?) on conflict(key) do update set value = excluded.value').run(key, value);
  }

  /** The last reset this cache went through (kept across restarts, so a console opened later can still tell). */
  lastReset(): CacheReset | null {
    const v = this.getMeta('last_reset');
    return v ? (JSON.parse(v) as CacheReset) : null;
  }

  owner(): string | null { return this.getMeta('owner'); }

  setOwner(operatorId: string): void {
    const current = this.owner();
    if (current === operatorId) return;
    this.db.transaction(() => {
      if (current !== null) this.clearRows();
      this.setMeta('owner', operatorId);
    })();
  }

  conversations = {
    upsert: (rows: CachedConversation[]) => {
      const s = this.stmt(`insert into conversations(id, agent_id, status, assigned_admin_id, priority, updated_at, updated_ms, data)
        values (?, ?, ?, ?, ?, ?, ?, ?) on conflict(id) do update set agent_id = excluded.agent_id, status = excluded.status,
        assigned_admin_id = excluded.assigned_admin_id, priority = excluded.priority, updated_at = excluded.updated_at,
        updated_ms = excluded.updated_ms, data = excluded.data`);
      this.db.transaction(() => {
        for (const r of rows) {
          s.run(r.id, r.agent_id, r.status, r.assigned_admin_id ?? null, r.priority ?? 'normal', r.updated_at,
            ms(r.updated_at), JSON.stringify(r));
        }
      })();
    },
    remove: (ids: number[]) => {
      const s = this.stmt('delete from conversations where id = ?');
      const m = this.stmt('delete from messages where conversation_id = ?');
      this.db.transaction(() => { for (const id of ids) { s.run(id); m.run(id); } })();
    },
    get: (id: number): CachedConversation | null => {
      const row = this.stmt('select data from conversations where id = ?').get(id) as { data: string } | undefined;
      return row ? (JSON.parse(row.data) as CachedConversation) : null;
    },
    list: (filter: { status?: string[]; assignedTo?: string; limit?: number } = {}): CachedConversation[] => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status?.length) { where.push(`status in (${placeholders(filter.status.length)})`); params.push(...filter.status); }
      if (filter.assignedTo) { where.push('assigned_admin_id = ?'); params.push(filter.assignedTo); }
      params.push(filter.limit ?? 500);
      const sql = `select data from conversations ${where.length ? 'where ' + where.join(' and ') : ''}
        order by updated_ms desc limit ?`;
      return (this.stmt(sql).all(...params) as Array<{ data: string }>).map((r) => JSON.parse(r.data) as CachedConversation);
    },
    count: (): number => (this.stmt('select count(*) as n from conversations').get() as { n: number }).n,
  };

  messages = {
    upsert: (rows: CachedMessage[]) => {
      // Update only when the text changed, so the FTS index is not rewritten for every re-fetch.
      const s = this.stmt(`insert into messages(id, conversation_id, sender_type, admin_id, content, created_at, created_ms, client_msg_id)
        values (?, ?, ?, ?, ?, ?, ?, ?) on conflict(id) do update set content = excluded.content
        where messages.content is not excluded.content`);
      this.db.transaction(() => {
        for (const r of rows) {
          s.run(r.id, r.conversation_id, r.sender_type, r.admin_id ?? null, stripMarkers(r.content), r.created_at,
            ms(r.created_at), r.client_msg_id ?? null);
        }
      })();
    },
    remove: (ids: number[]) => {
      const s = this.stmt('delete from messages where id = ?');
      this.db.transaction(() => { for (const id of ids) s.run(id); })();
    },
    forConversation: (conversationId: number, limit = 1000): CachedMessage[] => {
      const rows = this.stmt(`select * from (select id, conversation_id, sender_type, admin_id, content, created_at, client_msg_id, created_ms
        from messages where conversation_id = ? order by created_ms desc, id desc limit ?) order by created_ms, id`)
        .all(conversationId, limit) as Array<CachedMessage & { created_ms?: number }>;
      return rows.map(({ created_ms: _ms, ...m }) => m);
    },
    count: (): number => (this.stmt('select count(*) as n from messages').get() as { n: number }).n,
  };

  snapshots = {
    save: (name: string, data: unknown, savedAt: string) => {
      this.stmt(`insert into snapshots(name, saved_at, data) values (?, ?, ?)
        on conflict(name) do update set saved_at = excluded.saved_at, data = excluded.data`).run(name, savedAt, JSON.stringify(data));
    },
    load: <T = unknown>(name: string): { data: T; savedAt: string } | null => {
      const row = this.stmt('select saved_at, data from snapshots where name = ?').get(name) as { saved_at: string; data: string } | undefined;
      return row ? { data: JSON.parse(row.data) as T, savedAt: row.saved_at } : null;
    },
  };

  feed = {
    lastSeq: (): number => Number(this.getMeta('feed_seq') ?? 0),
    setLastSeq: (seq: number) => this.setMeta('feed_seq', String(seq)),
    record: (seq: number, dirty: Array<{ entity: string; id: string }>, removed: Array<{ entity: string; id: string }>) => {
      const mark = this.stmt('insert or ignore into dirty(entity, id) values (?, ?)');
      const unmark = this.stmt('delete from dirty where entity = ? and id = ?');
      this.db.transaction(() => {
        for (const d of dirty) mark.run(d.entity, d.id);
        for (const r of removed) {
          unmark.run(r.entity, r.id);
          if (r.entity === 'support_conversations') this.conversations.remove([Number(r.id)]);
          if (r.entity === 'support_messages') this.messages.remove([Number(r.id)]);
        }
        this.setMeta('feed_seq', String(seq));
      })();
    },
    dirty: (limit: number) => this.stmt('select entity, id from dirty limit ?').all(limit) as Array<{ entity: string; id: string }>,
    clean: (rows: Array<{ entity: string; id: string }>) => {
      const s = this.stmt('delete from dirty where entity = ? and id = ?');
      this.db.transaction(() => { for (const r of rows) s.run(r.entity, r.id); })();
    },
  };

  outbox = {
    enqueue: (item: NewOutboxItem): OutboxItem => {
      const { lastInsertRowid } = this.stmt(`insert into outbox(kind, conversation_id, client_msg_id, payload, operator_id, created_at)
        values (?, ?, ?, ?, ?, ?)`).run(item.kind, item.conversationId, item.clientMsgId, JSON.stringify(item.payload),
        item.operatorId, item.createdAt);
      return this.outbox.get(Number(lastInsertRowid))!;
    },
    pending: (operatorId: string, limit = -1): OutboxItem[] =>
      (this.stmt(`select * from outbox where operator_id = ? and state = 'pending' order by id limit ?`).all(operatorId, limit) as OutboxRow[]).map(outboxItem),
    rejected: (operatorId: string): OutboxItem[] =>
      (this.stmt(`select * from outbox where operator_id = ? and state = 'rejected' order by id`).all(operatorId) as OutboxRow[]).map(outboxItem),
    get: (id: number): OutboxItem | null => {
      const row = this.stmt('select * from outbox where id = ?').get(id) as OutboxRow | undefined;
      return row ? outboxItem(row) : null;
    },
    byClientMsgId: (clientMsgId: string): OutboxItem | null => {
      const row = this.stmt('select * from outbox where client_msg_id = ?').get(clientMsgId) as OutboxRow | undefined;
      return row ? outboxItem(row) : null;
    },
    done: (id: number) => { this.stmt('delete from outbox where id = ?').run(id); },
    doneMany: (ids: number[]) => {
      const s = this.stmt('delete from outbox where id = ?');
      this.db.transaction(() => { for (const id of ids) s.run(id); })();
    },
    failed: (id: number, message: string) => {
      this.stmt('update outbox set attempts = attempts + 1, last_error = ? where id = ?').run(message.slice(0, 500), id);
    },
    reject: (id: number, code: string, message: string) => {
      this.stmt(`update outbox set state = 'rejected', attempts = attempts + 1, error_code = ?, last_error = ? where id = ?`)
        .run(code, message.slice(0, 500), id);
    },
    dismiss: (id: number) => { this.stmt(`delete from outbox where id = ? and state = 'rejected'`).run(id); },
    counts: (operatorId: string) => {
      const row = this.stmt(`select coalesce(sum(state = 'pending'), 0) as pending, coalesce(sum(state = 'rejected'), 0) as rejected
        from outbox where operator_id = ?`).get(operatorId) as { pending: number; rejected: number };
      return { pending: row.pending, rejected: row.rejected };
    },
  };

  drafts = {
    get: (operatorId: string, conversationId: number) => {
      const row = this.stmt('select content, updated_at from drafts where operator_id = ? and conversation_id = ?')
        .get(operatorId, conversationId) as { content: string; updated_at: string } | undefined;
      return row ? { content: row.content, updatedAt: row.updated_at } : null;
    },
    /** An empty draft is no draft: saving '' removes it. */
    save: (operatorId: string, conversationId: number, content: string, updatedAt: string) => {
      if (content === '') {
        this.stmt('delete from drafts where operator_id = ? and conversation_id = ?').run(operatorId, conversationId);
        return;
      }
      this.stmt(`insert into drafts(operator_id, conversation_id, content, updated_at) values (?, ?, ?, ?)
        on conflict(operator_id, conversation_id) do update set content = excluded.content, updated_at = excluded.updated_at`)
        .run(operatorId, conversationId, content, updatedAt);
    },
  };

  /**
   * Newest matches first. Ranking by relevance (bm25) scores every match and
   * costs 50 ms on a common word in 200k messages; walking the index by id
   * (ids grow with time) stops after `limit` hits, and an operator looks for
   * a recent exchange anyway.
   */
  search(query: string, limit = 50): SearchHit[] {
    const fts = toFtsQuery(query);
    if (!fts) return [];
    const rows = this.stmt(`select m.id, m.conversation_id, m.sender_type, m.created_at,
        snippet(messages_fts, 0, ?, ?, '…', 16) as snip
      from messages_fts join messages m on m.id = messages_fts.rowid
      where messages_fts match ? order by messages_fts.rowid desc limit ?`)
      .all(OPEN, CLOSE, fts, limit) as Array<{ id: number; conversation_id: number; sender_type: string; created_at: string; snip: string }>;
    return rows.map((r) => ({
      messageId: r.id, conversationId: r.conversation_id, senderType: r.sender_type, createdAt: r.created_at,
      segments: toSegments(r.snip),
    }));
  }

  settings = {
    get: (): CacheSettings => {
      const v = this.getMeta('settings');
      return { ...DEFAULT_SETTINGS, ...(v ? (JSON.parse(v) as Partial<CacheSettings>) : {}) };
    },
    set: (patch: Partial<CacheSettings>): CacheSettings => {
      const next = { ...this.settings.get(), ...patch };
      this.setMeta('settings', JSON.stringify(next));
      return next;
    },
  };

  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  }

  prune(now: Date): PruneReport {
    const { retentionDays, maxSizeMb } = this.settings.get();
    const cutoff = now.getTime() - retentionDays * DAY_MS;
    let messages = 0;
    let conversations = 0;
    this.db.transaction(() => {
      messages += this.stmt('delete from messages where created_ms < ?').run(cutoff).changes;
      // Open conversations stay whatever their age: they are the operator's work in progress.
      conversations += this.stmt(`delete from conversations where updated_ms < ? and status not in (${placeholders(OPEN_STATUSES.length)})`)
        .run(cutoff, ...OPEN_STATUSES).changes;
      messages += this.stmt('delete from messages where conversation_id not in (select id from conversations)').run().changes;
    })();
    const cap = maxSizeMb * 1024 * 1024;
    // Oldest messages go first, a slice at a time, until the file fits.
    while (this.sizeBytes() > cap) {
      const total = this.messages.count();
      if (total === 0) break;
      const slice = Math.max(100, Math.ceil(total * 0.05));
      messages += this.stmt('delete from messages where id in (select id from messages order by created_ms, id limit ?)').run(slice).changes;
    }
    this.db.pragma('incremental_vacuum');
    return { messages, conversations, sizeBytes: this.sizeBytes() };
  }

  private clearRows(): void {
    this.db.exec(`delete from messages; delete from conversations; delete from snapshots; delete from dirty;
      delete from meta where key = 'feed_seq';`);
  }

  wipe(opts: { everything?: boolean } = {}): void {
    this.db.transaction(() => {
      this.clearRows();
      if (opts.everything) this.db.exec('delete from outbox; delete from drafts;');
    })();
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  compact(): void {
    this.db.prepare(`insert into messages_fts(messages_fts) values ('optimize')`).run();
    this.db.pragma('incremental_vacuum');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
