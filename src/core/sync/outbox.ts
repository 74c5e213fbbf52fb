import { DeskError, toDeskError } from '../../shared/errors';
import type { Log } from '../api/dispatch';
import type { Clock } from '../ports/clock';
import type { LocalCache, OutboxItem, OutboxKind } from '../ports/local-cache';
import type { Identity, SharedDb } from '../ports/shared-db';
import { conversationOf } from './cache-sync';
import { coalesced } from './coalesce';

/** The codes a SQL function raises on purpose: sending again would fail again, so the item is refused, not retried. */
const DEFINITIVE = new Set(['not_operator', 'not_found', 'already_claimed', 'at_capacity', 'not_allowed', 'invalid_status', 'invalid_input']);

export interface OutboxRejection {
  id: number; kind: OutboxKind; conversationId: number; code: string; message: string;
  /** The reply's text, so what the operator typed is never lost. */
  content: string | null;
}

export interface OutboxOptions {
  cache: LocalCache;
  db: SharedDb;
  clock: Clock;
  /** The signed-in operator, or null (nothing is sent while signed out). */
  operator: () => { id: string; as: Identity } | null;
  newId: () => string;
  log?: Log;
  onRejected?: (r: OutboxRejection) => void;
  onChanged?: (counts: { pending: number; rejected: number }) => void;
  /** A row the shared database returned (message or conversation), for the cache and the console. */
  onApplied?: (item: OutboxItem, row: Record<string, unknown>) => void;
  /** Retry delays after a failed send, doubling. */
  retry?: { initialMs: number; maxMs: number };
}

export type SendOutcome =
  | { state: 'sent'; row: Record<string, unknown> }
  | { state: 'queued'; error: string | null }
  | { state: 'rejected'; error: DeskError };

/** Replies per round trip on replay: one commit for many, still each idempotent. */
const BATCH = 100;

const RPC: Record<OutboxKind, string> = { reply: 'desk_reply', claim: 'desk_claim', resolve: 'desk_resolve' };

/**
 * What the operator did, kept in the cache until the shared database has it.
 * Items go strictly in order, one at a time; a failure that is not a refusal
 * (link down, connection cut mid-send) stops the run and keeps the item, which
 * is sent again later with the same client_msg_id, so desk_reply stores it
 * once. A take-over or closure that went stale meanwhile is refused with its
 * reason and kept for the console until dismissed.
 */
export class Outbox {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delay: number;
  private stopped = false;
  /** Items whose submit() is waiting, and the rows the database returned for them. */
  private waiting = new Set<number>();
  private sent = new Map<number, Record<string, unknown>>();

  constructor(private opts: OutboxOptions) {
    this.delay = opts.retry?.initialMs ?? 1_000;
  }

  /** Queues a reply and tries to send it (and anything before it) now. */
  reply(conversationId: number, content: string, clientMsgId?: string): Promise<SendOutcome & { clientMsgId: string }> {
    const id = clientMsgId ?? this.opts.newId();
    return this.submit('reply', conversationId, { content }, id).then((o) => ({ ...o, clientMsgId: id }));
  }

  claim(conversationId: number): Promise<SendOutcome> {
    return this.submit('claim', conversationId, {}, null);
  }

  resolve(conversationId: number, args: { resolutionType: string; notes?: string; learnedQuestion?: string; learnedAnswer?: string }): Promise<SendOutcome> {
    return this.submit('resolve', conversationId, args, null);
  }

  private async submit(kind: OutboxKind, conversationId: number, payload: Record<string, unknown>, clientMsgId: string | null): Promise<SendOutcome> {
    const me = this.opts.operator();
    if (!me) throw new DeskError('unauthorized', 'sign in first');
    const { cache } = this.opts;
    // The same clientMsgId again (the console retrying) is the same reply, not a second one.
    const existing = clientMsgId ? cache.outbox.byClientMsgId(clientMsgId) : null;
    if (existing && (existing.operatorId !== me.id || existing.kind !== kind || existing.conversationId !== conversationId)) {
      throw new DeskError('invalid_input', 'this clientMsgId was already used for another message');
    }
    const item = existing ?? cache.outbox.enqueue({
      kind, conversationId, clientMsgId, payload, operatorId: me.id, createdAt: this.opts.clock.now().toISOString(),
    });
    this.changed();
    this.waiting.add(item.id);
    try {
      await this.flush();
      const row = this.sent.get(item.id);
      if (row) return { state: 'sent', row };
    } finally {
      this.waiting.delete(item.id);
      this.sent.delete(item.id);
    }
    const after = cache.outbox.get(item.id);
    if (after?.state === 'rejected') {
      // Refused at once, while the operator is looking: the error answers the command; nothing to keep.
      cache.outbox.dismiss(item.id);
      this.changed();
      return { state: 'rejected', error: new DeskError((after.errorCode ?? 'internal') as DeskError['code'], after.lastError ?? 'refused') };
    }
    return { state: 'queued', error: after?.lastError ?? null };
  }

