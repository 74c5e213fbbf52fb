import type { Log } from '../api/dispatch';
import type { Clock } from '../ports/clock';
import type { Identity, SharedDb } from '../ports/shared-db';
import { route, decide } from './evaluate';
import type { IntentResult } from './intent/detector';
import { classifyIntent, type LlmConfig } from './intent/llm';
import { HIGH_PRIORITY, REASONS, type Reason } from './rules';
import { settingsOf, SnapshotSchema, type Snapshot } from './snapshot';

export const DETECTED_BY = 'desk_engine_v1';

export interface EngineRunnerOptions {
  db: SharedDb;
  /** The service role on a direct or embedded database; the signed-in operator over Supabase. */
  identity: () => Identity | null;
  clock: Clock;
  log: Log;
  holder: string;
  llm?: LlmConfig | null;
  leaseName?: string;
  ttlSeconds?: number;
  renewMs?: number;
  sweepMs?: number;
  /** On taking the lead the engine replays the feed (idempotently); events older than this are skipped. */
  replayWindowMs?: number;
  /** Feed events handled at once (default 8). */
  concurrency?: number;
  /** Called after each handled batch and sweep (tests and the latency benchmark wait on it). */
  onProgress?: (seq: number) => void;
}

/**
 * Renewing the lease updates its row before the feed trigger takes the feed
 * lock, while engine writes take the feed lock before reading the lease row:
 * run concurrently in one host they can deadlock. So renewals wait for the
 * engine's own writes (shared) and writes wait for a renewal (exclusive).
 */
class RenewGate {
  private shared = 0;
  private exclusive: Promise<void> | null = null;
  private idle: Array<() => void> = [];
  async write<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.shared++;
    try { return await fn(); } finally {
      if (--this.shared === 0) for (const r of this.idle.splice(0)) r();
    }
  }
  async renew<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let done = () => {};
    this.exclusive = new Promise<void>((r) => (done = r));
    try {
      while (this.shared > 0) await new Promise<void>((r) => this.idle.push(r));
      return await fn();
    } finally { this.exclusive = null; done(); }
  }
}

interface FeedEvent { seq: number; kind: string; entity: string; id: string; at: string }
interface Outcome { changed: boolean; mode?: string; assignee?: string | null }

/**
 * The escalation engine of one host. Every host runs one; only the holder of
 * the lease acts. On taking the lead it replays the feed from the start of
 * its window: every step is idempotent (a conversation that is no longer
 * active is left alone, an intent already logged is not logged again), so a
 * replay changes nothing and nothing a dead leader left half-seen is lost.
 */
export class EngineRunner {
  private token: number | null = null;
  private seq = 0;
  private timers: NodeJS.Timeout[] = [];
  private offs: Array<() => void> = [];
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private intents = new Map<number, IntentResult>();
  private gate = new RenewGate();
  private readonly lease: string;

  constructor(private opts: EngineRunnerOptions) {
    this.lease = opts.leaseName ?? 'engine';
  }

  get isLeader(): boolean { return this.token !== null; }
  get lastSeq(): number { return this.seq; }

  start(): void {
    this.stopped = false;
    this.offs.push(this.opts.db.onWake(() => void this.drain()));
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => void fn().catch((e) => this.warn('engine step failed', e)), ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(this.opts.renewMs ?? 10_000, () => this.renew());
    every(this.opts.sweepMs ?? 10_000, () => this.sweep());
    void this.renew().catch((e) => this.warn('lease renewal failed', e));
  }

