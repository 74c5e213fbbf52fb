import type { Log } from '../api/dispatch';
import type { Clock } from '../ports/clock';
import type { FeedEvent, Identity, SharedDb } from '../ports/shared-db';
import type { IntentResult } from './intent/detector';
import { classifyIntent, type LlmConfig } from './intent/llm';
import { carryLoads, intentMessage, parseBatch, planBatch, type Action, type PageItem } from './plan';
import { settingsOf } from './snapshot';

export { DETECTED_BY } from './plan';

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
  /**
   * On taking the lead, start after the last seq a leader recorded as handled
   * (engine_handled_seq) rather than at the start of the replay window.
   * Default true; false replays the whole window.
   */
  resume?: boolean;
  /** Called after each handled page and sweep (tests and the latency benchmark wait on it). */
  onProgress?: (seq: number) => void;
}

interface Rows { conversations: number[]; messages: number[]; logs: number[] }
interface Outcome { changed: boolean; mode?: string; assignee?: string | null; error?: string }
interface Applied { results: Outcome[]; first_seq: number | null; last_seq: number | null }
interface Read { now: Date; items: PageItem[]; intents: Map<PageItem, { id?: number; content: string; result: IntentResult }> }
/** What a page's write did: the snapshot time it decided on and how many conversations it gave each operator. */
interface Written { since: Date | null; assigned: Map<string, number> }

const PAGE = 500;
const none = (): Rows => ({ conversations: [], messages: [], logs: [] });
const empty = (r: Rows) => !r.conversations.length && !r.messages.length && !r.logs.length;

/** Failures worth retrying as they are (the link, a deadlock, a cancel); anything else is the data's fault. */
function transient(err: unknown): boolean {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (/^(08|40|53|57|58)/.test(code) || /^E(CONN|TIMEDOUT|PIPE|HOSTUNREACH|NOTFOUND|AI_AGAIN)/.test(code)) return true;
  return /connection|terminat|timeout|timed out|deadlock|fetch failed|network/i.test((err as Error)?.message ?? '');
}
const leaseLost = (err: unknown) => /^lease_lost/.test((err as Error)?.message ?? '');

/**
 * The escalation engine of one host. Every host runs one; only the holder of
 * the lease acts. It works a page of feed events at a time: one read for the
 * snapshots of every conversation the page touched, decisions in memory, one
 * write (engine_apply) for all of the page's escalations. On taking the lead
 * it replays the feed from the start of its window: every step is idempotent
 * (a conversation no longer active is left alone, an intent already logged is
 * not logged again), so a replay changes nothing and nothing a dead leader
 * left half-seen is lost.
 */
export class EngineRunner {
  private token: number | null = null;
  private seq = 0;
  private timers: NodeJS.Timeout[] = [];
  private offs: Array<() => void> = [];
  private draining: Promise<void> | null = null;
  /** Renewals and sweeps under way: stop() waits for them, so none runs on after its host closed the database. */
  private steps = new Set<Promise<void>>();
  private again = false;
  /** Wakes a drain waiting for either a wake-up or its last write. */
  private poke: (() => void) | null = null;
  private stopped = true;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private intents = new Map<number, IntentResult>();
  private logged = new Set<number>();
  /** Feed ranges this engine appended itself: they only echo decisions already taken, so they are not read back. */
  private own: Array<[number, number]> = [];
  /** The highest seq a drain has read: a wake-up at or below it brings nothing new. */
  private readTo = 0;
  /** Engine writes still running, and the wake-ups that came meanwhile, judged once the writes' ranges are known. */
  private writes = 0;
  private held: Array<{ seq: number; event?: FeedEvent }> = [];
  /**
   * Events taken from wake-ups, in order, each the very next one after what
   * was read or carried before (the engine's own ranges count as read): the
   * next page, without a desk_events_since.
   */
  private carried: FeedEvent[] = [];
  private pullQueued = false;
  /** The newest seq a wake-up during the current read asked for (Infinity: a wake-up without one). */
  private wanted = 0;
  private readonly lease: string;
  /** The last seq recorded as handled on the lease row (engine_note_progress). */
  private noted = 0;

  constructor(private opts: EngineRunnerOptions) {
    this.lease = opts.leaseName ?? 'engine';
  }

  get isLeader(): boolean { return this.token !== null; }
  get lastSeq(): number { return this.seq; }

