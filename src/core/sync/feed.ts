import type { ConnectionState } from '../../shared/domain';
import type { Identity, SharedDb } from '../ports/shared-db';
import type { Clock } from '../ports/clock';
import { coalesced } from './coalesce';

export interface FeedEvent { seq: number; kind: string; entity: string; id: string; operator_scope: number | null; at: string }

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
 * Follows the change feed: every wake-up (and a slow poll) pulls
 * desk_events_since(last seq) page by page. Realtime is only a doorbell, so
 * the same code is gap-free over LISTEN/NOTIFY, Supabase realtime or polling.
 */
export class FeedSync {
  private seq: number;
  private state: ConnectionState;
  private offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private opts: FeedSyncOptions) {
    this.seq = opts.startSeq ?? 0;
    this.state = { kind: opts.db.kind, status: 'syncing', since: opts.clock.now().toISOString(), lastSeq: this.seq };
  }

  get lastSeq(): number { return this.seq; }

  /** Follow the feed from `seq`: the cache was filled from a snapshot taken there, or changed hands. */
  resetTo(seq: number): void { this.seq = seq; }
  get connection(): ConnectionState { return this.state; }

  start(): void {
    this.offs.push(this.opts.db.onWake(() => void this.pull()));
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

  private async drain(): Promise<void> {
    const who = this.opts.identity();
    if (!who) return;
    const pageSize = this.opts.pageSize ?? 500;
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
        if (visible.length > 0) this.opts.onEvents(visible);
        if (page.length < pageSize && last.kind !== 'skip') break;
      }
      this.setState('online');
    } catch (err) {
      this.setState('offline', err instanceof Error ? err.message : String(err));
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