  /** Stops acting; `release` hands the lease over at once (a clean shutdown), otherwise it lapses after its ttl. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const off of this.offs) off();
    this.timers = [];
    this.offs = [];
    await this.draining?.catch(() => {});
    const who = this.opts.identity();
    if (release && this.token !== null && who) {
      await this.opts.db.rpc('engine_release_lease', { p_name: this.lease, p_token: this.token }, who).catch(() => {});
    }
    this.token = null;
  }

  async renew(): Promise<void> {
    const who = this.opts.identity();
    if (this.stopped || !who) return;
    const [token] = await this.gate.renew(() => this.opts.db.rpc<number | null>('engine_acquire_lease', {
      p_name: this.lease, p_holder: this.opts.holder, p_ttl_seconds: this.opts.ttlSeconds ?? 30,
    }, who));
    if (token != null && token !== this.token) {
      this.opts.log('info', 'engine: leading', { holder: this.opts.holder, token });
      this.token = token;
      this.seq = 0;
      void this.drain();
      void this.sweep().catch((e) => this.warn('sweep failed', e));
    } else if (token == null && this.token !== null) {
      this.lost();
    }
  }

  private lost(): void {
    if (this.token !== null) this.opts.log('warn', 'engine: lease lost, standing by', { holder: this.opts.holder });
    this.token = null;
  }

  /** Pulls and handles feed events until caught up; concurrent calls coalesce. */
  drain(): Promise<void> {
    if (this.draining) { this.again = true; return this.draining; }
    this.draining = (async () => {
      try {
        do { this.again = false; await this.drainOnce(); } while (this.again && !this.stopped && this.isLeader);
      } catch (err) {
        this.warn('feed handling failed', err);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async drainOnce(): Promise<void> {
    const who = this.opts.identity();
    while (who && this.isLeader && !this.stopped) {
      const page = await this.opts.db.rpc<FeedEvent>('desk_events_since', { p_seq: this.seq, p_limit: 500 }, who);
      if (page.length === 0) return;
      const oldest = this.opts.clock.now().getTime() - (this.opts.replayWindowMs ?? 24 * 3600_000);
      const todo = new Map<string, FeedEvent>();
      let waitingCheck = false;
      for (const e of page) {
        if (Date.parse(e.at) < oldest) continue;
        if (e.entity === 'admin_availability' || (e.entity === 'agents' && e.kind === 'update')) { waitingCheck = true; continue; }
        if (!['support_messages', 'conversation_logs', 'support_conversations'].includes(e.entity) || e.kind === 'delete') continue;
        todo.set(`${e.entity}:${e.id}`, e);
      }
      // A few at a time: reads overlap, and every write is idempotent and serialised by the feed lock in SQL,
      // so two events of one conversation handled together still escalate it once.
      const queue = [...todo.values()];
      const worker = async () => { for (let e = queue.shift(); e && this.isLeader; e = queue.shift()) await this.handle(e.entity, e.id); };
      await Promise.all(Array.from({ length: this.opts.concurrency ?? 8 }, worker));
      if (!this.isLeader) return;
      if (waitingCheck) await this.sweepWaiting();
      this.seq = page[page.length - 1].seq;
      this.opts.onProgress?.(this.seq);
      if (page.length < 500) return;
    }
  }

  /** Decides about the conversation behind one changed row, and acts. Never throws: a bad row is logged and skipped. */
  async handle(entity: string, id: string): Promise<void> {
    const who = this.opts.identity();
    if (!who || this.token === null) return;
    try {
      const [raw] = await this.opts.db.rpc<Record<string, unknown> | null>('engine_snapshot', { p_entity: entity, p_id: id }, who);
      if (!raw) return;
      const { log: logRow, ...rest } = raw as { log?: { id: number; metadata: unknown } | null };
      const parsed = SnapshotSchema.safeParse(rest);
      if (!parsed.success) {
        this.opts.log('warn', 'engine: skipped a malformed row', { entity, id, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) });
        return;
      }
      const snap = parsed.data;
      if (entity === 'conversation_logs' && logRow && (await this.handleBotFlag(snap, logRow))) return;
      if (snap.conversation.status === 'escalated' && !(rest as { conversation: { assigned_admin_id?: string | null } }).conversation.assigned_admin_id) {
        await this.assignWaiting(snap);
        return;
      }
      if (snap.conversation.status !== 'active') return;
      const intent = await this.intentFor(snap);
      const d = decide(snap, intent);
      if (!d.escalate || !d.reason) return;
      await this.escalate(snap, d.reason, d.priority ?? 'normal', d.assignee, DETECTED_BY, d.evidence);
    } catch (err) {
      if (/^lease_lost/.test((err as Error).message)) { this.lost(); return; }
      this.opts.log('warn', 'engine: could not handle a row, skipped', { entity, id, error: (err as Error).message });
    }
  }

  /** Seed 000: a bot may flag an intervention itself; the engine routes it like its own decisions. */
  private async handleBotFlag(snap: Snapshot, row: { id: number; metadata: unknown }): Promise<boolean> {
    const m = row.metadata as Record<string, unknown> | null;
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      this.opts.log('warn', 'engine: skipped a malformed row', { entity: 'conversation_logs', id: row.id, issue: 'metadata is not an object' });
      return true;
    }
    if (m.needs_intervention !== true || m.detected_by === DETECTED_BY) return false;
    const reason = m.reason as Reason;
    if (reason as string === 'manual_takeover') return true;
    if (!REASONS.includes(reason)) {
      this.opts.log('warn', 'engine: skipped a malformed row', { entity: 'conversation_logs', id: row.id, issue: `unknown reason ${String(m.reason)}` });
      return true;
    }
    if (snap.conversation.status !== 'active') return true;
    const priority = m.priority === 'high' || m.priority === 'normal' ? m.priority : HIGH_PRIORITY.has(reason) ? 'high' : 'normal';
    const where = route(snap, !settingsOf(snap.agent).human_support_enabled);
    const detectedBy = typeof m.detected_by === 'string' ? m.detected_by : 'bot';
    await this.escalate(snap, reason, priority, where.assignee, detectedBy, { bot_log_id: row.id, routing: where.routing });
    return true;
  }

  /** The latest user message's intent, computed once per message (LLM if configured) and logged once (seed 003). */
  private async intentFor(snap: Snapshot): Promise<IntentResult | null> {
    const msg = [...snap.messages].reverse().find((m) => m.sender_type === 'user');
    if (!msg) return null;
    const threshold = settingsOf(snap.agent).intent_threshold;
    if (msg.id === undefined) return classifyIntent(msg.content, this.opts.llm ?? null, threshold);
    let r = this.intents.get(msg.id);
    if (!r) {
      r = await classifyIntent(msg.content, this.opts.llm ?? null, threshold);
      this.intents.set(msg.id, r);
      if (this.intents.size > 5000) this.intents.delete(this.intents.keys().next().value as number);
    }
    await this.gate.write(() => this.opts.db.rpc('engine_log_intent', {
      p_token: this.token, p_lease: this.lease, p_conversation_id: snap.conversation.id, p_message_id: msg.id,
      p_message_text: msg.content, p_handover_needed: r.wants_human, p_confidence_score: r.confidence, p_reason: r.reason,
      p_final_decision: r.wants_human, p_model_used: r.model_used,
      p_evidence: { matched: r.matched, rule: r.rule, negated: r.negated, threshold: r.threshold, classifier_probability: r.classifier_probability },
    }, this.opts.identity()!));
    return r;
  }

  private async escalate(snap: Snapshot, reason: Reason, priority: 'high' | 'normal', assignee: string | null, detectedBy: string, evidence: Record<string, unknown>) {
    const [out] = await this.gate.write(() => this.opts.db.rpc<Outcome>('engine_escalate', {
      p_token: this.token, p_lease: this.lease, p_conversation_id: snap.conversation.id, p_reason: reason, p_priority: priority,
      p_assignee: assignee, p_detected_by: detectedBy, p_evidence: evidence,
    }, this.opts.identity()!));
    if (out?.changed) this.opts.log('info', 'engine: escalated', { conversation: snap.conversation.id, reason, priority, mode: out.mode, assignee: out.assignee ?? null });
  }

  private async assignWaiting(snap: Snapshot): Promise<void> {
    if (!settingsOf(snap.agent).human_support_enabled) return;
    const where = route(snap);
    if (!where.assignee) return;
    const [out] = await this.gate.write(() => this.opts.db.rpc<Outcome>('engine_assign', {
      p_token: this.token, p_lease: this.lease, p_conversation_id: snap.conversation.id, p_assignee: where.assignee,
    }, this.opts.identity()!));
    if (out?.changed) this.opts.log('info', 'engine: waiting conversation went live', { conversation: snap.conversation.id, assignee: where.assignee });
  }

  private async sweepWaiting(): Promise<void> {
    const who = this.opts.identity();
    if (!who || !this.isLeader) return;
    const rows = await this.opts.db.rpc<{ conversation_id: number; kind: string }>('engine_sweep_candidates', { p_limit: 200 }, who);
    for (const r of rows) if (r.kind === 'waiting') await this.handle('support_conversations', String(r.conversation_id));
  }

  /** Stale presence, stuck orders, and waiting tickets that can go live now. */
  async sweep(): Promise<void> {
    const who = this.opts.identity();
    if (!who || !this.isLeader || this.stopped) return;
    try {
      await this.gate.write(() => this.opts.db.rpc('engine_sweep_presence', { p_token: this.token, p_lease: this.lease }, who));
      const rows = await this.opts.db.rpc<{ conversation_id: number }>('engine_sweep_candidates', { p_limit: 500 }, who);
      for (const r of rows) await this.handle('support_conversations', String(r.conversation_id));
      this.opts.onProgress?.(this.seq);
    } catch (err) {
      if (/^lease_lost/.test((err as Error).message)) this.lost();
      else throw err;
    }
  }

  private warn(message: string, err: unknown): void {
    this.opts.log('warn', `engine: ${message}`, { error: err instanceof Error ? err.message : String(err) });
  }
}