  start(): void {
    this.stopped = false;
    this.offs.push(this.opts.db.onWake((seq, event) => this.wake(seq, event)));
    const every = (ms: number, fn: () => Promise<void>) => {
      const t = setInterval(() => this.track(fn(), 'engine step failed'), ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(this.opts.renewMs ?? 10_000, () => this.renew());
    every(this.opts.sweepMs ?? 10_000, () => this.sweep());
    this.track(this.renew(), 'lease renewal failed');
  }

  private track(step: Promise<void>, failure: string): void {
    const running: Promise<void> = step
      .catch((e) => this.warn(failure, e))
      .finally(() => { this.steps.delete(running); });
    this.steps.add(running);
  }

  /** Stops acting; `release` hands the lease over at once (a clean shutdown), otherwise it lapses after its ttl. */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const off of this.offs) off();
    if (this.retry) clearTimeout(this.retry);
    this.timers = [];
    this.offs = [];
    this.retry = null;
    while (this.steps.size) await Promise.all([...this.steps]);
    await this.draining?.catch(() => {});
    const who = this.opts.identity();
    await this.noteProgress().catch(() => {});
    if (release && this.token !== null && who) {
      await this.opts.db.rpc('engine_release_lease', { p_name: this.lease, p_token: this.token }, who).catch(() => {});
    }
    this.token = null;
  }

  /** Renewal and engine writes take the feed lock first in SQL, so they can run side by side. */
  async renew(): Promise<void> {
    const who = this.opts.identity();
    if (this.stopped || !who) return;
    const [token] = await this.opts.db.rpc<number | null>('engine_acquire_lease', {
      p_name: this.lease, p_holder: this.opts.holder, p_ttl_seconds: this.opts.ttlSeconds ?? 30,
    }, who);
    if (token != null && token !== this.token) {
      const [from] = this.opts.resume === false ? [0] : await this.opts.db.rpc<number>('engine_handled_seq', { p_lease: this.lease }, who);
      this.opts.log('info', 'engine: leading', { holder: this.opts.holder, token, from });
      this.token = token;
      this.seq = from ?? 0;
      this.noted = this.seq;
      this.readTo = this.seq;
      this.own = [];
      this.carried = [];
      void this.drain();
      this.track(this.sweep(), 'sweep failed');
    } else if (token == null && this.token !== null) {
      this.lost();
    } else {
      await this.noteProgress();
    }
  }

  /** Records how far the feed is handled, for whoever leads next; a stale lease only means we no longer lead. */
  private async noteProgress(): Promise<void> {
    const who = this.opts.identity();
    const seq = this.seq;
    if (this.token === null || !who || seq <= this.noted) return;
    try {
      await this.opts.db.rpc('engine_note_progress', { p_token: this.token, p_seq: seq, p_lease: this.lease }, who);
      this.noted = Math.max(this.noted, seq);
    } catch (err) {
      if (leaseLost(err)) this.lost();
      else throw err;
    }
  }

  private lost(): void {
    if (this.token !== null) this.opts.log('warn', 'engine: lease lost, standing by', { holder: this.opts.holder });
    this.token = null;
  }

  /**
   * Most wake-ups are the echo of the engine's own engine_apply: reading them
   * back costs a round trip and finds nothing to do. A wake-up whose seq was
   * read already or lies in one of its own ranges is dropped; one that comes
   * while a write runs may be that write's echo, so it waits for the write's
   * range. Without a seq (a reconnect, another transport) it always reads.
   */
  private wake(seq?: number, event?: FeedEvent): void {
    if (seq !== undefined) {
      if (this.known(seq)) return;
      if (this.writes > 0) { this.held.push({ seq, event }); return; }
    }
    if (event && this.carry(event)) {
      // A commit's events come in one burst: start on all of them, as one page.
      if (!this.pullQueued) { this.pullQueued = true; queueMicrotask(() => { this.pullQueued = false; void this.pull(this.carriedTo()); }); }
      return;
    }
    void this.pull(seq ?? Infinity);
  }

  /** Keeps a wake-up's event as the next page when nothing can be missing before it. */
  private carry(e: FeedEvent): boolean {
    if (!this.isLeader || e.seq !== this.after(this.carriedTo())) return false;
    this.carried.push(e);
    return true;
  }

  private carriedTo(): number {
    return this.carried.length ? this.carried[this.carried.length - 1].seq : Math.max(this.seq, this.readTo);
  }

  /** The seq that follows `seq`, stepping over the engine's own ranges (known without reading them). */
  private after(seq: number): number {
    let next = seq + 1;
    for (let moved = true; moved;) {
      moved = false;
      for (const [from, to] of this.own) if (next >= from && next <= to) { next = to + 1; moved = true; }
    }
    return next;
  }

