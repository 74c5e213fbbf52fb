import type { ConnectionState } from '../../shared/domain';
import type { FeedEvent, Identity, SharedDb } from '../ports/shared-db';
import type { Clock } from '../ports/clock';
import { coalesced } from './coalesce';

/** desk_feed_scope(): which bots' events the caller may see, and the rows whose changes may change that. */
interface FeedScope { sees_all: boolean; agent_ids: number[] | null; operator_id: string | null; availability_id: number | null }

export interface FeedSyncOptions {
  db: SharedDb;
  identity: () => Identity | null;
  clock: Clock;
  /** Where to start; a cache restores its last seq here (issue: offline cache). */
  startSeq?: number;
  /** Called with each batch, in seq order, exactly once per event. */
  onEvents: (events: FeedEvent[]) => void;
  onState: (state: ConnectionState) => void;
  /** Safety net when wake-ups are lost (e.g. a proxy eats NOTIFY): pull this often anyway. */
  pollMs?: number;
  pageSize?: number;
}

/**
 * Follows the change feed: a wake-up (and a slow poll) pulls
 * desk_events_since(last seq) page by page, so the same code is gap-free over
 * LISTEN/NOTIFY, Supabase realtime or polling. A wake-up that carries the very
 * next event, one the caller surely may see, is taken as it is: wake-ups
 * arrive in commit order and commits in seq order, and with many desktops on
 * one database most changes then cost no read at all. Anything else (a gap,
 * a bare wake-up, an event of a bot the caller may not see, a read already
 * running) falls back to the pull.
 */
export class FeedSync {
  private seq: number;
  private state: ConnectionState;
  private offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private pulling = false;
  private taken: FeedEvent[] = [];
  /** desk_feed_scope's answer and the identity it was read for (JSON): another identity's is no answer. */
  private known: { who: string; scope: FeedScope } | null = null;
  private scopeLoading = false;

  constructor(private opts: FeedSyncOptions) {
    this.seq = opts.startSeq ?? 0;
    this.state = { kind: opts.db.kind, status: 'syncing', since: opts.clock.now().toISOString(), lastSeq: this.seq };
  }

  get lastSeq(): number { return this.seq; }

  /** Follow the feed from `seq`: the cache was filled from a snapshot taken there, or changed hands. */
  resetTo(seq: number): void { this.seq = seq; this.taken = this.taken.filter((e) => e.seq > seq); }
  get connection(): ConnectionState { return this.state; }

  start(): void {
    this.offs.push(this.opts.db.onWake((_seq, event) => { if (!event || !this.take(event)) void this.pull(); }));
    this.offs.push(this.opts.db.onLinkChange((up, detail) => {
      if (up) void this.pull();
      else this.setState('offline', detail);
    }));
    const poll = this.opts.pollMs ?? 5_000;
    this.timer = setInterval(() => void this.pull(), poll);
    this.timer.unref?.();
    void this.pull();
  }

  /** Pulls until caught up. Concurrent calls coalesce into one more round, never a parallel one. */
  readonly pull = coalesced(() => this.drain(), () => this.stopped);

  /** Takes a wake-up's event without a read when it is the next one and surely visible; false = pull instead. */
  private take(e: FeedEvent): boolean {
    if (e.seq <= this.seq) return true;
    if (this.pulling || e.seq !== this.seq + 1 || !this.surelySees(e)) return false;
    this.seq = e.seq;
    // Events of one commit arrive together: hand them over as one batch, as a pull would.
    if (this.taken.push(e) === 1) queueMicrotask(() => this.flushTaken());
    return true;
  }

  private flushTaken(): void {
    const batch = this.taken;
    this.taken = [];
    if (batch.length === 0 || this.stopped) return;
    this.deliver(batch);
    this.setState('online');
  }

  /** What the current identity may see, if known. */
  private scope(): FeedScope | null {
    return this.known?.who === JSON.stringify(this.opts.identity()) ? this.known.scope : null;
  }

  private surelySees(e: FeedEvent): boolean {
    const scope = this.scope();
    if (!scope) { void this.loadScope(); return false; }
    return e.operator_scope === null || scope.sees_all || (scope.agent_ids ?? []).includes(e.operator_scope);
  }

  private async loadScope(): Promise<void> {
    const who = this.opts.identity();
    if (!who || this.scopeLoading) return;
    this.scopeLoading = true;
    try {
      const [scope] = await this.opts.db.rpc<FeedScope>('desk_feed_scope', {}, who);
      this.known = scope ? { who: JSON.stringify(who), scope } : null;
    } catch {
      // Unknown scope only means pulling, as before.
    } finally {
      this.scopeLoading = false;
    }
  }

  private deliver(events: FeedEvent[]): void {
    // A change to the caller's own operator or availability row may change what it sees: ask again, in the
    // background. Until the answer comes, a bot just granted is still pulled, and a bot just withdrawn may
    // have an event taken, whose rows the consumer's reads (under RLS) then do not return.
    const s = this.scope();
    if (s && events.some((e) => (e.entity === 'operators' && e.id === s.operator_id)
        || (e.entity === 'admin_availability' && (s.availability_id === null || Number(e.id) === s.availability_id)))) {
      void this.loadScope();
    }
    this.opts.onEvents(events);
  }

  private async drain(): Promise<void> {
    const who = this.opts.identity();
    if (!who) return;
    const pageSize = this.opts.pageSize ?? 500;
    this.pulling = true;
    try {
      for (;;) {
        const page = await this.opts.db.rpc<FeedEvent>('desk_events_since', { p_seq: this.seq, p_limit: pageSize }, who);
        // Syncing once the database answers again: a retry that fails keeps "offline since" where it was.
        if (this.state.status === 'offline') this.setState('syncing');
        if (page.length === 0) break;
        const last = page[page.length - 1];
        this.seq = last.seq;
        // A skip marker only says how far the server scanned past events this operator may not see.
        const visible = page.filter((e) => e.kind !== 'skip');
        if (visible.length > 0) this.deliver(visible);
        if (page.length < pageSize && last.kind !== 'skip') break;
      }
      this.setState('online');
      // Caught up: learn what the operator may see now, so the next wake-up's event can be taken as it comes.
      if (!this.scope()) void this.loadScope();
    } catch (err) {
      this.setState('offline', err instanceof Error ? err.message : String(err));
    } finally {
      this.pulling = false;
    }
  }

  private setState(status: ConnectionState['status'], detail?: string): void {
    if (this.state.status === status && this.state.lastSeq === this.seq) return;
    const since = this.state.status === status ? this.state.since : this.opts.clock.now().toISOString();
    this.state = { kind: this.opts.db.kind, status, since, lastSeq: this.seq, ...(detail ? { detail } : {}) };
    this.opts.onState(this.state);
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs) off();
    if (this.timer) clearInterval(this.timer);
  }
}
