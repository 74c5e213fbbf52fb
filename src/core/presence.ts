import type { Presence } from '../shared/api/presence';
import type { PresenceStatus } from '../shared/domain';
import { DeskError } from '../shared/errors';
import type { EventHub, Log } from './api/dispatch';
import type { SharedDb } from './ports/shared-db';
import type { Session } from './session';

export const HEARTBEAT_MS = 15_000;

interface PresenceRow { status: PresenceStatus; current_conversations: number; max_conversations: number }

/**
 * The operator's presence, heartbeated every 15 s while signed in (a row not
 * seen for 45 s counts as offline, DESIGN.md §3). Signing in means starting
 * work: the status goes online. Going offline with conversations in hand
 * requires an explicit choice, keep or return, so nothing is dropped silently.
 */
export class PresenceService {
  private state: Presence = { status: 'offline', current: 0, max: 0 };
  private timer: NodeJS.Timeout | null = null;
  /** Heartbeats go one after the other: two in flight could commit out of order and leave an old status in the database. */
  private beating: Promise<unknown> = Promise.resolve();

  constructor(private db: SharedDb, private session: Session, private events: EventHub, private log: Log,
    private intervalMs = HEARTBEAT_MS) {}

  get status(): PresenceStatus { return this.state.status; }
  get current(): Presence { return this.state; }

  start(): () => void {
    const off = this.session.onChange((op) => {
      this.stopTimer();
      if (op) void this.begin().catch((err) => this.log('warn', 'presence start failed', { error: String(err) }));
      else this.publish({ status: 'offline', current: 0, max: this.state.max });
    });
    if (this.session.operator) void this.begin().catch(() => {});
    return () => { off(); this.stopTimer(); };
  }

  private async begin(): Promise<void> {
    this.publish({ ...this.state, status: 'online' });
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => {}), this.intervalMs);
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One heartbeat with the status current when its turn comes, then re-read the row (capacity and load are the database's). */
  beat(max?: number): Promise<Presence> {
    const next = this.beating.then(() => this.beatNow(max), () => this.beatNow(max));
    this.beating = next.catch(() => {});
    return next;
  }

  private async beatNow(max?: number): Promise<Presence> {
    const { as } = this.session.require();
    try {
      await this.db.rpc('desk_heartbeat', { p_status: this.state.status, p_max_conversations: max }, as);
    } catch (err) {
      this.log('warn', 'heartbeat failed', { error: err instanceof Error ? err.message : String(err) });
      if (max !== undefined) throw err;
    }
    return this.read();
  }

  async read(): Promise<Presence> {
    const { as } = this.session.require();
    const [row] = await this.db.rpc<PresenceRow>('desk_my_presence', {}, as);
    if (row) this.publish({ status: this.state.status, current: row.current_conversations, max: row.max_conversations });
    return this.state;
  }

  async set(input: { status?: PresenceStatus; max?: number; handoff?: 'keep' | 'return' }): Promise<Presence> {
    const { as } = this.session.require();
    if (input.status === 'offline' && input.status !== this.state.status) {
      const now = await this.read();
      if (now.current > 0 && !input.handoff) {
        throw new DeskError('invalid_status', 'conversations in hand: keep them or return them to the queue',
          { conversationsInHand: now.current });
      }
      if (input.handoff === 'return') {
        const mine = await this.db.rpc<{ id: number }>('desk_queue', { p_tab: 'mine', p_limit: 1000 }, as);
        for (const c of mine) await this.db.rpc('desk_release', { p_conversation_id: c.id }, as);
      }
    }
    if (input.status) this.publish({ ...this.state, status: input.status });
    return this.beat(input.max);
  }

  private publish(next: Presence): void {
    const changed = JSON.stringify(next) !== JSON.stringify(this.state);
    this.state = next;
    if (changed) this.events.emit('presence.changed', next);
  }
}