  /** The carried events that continue the feed from `cursor`, if any; stale ones are dropped. */
  private takeCarried(cursor: number): FeedEvent[] {
    this.carried = this.carried.filter((e) => e.seq > cursor);
    if (this.carried.length === 0 || this.carried[0].seq !== this.after(cursor)) { this.carried = []; return []; }
    const page = this.carried;
    this.carried = [];
    return page;
  }

  private known(seq: number): boolean {
    return seq <= Math.max(this.seq, this.readTo) || this.isOwn(seq) || this.carried.some((e) => e.seq === seq);
  }

  /** Pulls and handles feed events until caught up; concurrent calls coalesce. A failed page is retried, not skipped. */
  drain(): Promise<void> {
    return this.pull(Infinity);
  }

  private pull(upTo: number): Promise<void> {
    this.wanted = Math.max(this.wanted, upTo);
    if (this.draining) { this.again = true; this.poke?.(); return this.draining; }
    this.draining = (async () => {
      try {
        do { this.again = false; await this.drainOnce(); } while (this.again && !this.stopped && this.isLeader);
        this.failures = 0;
      } catch (err) {
        if (leaseLost(err)) this.lost();
        else this.scheduleRetry(err);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private scheduleRetry(err: unknown): void {
    this.warn('feed handling failed, retrying', err);
    if (this.stopped || this.retry) return;
    const ms = Math.min(250 * 2 ** this.failures++, 30_000);
    this.retry = setTimeout(() => { this.retry = null; void this.drain(); }, ms);
    this.retry.unref?.();
  }

  /**
   * A two-stage pipeline: the next page is read (events, then snapshots) while
   * the previous page's write is still running, so an escalation that arrives
   * mid-cycle waits for one write rather than a whole read-decide-write cycle.
   * Writes stay in feed order, one at a time, and the cursor moves only once a
   * page's write is done, so a failure retries from the first unwritten page.
   */
  private async drainOnce(): Promise<void> {
    const who = this.opts.identity();
    let cursor = this.seq;
    let writing: Promise<Written> | null = null;
    try {
      while (who && this.isLeader && !this.stopped) {
        this.again = false;
        this.wanted = 0;
        const carried = this.takeCarried(cursor);
        const page = carried.length ? carried : await this.opts.db.rpc<FeedEvent>('desk_events_since', { p_seq: cursor, p_limit: PAGE }, who);
        if (page.length) this.readTo = Math.max(this.readTo, page[page.length - 1].seq);
        // Wake-ups that came during the read for events it returned need no second read.
        if (this.wanted <= this.readTo) this.again = false;
        if (page.length === 0) {
          if (!writing) return;
          await writing;
          writing = null;
          if (!this.again) return;
          continue;
        }
        const inFlight = writing;
        const read = await this.read(this.pick(page).rows).catch((err: unknown) => {
          if (leaseLost(err) || transient(err)) throw err;
          return 'isolate' as const;
        });
        const previous = inFlight ? await inFlight : null;
        if (!this.isLeader) return;
        // Picked again now the previous write's own events are known: its presence updates are no reason to sweep.
        const { rows, waitingCheck } = this.pick(page);
        cursor = page[page.length - 1].seq;
        writing = this.writePage(rows, read, previous, waitingCheck, cursor);
        writing.catch(() => {});
        if (page.length === PAGE || this.again) continue;
        // Nothing new yet: read again on the next wake-up, or stop once the write is done and none came.
        await Promise.race([writing, new Promise<void>((r) => { this.poke = r; })]);
        this.poke = null;
        if (this.again) continue;
        await writing;
        writing = null;
        if (!this.again) return;
      }
    } finally {
      this.poke = null;
      await writing?.catch(() => {});
    }
  }

  /** The rows a page of events names that the engine must look at, and whether presence or bot settings changed. */
  private pick(page: FeedEvent[]): { rows: Rows; waitingCheck: boolean } {
    const oldest = this.opts.clock.now().getTime() - (this.opts.replayWindowMs ?? 24 * 3600_000);
    const rows = none();
    let waitingCheck = false;
    for (const e of page) {
      if (this.isOwn(e.seq) || Date.parse(e.at) < oldest || e.kind === 'delete') continue;
      if (e.entity === 'admin_availability' || (e.entity === 'agents' && e.kind === 'update')) { waitingCheck = true; continue; }
      const id = Number(e.id);
      if (!Number.isSafeInteger(id) || id <= 0) continue;
      if (e.entity === 'support_conversations') rows.conversations.push(id);
      else if (e.entity === 'support_messages') rows.messages.push(id);
      else if (e.entity === 'conversation_logs') rows.logs.push(id);
    }
    return { rows, waitingCheck };
  }

  /**
   * Writes one page and moves the cursor past it. `previous` is the write that
   * was still running when this page was read: its assignments are carried
   * into this page's operator loads if the read could not see them.
   */
  private async writePage(rows: Rows, read: Read | null | 'isolate', previous: Written | null, waitingCheck: boolean, last: number): Promise<Written> {
    let done: Written = { since: null, assigned: new Map() };
    if (read === 'isolate') {
      await this.handleIsolating(rows);
    } else if (read) {
      if (previous?.since) carryLoads(read.items[0]?.snap.operators ?? [], previous.assigned, previous.since, read.now);
      try {
        done = await this.write(read);
      } catch (err) {
        if (leaseLost(err) || transient(err)) throw err;
        await this.handleIsolating(rows);
        done = { since: null, assigned: new Map() };
      }
    }
    if (!this.isLeader) throw new Error('lease_lost: no longer leading');
    // The sweep writes too, after this page's snapshot: the next page cannot tell what it saw, so nothing is carried.
    if (waitingCheck) { await this.sweepWaiting(); done = { since: null, assigned: new Map() }; }
    this.seq = last;
    this.own = this.own.filter(([, to]) => to > this.seq);
    this.opts.onProgress?.(this.seq);
    return done;
  }

  private isOwn(seq: number): boolean {
    return this.own.some(([from, to]) => seq >= from && seq <= to);
  }

  /**
   * The page at once; when that fails on the data rather than the link, row
   * by row, so one poisoned row is logged and skipped and the others still go.
   */
  private async handleIsolating(rows: Rows): Promise<void> {
    try {
      await this.handle(rows);
    } catch (err) {
      if (leaseLost(err) || transient(err)) throw err;
      const singles = [
        ...rows.conversations.map((id) => ({ entity: 'support_conversations', id, rows: { ...none(), conversations: [id] } })),
        ...rows.messages.map((id) => ({ entity: 'support_messages', id, rows: { ...none(), messages: [id] } })),
        ...rows.logs.map((id) => ({ entity: 'conversation_logs', id, rows: { ...none(), logs: [id] } })),
      ];
      for (const s of singles) {
        try {
          await this.handle(s.rows);
        } catch (e) {
          if (leaseLost(e) || transient(e)) throw e;
          this.opts.log('warn', 'engine: could not handle a row, skipped', { entity: s.entity, id: s.id, error: (e as Error).message });
        }
      }
    }
  }

  /** Reads the conversations behind these rows, decides about each, and writes every decision in one call. */
  async handle(rows: Rows): Promise<void> {
    const read = await this.read(rows);
    if (read) await this.write(read);
  }

  /** One read for the conversations behind these rows, and the intent of each one's latest user message. */
  private async read(rows: Rows): Promise<Read | null> {
    const who = this.opts.identity();
    if (!who || this.token === null || empty(rows)) return null;
    const [raw] = await this.opts.db.rpc<Parameters<typeof parseBatch>[0]>('engine_snapshots', {
      p_conversation_ids: rows.conversations, p_message_ids: rows.messages, p_log_ids: rows.logs,
    }, who);
    if (!raw) return null;
    const items = parseBatch(raw, this.opts.log);
    const intents = new Map<PageItem, { id?: number; content: string; result: IntentResult }>();
    await Promise.all(items.map(async (item) => {
      const msg = intentMessage(item);
      if (msg) intents.set(item, { id: msg.id, content: msg.content, result: await this.intentOf(item, msg) });
    }));
    return { now: new Date(raw.now), items, intents };
  }

  /** Decides on a read and writes every decision in one engine_apply; returns who it assigned, for the next page. */
  private async write(read: Read): Promise<Written> {
    const who = this.opts.identity();
    const assigned = new Map<string, number>();
    if (!who || this.token === null) return { since: null, assigned };
    const logIntents: Action[] = [];
    for (const [item, m] of read.intents) {
      if (m.id !== undefined && !this.logged.has(m.id)) logIntents.push(this.intentAction(item, m.id, m.content, m.result));
    }
    const actions = [...logIntents, ...planBatch(read.items, (item) => read.intents.get(item)?.result ?? null, this.opts.log)];
    if (actions.length === 0) return { since: null, assigned };
    this.writes++;
    let applied: Applied;
    try {
      [applied] = await this.opts.db.rpc<Applied>('engine_apply', { p_token: this.token, p_actions: actions, p_lease: this.lease }, who);
      if (applied.first_seq != null && applied.last_seq != null) this.own.push([applied.first_seq, applied.last_seq]);
    } finally {
      if (--this.writes === 0) this.releaseHeld();
    }
    applied.results.forEach((out, i) => {
      this.report(actions[i], out);
      if (out.changed && out.assignee) assigned.set(out.assignee, (assigned.get(out.assignee) ?? 0) + 1);
    });
    return { since: read.now, assigned };
  }

  /** Wake-ups held during writes: any that is not the writes' own echo means someone else wrote. */
  private releaseHeld(): void {
    const foreign = this.held.filter((h) => !this.known(h.seq));
    this.held = [];
    for (const h of foreign) if (h.event) this.carry(h.event);
    if (foreign.length) void this.pull(Math.max(...foreign.map((h) => h.seq)));
  }

  private report(a: Action, out: Outcome): void {
    if (out.error) {
      this.opts.log('warn', 'engine: could not apply a decision, skipped', { op: a.op, conversation: a.conversation_id, error: out.error });
    } else if (a.op === 'intent') {
      this.logged.add(a.message_id);
      if (this.logged.size > 5000) this.logged.delete(this.logged.values().next().value as number);
    } else if (out.changed && a.op === 'escalate') {
      this.opts.log('info', 'engine: escalated', { conversation: a.conversation_id, reason: a.reason, priority: a.priority, mode: out.mode, assignee: out.assignee ?? null });
    } else if (out.changed) {
      this.opts.log('info', 'engine: waiting conversation went live', { conversation: a.conversation_id, assignee: out.assignee });
    }
  }

  /** The latest user message's intent, computed once per message (LLM if configured). */
  private async intentOf(item: PageItem, msg: { id?: number; content: string }): Promise<IntentResult> {
    const threshold = settingsOf(item.snap.agent).intent_threshold;
    if (msg.id === undefined) return classifyIntent(msg.content, this.opts.llm ?? null, threshold);
    let r = this.intents.get(msg.id);
    if (!r) {
      r = await classifyIntent(msg.content, this.opts.llm ?? null, threshold);
      this.intents.set(msg.id, r);
      if (this.intents.size > 5000) this.intents.delete(this.intents.keys().next().value as number);
    }
    return r;
  }

  /** Seed 003: every decision is logged, once per message. */
  private intentAction(item: PageItem, messageId: number, text: string, r: IntentResult): Action {
    return {
      op: 'intent', conversation_id: item.snap.conversation.id, message_id: messageId, message_text: text,
      handover_needed: r.wants_human, confidence_score: r.confidence, reason: r.reason, final_decision: r.wants_human,
      model_used: r.model_used,
      evidence: { matched: r.matched, rule: r.rule, negated: r.negated, threshold: r.threshold, classifier_probability: r.classifier_probability },
    };
  }

  private async sweepWaiting(): Promise<void> {
    const who = this.opts.identity();
    if (!who || !this.isLeader) return;
    const rows = await this.opts.db.rpc<{ conversation_id: number; kind: string }>('engine_sweep_candidates', { p_limit: 200 }, who);
    const waiting = rows.filter((r) => r.kind === 'waiting').map((r) => r.conversation_id);
    await this.handleIsolating({ ...none(), conversations: waiting });
  }

  /** Stale presence, stuck orders, and waiting tickets that can go live now. */
  async sweep(): Promise<void> {
    const who = this.opts.identity();
    if (!who || !this.isLeader || this.stopped) return;
    try {
      await this.opts.db.rpc('engine_sweep_presence', { p_token: this.token, p_lease: this.lease }, who);
      const rows = await this.opts.db.rpc<{ conversation_id: number }>('engine_sweep_candidates', { p_limit: 500 }, who);
      await this.handleIsolating({ ...none(), conversations: rows.map((r) => r.conversation_id) });
      this.opts.onProgress?.(this.seq);
    } catch (err) {
      if (leaseLost(err)) this.lost();
      else throw err;
    }
  }

  private warn(message: string, err: unknown): void {
    this.opts.log('warn', `engine: ${message}`, { error: err instanceof Error ? err.message : String(err) });
  }
}