  /** For timers and link events: a failure (the cache itself failing) is logged, never an unhandled rejection that stops the host. */
  flushQuietly(): Promise<void> {
    return this.flush().catch((err) => {
      this.opts.log?.('error', 'outbox replay failed', { error: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Sends every pending item in order. Concurrent calls coalesce into one more run of the same promise. */
  readonly flush = coalesced(() => this.drain(), () => this.stopped);

  private async drain(): Promise<void> {
    const me = this.opts.operator();
    if (!me) return;
    while (!this.stopped) {
      const head = this.opts.cache.outbox.pending(me.id, BATCH);
      if (head.length === 0) break;
      // Replies in a row go in one round trip; anything else, or a batch that failed, goes one by one.
      const firstOther = head.findIndex((i) => i.kind !== 'reply');
      const run = firstOther === -1 ? head : head.slice(0, firstOther);
      if (run.length > 1 && await this.sendBatch(run, me)) continue;
      const item = head[0];
      const outcome = await this.send(item, me);
      if (outcome === 'retry') { this.scheduleRetry(); return; }
      if (outcome === 'rejected') continue;
      this.applied(item, outcome);
    }
    this.delay = this.opts.retry?.initialMs ?? 1_000;
  }

  private applied(item: OutboxItem, row: Record<string, unknown>): void {
    if (this.waiting.has(item.id)) this.sent.set(item.id, row);
    this.opts.onApplied?.(item, row);
  }

  /** True when the whole run is stored; false sends the head alone, which tells a dead link from a refusal. */
  private async sendBatch(run: OutboxItem[], me: { id: string; as: Identity }): Promise<boolean> {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await this.opts.db.rpc<Record<string, unknown>>('desk_reply_batch', {
        p_items: run.map((i) => ({ conversation_id: i.conversationId, client_msg_id: i.clientMsgId, content: i.payload.content })),
      }, me.as);
    } catch {
      return false;
    }
    if (rows.length !== run.length) return false;
    this.opts.cache.outbox.doneMany(run.map((i) => i.id));
    this.changed();
    run.forEach((item, k) => this.applied(item, rows[k]));
    return true;
  }

  private async send(item: OutboxItem, me: { id: string; as: Identity }): Promise<Record<string, unknown> | 'rejected' | 'retry'> {
    const { cache, db } = this.opts;
    let row: Record<string, unknown>;
    try {
      [row] = await db.rpc<Record<string, unknown>>(RPC[item.kind], this.argsOf(item), me.as);
    } catch (err) {
      const e = toDeskError(err);
      if (!DEFINITIVE.has(e.code)) {
        cache.outbox.failed(item.id, e.message);
        this.changed();
        return 'retry';
      }
      // A claim or closure may have reached the database before a crash or a cut: if it holds, it was ours.
      const landed = await this.alreadyApplied(item, me).catch(() => null);
      if (landed === null && e.code !== 'not_found') {
        cache.outbox.failed(item.id, e.message);
        return 'retry';
      }
      if (landed) {
        cache.outbox.done(item.id);
        this.changed();
        return landed;
      }
      cache.outbox.reject(item.id, e.code, e.message);
      this.changed();
      this.opts.onRejected?.({
        id: item.id, kind: item.kind, conversationId: item.conversationId, code: e.code, message: e.message,
        content: typeof item.payload.content === 'string' ? item.payload.content : null,
      });
      return 'rejected';
    }
    cache.outbox.done(item.id);
    this.changed();
    return row ?? {};
  }

  private argsOf(item: OutboxItem): Record<string, unknown> {
    const p = item.payload;
    if (item.kind === 'reply') return { p_conversation_id: item.conversationId, p_client_msg_id: item.clientMsgId, p_content: p.content };
    if (item.kind === 'claim') return { p_conversation_id: item.conversationId };
    return {
      p_conversation_id: item.conversationId, p_resolution_type: p.resolutionType, p_notes: p.notes || undefined,
      p_learned_question: p.learnedAnswer ? p.learnedQuestion : undefined, p_learned_answer: p.learnedAnswer,
    };
  }

  /** The conversation row when this item's effect is already there (a replay after a crash), else false. */
  private async alreadyApplied(item: OutboxItem, me: { id: string; as: Identity }): Promise<Record<string, unknown> | false> {
    if (item.kind === 'reply') return false;
    const [raw] = await this.opts.db.rpc<Record<string, unknown>>('desk_cache_conversations', { p_ids: [item.conversationId] }, me.as);
    if (!raw) return false;
    const c = conversationOf(raw);
    if (c.assigned_admin_id !== me.id) return false;
    if (item.kind === 'claim' && c.status === 'human_handling') return raw;
    if (item.kind === 'resolve' && c.status === 'resolved' && c.resolution_type === item.payload.resolutionType) return raw;
    return false;
  }

  private scheduleRetry(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => { this.timer = null; void this.flushQuietly(); }, this.delay);
    (this.timer as { unref?: () => void }).unref?.();
    this.delay = Math.min(this.delay * 2, this.opts.retry?.maxMs ?? 30_000);
  }

  private changed(): void {
    const me = this.opts.operator();
    if (me) this.opts.onChanged?.(this.opts.cache.outbox.counts(me.id));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
