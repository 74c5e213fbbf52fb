import type { Alert, AlertSettings } from '../../shared/api/alerts';
import type { QueueCounts } from '../../shared/api/queue';
import type { PresenceStatus } from '../../shared/domain';
import type { EventHub, Log } from '../api/dispatch';
import type { SharedDb } from '../ports/shared-db';
import type { Session } from '../session';
import { DEFAULT_ALERT_SETTINGS, routeAlert, type AlertCandidate } from './route';

interface CandidateRow extends AlertCandidate {
  agent_name: string | null;
  preview: string | null;
  reason: string | null;
  changed_at: string | null;
  db_now: string;
}

export interface AlertServiceOptions {
  db: SharedDb;
  session: Session;
  events: EventHub;
  presence: () => PresenceStatus;
  log: Log;
  /** How often an unacknowledged alert with repeat on is raised again. */
  repeatMs?: number;
}

// Commits land out of changed_at order by a few ms; re-reading a short window and de-duplicating catches them.
const OVERLAP_MS = 5_000;
const PAGE = 500;

const stateOf = (row: CandidateRow) => `${row.lane}|${row.status}|${row.assigned_admin_id ?? ''}`;

/**
 * Turns feed wake-ups into `queue.counts` (tray/dock badge) and `alert.raised`
 * (native notification, sound). It reads what changed since its last look,
 * asks the pure router, and raises each conversation state at most once.
 */
export class AlertService {
  settings: AlertSettings = structuredClone(DEFAULT_ALERT_SETTINGS);
  private since: string | null = null;
  /** conversation id -> the state we last routed, so a replayed window raises nothing twice. */
  private routed = new Map<number, string>();
  private active = new Map<string, Alert>();
  private claimedHere = new Set<number>();
  private lastCounts = '';
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private opts: AlertServiceOptions) {}

  start(): () => void {
    const off = this.opts.events.subscribe((name, payload) => {
      if (name !== 'feed.changed') return;
      const kinds = (payload as { kinds: string[] }).kinds;
      if (kinds.some((k) => k === 'support_conversations' || k === 'conversation_logs' || k === 'support_messages')) {
        void this.refresh();
      }
    });
    const offSession = this.opts.session.onChange(() => this.reset());
    this.timer = setInterval(() => this.repeat(), this.opts.repeatMs ?? 30_000);
    this.timer.unref?.();
    if (this.opts.session.operator) this.reset();
    return () => { off(); offSession(); if (this.timer) clearInterval(this.timer); };
  }

  /** This desktop claimed it: its assignment must not alert the one who clicked. */
  noteClaimed(conversationId: number): void { this.claimedHere.add(conversationId); }

  acknowledge(id: string): boolean { return this.active.delete(id); }

  configure(patch: Partial<AlertSettings>): AlertSettings {
    this.settings = { ...this.settings, ...patch, sounds: { ...this.settings.sounds, ...(patch.sounds ?? {}) } };
    return this.settings;
  }

  private reset(): void {
    this.since = null;
    this.routed.clear();
    this.active.clear();
    this.claimedHere.clear();
    this.lastCounts = '';
    if (this.opts.session.operator) void this.refresh();
  }

  /** Coalesces wake-ups: one refresh at a time, plus one more if something came in meanwhile. */
  refresh(): Promise<void> {
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      try {
        do { this.again = false; await this.look(); } while (this.again);
      } catch (err) {
        this.opts.log('warn', 'alert refresh failed', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async look(): Promise<void> {
    const op = this.opts.session.operator;
    if (!op) return;
    const as = { kind: 'operator' as const, operatorId: op.id };
    const [counts] = await this.opts.db.rpc<QueueCounts>('desk_queue_counts', {}, as);
    const badge = { waiting: counts.waiting, mine: counts.mine, interventions: counts.interventions };
    if (JSON.stringify(badge) !== this.lastCounts) {
      this.lastCounts = JSON.stringify(badge);
      this.opts.events.emit('queue.counts', badge);
    }
    // Signing in: what is already waiting is on screen; alert only on what happens from now on. The
    // first look takes the database's clock and notes, without alerting, what the overlap window will
    // show again (a bulk import just before sign-in would otherwise raise one notification per row).
    const first = this.since === null;
    const since = this.since ?? (await this.opts.db.rpc<CandidateRow>('desk_alert_candidates', { p_since: null }, as))[0].db_now;
    this.since = since;
    let from = new Date(Date.parse(since) - OVERLAP_MS).toISOString();
    for (;;) {
      const rows = await this.opts.db.rpc<CandidateRow>('desk_alert_candidates', { p_since: from, p_limit: PAGE }, as);
      for (const row of rows) {
        const before = first && row.changed_at !== null && Date.parse(row.changed_at) <= Date.parse(since);
        if (!before) this.route(row, op.id);
        else if (row.id !== null) this.routed.set(row.id, stateOf(row));
      }
      const last = rows.at(-1)?.changed_at;
      if (last && Date.parse(last) > Date.parse(this.since)) this.since = last;
      if (rows.length < PAGE || !last) break;
      from = last;
    }
    if (this.routed.size > 50_000) this.routed.clear();
  }

  private route(row: CandidateRow, me: string): void {
    if (row.id === null) return;
    const state = stateOf(row);
    if (this.routed.get(row.id) === state) return;
    this.routed.set(row.id, state);
    // Any earlier alert for this conversation is stale now (taken by a colleague, resolved, reassigned).
    for (const [id, a] of this.active) if (a.conversationId === row.id) this.active.delete(id);
    const decision = routeAlert({
      item: row,
      me: { id: me, presence: this.opts.presence() },
      settings: this.settings,
      claimedHere: this.claimedHere.has(row.id),
    });
    if (!decision.alert) return;
    const alert: Alert = {
      id: `${decision.kind}:${row.id}:${row.changed_at ?? ''}`,
      conversationId: row.id,
      kind: decision.kind,
      priority: decision.priority,
      title: `${row.agent_name ?? ''} #${row.id}`.trim(),
      body: row.preview ?? row.reason ?? '',
      sound: decision.sound,
      repeat: decision.repeat,
    };
    if (alert.repeat) this.active.set(alert.id, alert);
    this.opts.events.emit('alert.raised', alert);
  }

  private repeat(): void {
    const presence = this.opts.presence();
    if (presence === 'offline' || presence === 'away') return;
    for (const a of this.active.values()) {
      this.opts.events.emit('alert.raised', { ...a, sound: this.settings.muted ? null : a.sound });
    }
  }
}
