/**
 * The offline cache as the core sees it (DESIGN.md §5). The implementation
 * (src/cache, better-sqlite3) is synchronous and local, so the port is too:
 * reads from it never wait on the network, which is what lets the console
 * open before the shared database answers.
 */

/** A support_conversations row as the shared database returned it (to_jsonb), kept whole. */
export interface CachedConversation {
  id: number;
  agent_id: number;
  status: string;
  assigned_admin_id: string | null;
  priority: string;
  updated_at: string;
  [column: string]: unknown;
}

export interface CachedMessage {
  id: number;
  conversation_id: number;
  sender_type: string;
  admin_id: string | null;
  content: string;
  created_at: string;
  client_msg_id: string | null;
}

export type OutboxKind = 'reply' | 'claim' | 'resolve';

/** Something the operator did that still has to reach the shared database, in the order it was done. */
export interface OutboxItem {
  id: number;
  kind: OutboxKind;
  conversationId: number;
  /** Replies only: the idempotency key desk_reply deduplicates on. */
  clientMsgId: string | null;
  /** The rpc's own arguments (content, resolution type...). */
  payload: Record<string, unknown>;
  operatorId: string;
  createdAt: string;
  state: 'pending' | 'rejected';
  attempts: number;
  errorCode: string | null;
  lastError: string | null;
}

export interface NewOutboxItem {
  kind: OutboxKind;
  conversationId: number;
  clientMsgId: string | null;
  payload: Record<string, unknown>;
  operatorId: string;
  createdAt: string;
}

/** A run of text from a search hit; `highlighted` marks the words that matched. Never HTML. */
export interface Segment { text: string; highlighted: boolean }

export interface SearchHit {
  messageId: number;
  conversationId: number;
  senderType: string;
  createdAt: string;
  segments: Segment[];
}

export interface CacheSettings {
  /** Messages older than this are pruned (default 30). */
  retentionDays: number;
  /** The cache file is kept under this size by pruning the oldest messages first (default 200 MB). */
  maxSizeMb: number;
}

export interface CacheReset {
  reason: 'corrupt' | 'newer_version';
  /** Where the unreadable file was moved, so nothing is destroyed. */
  movedTo: string;
  at: string;
}

export interface PruneReport { messages: number; conversations: number; sizeBytes: number }

export interface LocalCache {
  readonly path: string;
  /** Set when this open found an unusable file, moved it aside and started a new one. */
  readonly reset: CacheReset | null;
  /** The last reset this cache went through, remembered across restarts for a console that connects later. */
  lastReset(): CacheReset | null;

  /** Whose data this cache holds; a different operator signing in starts from an empty cache (their unsent work is kept). */
  owner(): string | null;
  setOwner(operatorId: string): void;

  conversations: {
    upsert(rows: CachedConversation[]): void;
    remove(ids: number[]): void;
    get(id: number): CachedConversation | null;
    /** Newest first; `status` filters, `assignedTo` filters on assigned_admin_id. */
    list(filter?: { status?: string[]; assignedTo?: string; limit?: number }): CachedConversation[];
    count(): number;
  };
  messages: {
    upsert(rows: CachedMessage[]): void;
    remove(ids: number[]): void;
    /** Oldest first, as a conversation reads. */
    forConversation(conversationId: number, limit?: number): CachedMessage[];
    count(): number;
  };
  /** An opaque view the console saved (e.g. its queue lists), shown first at next open. */
  snapshots: {
    save(name: string, data: unknown, savedAt: string): void;
    load<T = unknown>(name: string): { data: T; savedAt: string } | null;
  };
  feed: {
    lastSeq(): number;
    /**
     * Records a feed batch: the new seq and which rows must be fetched again,
     * in one transaction, so a crash or an offline fetch loses no change.
     */
    record(seq: number, dirty: Array<{ entity: string; id: string }>, removed: Array<{ entity: string; id: string }>): void;
    dirty(limit: number): Array<{ entity: string; id: string }>;
    clean(rows: Array<{ entity: string; id: string }>): void;
    /** After a bootstrap from a snapshot of the shared database taken at `seq`. */
    setLastSeq(seq: number): void;
  };
  outbox: {
    enqueue(item: NewOutboxItem): OutboxItem;
    /** Pending items of this operator, oldest first. */
    pending(operatorId: string, limit?: number): OutboxItem[];
    rejected(operatorId: string): OutboxItem[];
    get(id: number): OutboxItem | null;
    byClientMsgId(clientMsgId: string): OutboxItem | null;
    /** Done: the shared database has it. Removes the item. */
    done(id: number): void;
    /** Several done at once, in one transaction. */
    doneMany(ids: number[]): void;
    failed(id: number, message: string): void;
    reject(id: number, code: string, message: string): void;
    /** The operator has seen a rejection; forget it. */
    dismiss(id: number): void;
    counts(operatorId: string): { pending: number; rejected: number };
  };
  drafts: {
    get(operatorId: string, conversationId: number): { content: string; updatedAt: string } | null;
    save(operatorId: string, conversationId: number, content: string, updatedAt: string): void;
  };
  search(query: string, limit?: number): SearchHit[];
  settings: {
    get(): CacheSettings;
    set(patch: Partial<CacheSettings>): CacheSettings;
  };
  /** Applies retention and the size cap. `now` comes from the core's clock. */
  prune(now: Date): PruneReport;
  sizeBytes(): number;
  /** After a bulk fill: merges the search index (halves typical query time on a large cache; a few hundred ms). */
  compact(): void;
  /** Forgets every cached row. Unsent replies and drafts are kept unless `everything`. */
  wipe(opts?: { everything?: boolean }): void;
  close(): void;
}
