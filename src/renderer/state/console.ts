import { create } from 'zustand';
import type { Alert, AlertSettings } from '../../shared/api/alerts';
import type { ConversationDetail, Message } from '../../shared/api/conversation';
import type { Presence } from '../../shared/api/presence';
import type { QueueCounts, QueueItem, QueueTab } from '../../shared/api/queue';
import { patchQueue } from '../../shared/queue-patch';
import type { PresenceStatus } from '../../shared/domain';
import { DeskError } from '../../shared/desk-error';
import { QUEUE_READ_SIZES } from '../../shared/values';
import type { CommandOutput } from '../../shared/contract';
import { send } from '../bridge/desk';

/** A reply as the operator sees it: stored ones are sent; ours are sending until the core confirms. */
export interface Outgoing { clientMsgId: string; conversationId: number; content: string; state: 'sending' | 'queued' | 'sent' | 'failed' }

export interface Notice { kind: 'error' | 'info'; key: string; values?: Record<string, string | number> }

interface ConsoleState {
  tab: QueueTab;
  items: QueueItem[];
  /** False while only the top of the tab is loaded: the rest is read as the operator scrolls towards it. */
  complete: boolean;
  /** How many rows of the tab the list reads (one of READ_SIZES): it grows as the operator scrolls down. */
  extent: number;
  counts: QueueCounts;
  selectedId: number | null;
  detail: ConversationDetail | null;
  outgoing: Outgoing[];
  presence: Presence | null;
  notice: Notice | null;
  alertSettings: AlertSettings | null;
  lastAlert: Alert | null;
  /** The dialog asking what to do with conversations in hand: why it opened. */
  handoffFor: { status: PresenceStatus } | { signOut: true } | null;
  closing: boolean;
  help: boolean;
  setTab(tab: QueueTab): Promise<void>;
  /** Reads the tab again, as far down as it is loaded; `join`: a read already under way will do. */
  refreshQueue(opts?: { join?: boolean }): Promise<void>;
  /** The list shows rows up to this index: read further down before the operator gets there. */
  showing(lastIndex: number): void;
  /** The feed said these changed: fetch just their rows and patch the list. */
  patchQueue(conversationIds: number[], messageIds?: number[]): Promise<void>;
  select(id: number | null): Promise<void>;
  refreshDetail(): Promise<void>;
  move(step: 1 | -1): void;
  claim(): Promise<void>;
  release(): Promise<void>;
  setBot(enabled: boolean): Promise<void>;
  reply(content: string): Promise<boolean>;
  retry(clientMsgId: string): Promise<void>;
  resolve(input: { resolutionType: 'answered' | 'redirected' | 'out_of_scope' | 'duplicate'; notes?: string;
    learnedQuestion?: string; learnedAnswer?: string }): Promise<boolean>;
  loadPresence(): Promise<void>;
  setPresence(status: PresenceStatus, handoff?: 'keep' | 'return'): Promise<void>;
  setCapacity(max: number): Promise<void>;
  setNotice(n: Notice | null): void;
  reset(): void;
}

const EMPTY_COUNTS: QueueCounts = { waiting: 0, mine: 0, interventions: 0, deferred: 0, resolved: 0 };

/** The core kept it in the outbox: it goes out when the shared database answers again. */
export function isQueued(err: unknown): boolean {
  return err instanceof DeskError && err.code === 'offline' && (err.details as { queued?: boolean } | undefined)?.queued === true;
}

/**
 * The shared database (or the host) cannot be reached: the connection badge
 * already says so and there is nothing for the operator to do, so a read
 * failing this way raises no notice. Actions still say they were queued.
 */
export function isLinkDown(err: unknown): boolean {
  return err instanceof DeskError && err.code === 'offline' && !isQueued(err);
}

function noticeOf(err: unknown): Notice {
  const e = err instanceof DeskError ? err : new DeskError('internal', String((err as Error)?.message ?? err));
  if (isQueued(e)) return { kind: 'info', key: 'offline.actionQueued' };
  if (e.code === 'already_claimed') {
    const winner = (e.details as { winner?: string | null } | undefined)?.winner;
    return winner ? { kind: 'error', key: 'console.lostRace', values: { winner } } : { kind: 'error', key: 'console.lostRaceUnknown' };
  }
  const known = ['at_capacity', 'not_allowed', 'invalid_status', 'not_found', 'offline'];
  return { kind: 'error', key: known.includes(e.code) ? `errors.${e.code}` : 'errors.generic', values: { message: e.message } };
}

/**
 * A tab is read from the top, as far down as the operator looks: the first
 * read is a screen and a margin, and the list reads further (each size about
 * four times the last) once the rows on screen come within AHEAD of the end
 * of what is loaded. A queue of 5,000 thus costs its first 250 rows until
 * someone scrolls that far, instead of a 2 MB read that held up both the host
 * and the page (and any new escalation behind them) at every start, tab
 * switch and reconnect. The largest size is what `queue.list` reads by default.
 */
export const READ_SIZES = QUEUE_READ_SIZES;
export const FIRST_PAGE = READ_SIZES[0];
const WHOLE_TAB = READ_SIZES[READ_SIZES.length - 1];
/** Rows kept loaded below the last one on screen (a few screens), so scrolling seldom meets one still loading. */
export const AHEAD = 60;

/** The smallest read size that covers `rows` rows. */
function sizeFor(rows: number): number {
  return READ_SIZES.find((n) => n >= rows) ?? WHOLE_TAB;
}

/**
 * The Waiting tab's first page, asked for at start-up alongside session.get
 * rather than after it: the first screen an operator sees is that list. It
 * fails harmlessly when nobody is signed in yet, and is used at most once.
 * The browser host writes it into the page instead (boot data): then there
 * is nothing to ask for.
 */
type QueuePage = CommandOutput<'queue.list'>;
let earlyWaiting: Promise<QueuePage | null> | null = null;
export function prefetchWaiting(): void {
  earlyWaiting = send('queue.list', { tab: 'waiting', limit: FIRST_PAGE }).catch(() => null);
}
function takeEarly(tab: string): Promise<QueuePage | null> | null {
  const early = tab === 'waiting' ? earlyWaiting : null;
  earlyWaiting = null;
  return early;
}

/** The console showing a first page of Waiting (see adoptWaiting). */
export function waitingState(page: QueuePage, limit: number): Partial<ConsoleState> {
  const complete = page.items.length < limit;
  return { tab: 'waiting', items: page.items, counts: page.counts, complete, extent: complete ? limit : sizeFor(limit + 1) };
}

/**
 * The first page of Waiting the page arrived with: on screen from the first
 * render. The console's first read then brings it up to date, and reads the
 * next size at once when there is more (the operator sees the first screen
 * meanwhile), rather than the same page again and then the next.
 */
export function adoptWaiting(page: QueuePage, limit: number): void {
  useConsole.setState(waitingState(page, limit));
}

let queueRun: Promise<void> | null = null;
let queueDirty = false;
/** Ids patched while a read of the tab was in flight: that read may predate them, so they are fetched again after it. */
const patchedDuringLoad = new Set<number>();
const pendingConversations = new Set<number>();
const pendingMessages = new Set<number>();
let patchRun: Promise<void> | null = null;

export const useConsole = create<ConsoleState>((set, get) => ({
  tab: 'waiting',
  items: [],
  complete: true,
  extent: FIRST_PAGE,
  counts: EMPTY_COUNTS,
  selectedId: null,
  detail: null,
  outgoing: [],
  presence: null,
  notice: null,
  alertSettings: null,
  lastAlert: null,
  handoffFor: null,
  closing: false,
  help: false,

  async setTab(tab) {
    set({ tab, items: [], complete: true, extent: FIRST_PAGE });
    await get().refreshQueue();
  },

  /**
   * Reads the tab down to its extent (the first read of a tab may be the
   * page asked for at start-up). One read at a time; a request arriving
   * meanwhile triggers exactly one more, unless it only needs a read that
   * started after its reason (`join`).
   */
  refreshQueue(opts) {
    if (queueRun) { if (!opts?.join) queueDirty = true; return queueRun; }
    queueRun = (async () => {
      try {
        do {
          queueDirty = false;
          const tab = get().tab;
          // Rows patched in past the extent stay on the next read too.
          const limit = sizeFor(Math.max(get().extent, get().items.length));
          const early = get().items.length === 0 ? await takeEarly(tab) : null;
          const page = early ?? await send('queue.list', { tab, limit });
          if (get().tab !== tab) { queueDirty = true; continue; }
          const asked = early ? FIRST_PAGE : limit;
          set({ items: page.items, complete: page.items.length < asked || asked >= WHOLE_TAB, counts: page.counts });
        } while (queueDirty);
      } catch (err) {
        // Offline with nothing kept for this tab: the list stays as it is until the link returns.
        if (!isLinkDown(err)) set({ notice: noticeOf(err) });
      } finally {
        queueRun = null;
      }
      if (patchedDuringLoad.size) {
        const again = [...patchedDuringLoad];
        patchedDuringLoad.clear();
        void get().patchQueue(again);
      }
    })();
    return queueRun;
  },

  showing(lastIndex) {
    const { complete, extent } = get();
    const needed = lastIndex + AHEAD + 1;
    // Loaded far enough, or being read that far.
    if (complete || needed <= extent || extent >= WHOLE_TAB) return;
    set({ extent: sizeFor(needed) });
    void get().refreshQueue();
  },

  /** Coalesced: one queue.rows at a time, carrying every id that arrived meanwhile. */
  patchQueue(conversationIds, messageIds = []) {
    conversationIds.forEach((id) => pendingConversations.add(id));
    messageIds.forEach((id) => pendingMessages.add(id));
    if (patchRun) return patchRun;
    patchRun = (async () => {
      try {
        while (pendingConversations.size || pendingMessages.size) {
          const ids = [...pendingConversations].slice(0, 1_000);
          const msgs = [...pendingMessages].slice(0, 1_000);
          ids.forEach((id) => pendingConversations.delete(id));
          msgs.forEach((id) => pendingMessages.delete(id));
          const tab = get().tab;
          const r = await send('queue.rows', { conversationIds: ids, messageIds: msgs });
          if (queueRun) for (const id of [...ids, ...r.rows.map((x) => x.id)]) if (id !== null) patchedDuringLoad.add(id);
          if (get().tab !== tab) continue;
          set((s) => ({ items: patchQueue(s.items, tab, ids, r.rows, s.complete), counts: r.counts }));
        }
      } catch (err) {
        // A lost link is shown by the connection badge; the list on screen is newer than anything kept
        // offline, so it stays, and is read again when the link returns (onConnectionChanged).
        if (isLinkDown(err)) { pendingConversations.clear(); pendingMessages.clear(); return; }
        set({ notice: noticeOf(err) });
        void get().refreshQueue();
      } finally {
        patchRun = null;
      }
    })();
    return patchRun;
  },

  async select(id) {
    set({ selectedId: id, detail: id === get().detail?.conversation.id ? get().detail : null, closing: false });
    if (id !== null) await get().refreshDetail();
  },

  async refreshDetail() {
    const id = get().selectedId;
    if (id === null) return;
    try {
      const detail = await send('conversation.get', { conversationId: id });
      if (get().selectedId !== id) return;
      const stored = new Set(detail.messages.map((m) => m.client_msg_id).filter(Boolean));
      set({ detail, outgoing: get().outgoing.filter((o) => !stored.has(o.clientMsgId)) });
    } catch (err) {
      set({ notice: noticeOf(err) });
    }
  },

  move(step) {
    const { items, selectedId } = get();
    const openable = items.filter((i) => i.id !== null);
    if (openable.length === 0) return;
    const at = openable.findIndex((i) => i.id === selectedId);
    const next = at < 0 ? (step > 0 ? 0 : openable.length - 1) : Math.min(openable.length - 1, Math.max(0, at + step));
    void get().select(openable[next].id);
  },

  async claim() {
    const id = get().selectedId;
    if (id === null) return;
    try {
      const detail = await send('conversation.claim', { conversationId: id });
      set({ detail, notice: null });
    } catch (err) {
      set({ notice: noticeOf(err) });
      // Queued offline: nothing new to read until the link returns, and the feed refreshes everything then.
      if (isQueued(err)) return;
      await get().refreshDetail();
    }
    void get().patchQueue([id]);
    void get().loadPresence();
  },

  async release() {
    const id = get().selectedId;
    if (id === null) return;
    try {
      set({ detail: await send('conversation.release', { conversationId: id }), notice: null });
    } catch (err) { set({ notice: noticeOf(err) }); }
    void get().patchQueue([id]);
    void get().loadPresence();
  },

  async setBot(enabled) {
    const id = get().selectedId;
    if (id === null) return;
    try {
      set({ detail: await send('conversation.setBotEnabled', { conversationId: id, enabled }) });
    } catch (err) { set({ notice: noticeOf(err) }); }
  },

  async reply(content) {
    const id = get().selectedId;
    if (id === null || !content.trim()) return false;
    // Generated once per message: a retry or a replay after reconnect stores it once.
    const out: Outgoing = { clientMsgId: crypto.randomUUID(), conversationId: id, content, state: 'sending' };
    set({ outgoing: [...get().outgoing, out] });
    await deliver(out);
    return true;
  },

  async retry(clientMsgId) {
    const out = get().outgoing.find((o) => o.clientMsgId === clientMsgId);
    if (!out) return;
    patch(clientMsgId, 'sending');
    await deliver(out);
  },

  async resolve(input) {
    const id = get().selectedId;
    if (id === null) return false;
    try {
      const detail = await send('conversation.resolve', { conversationId: id, ...input });
      set({ detail, closing: false, notice: { kind: 'info', key: 'console.closed' } });
      void get().patchQueue([id]);
      void get().loadPresence();
      return true;
    } catch (err) {
      set({ notice: noticeOf(err), ...(isQueued(err) ? { closing: false } : {}) });
      return isQueued(err);
    }
  },

  async loadPresence() {
    try { set({ presence: await send('presence.get', {}) }); } catch { /* the header keeps the last known */ }
  },

  async setPresence(status, handoff) {
    try {
      set({ presence: await send('presence.set', { status, ...(handoff ? { handoff } : {}) }), handoffFor: null });
      // Returned conversations come back through the feed; only a bulk return needs the tab read again.
      if (handoff === 'return') void get().refreshQueue();
    } catch (err) {
      if (err instanceof DeskError && err.code === 'invalid_status'
        && (err.details as { conversationsInHand?: number } | undefined)?.conversationsInHand) {
        set({ handoffFor: { status } });
        return;
      }
      set({ notice: noticeOf(err) });
    }
  },

  async setCapacity(max) {
    try { set({ presence: await send('presence.set', { max }) }); } catch (err) { set({ notice: noticeOf(err) }); }
  },

  setNotice(notice) { set({ notice }); },

  reset() {
    set({ items: [], complete: true, extent: FIRST_PAGE, counts: EMPTY_COUNTS, selectedId: null, detail: null, outgoing: [], presence: null, notice: null, handoffFor: null });
  },
}));

function patch(clientMsgId: string, state: Outgoing['state']) {
  useConsole.setState((s) => ({ outgoing: s.outgoing.map((o) => (o.clientMsgId === clientMsgId ? { ...o, state } : o)) }));
}

async function deliver(out: Outgoing): Promise<Message | null> {
  try {
    const m = await send('conversation.reply', { conversationId: out.conversationId, clientMsgId: out.clientMsgId, content: out.content });
    patch(out.clientMsgId, 'sent');
    void useConsole.getState().refreshDetail();
    return m;
  } catch (err) {
    if (isQueued(err)) { patch(out.clientMsgId, 'queued'); return null; }
    patch(out.clientMsgId, 'failed');
    useConsole.getState().setNotice(noticeOf(err));
    return null;
  }
}

/** Feed wake-ups: the open conversation and the presence; the list itself follows queue.changed. */
export function onFeedChanged(kinds: string[]): void {
  const s = useConsole.getState();
  if (s.selectedId !== null && kinds.some((k) => k === 'support_conversations' || k === 'support_messages')) void s.refreshDetail();
  if (kinds.includes('admin_availability')) void s.loadPresence();
}

let wentOffline = false;

/** The shared database answers again after a cut: what changed meanwhile may not all come as patches, so read the tab. */
export function onConnectionChanged(status: 'online' | 'syncing' | 'offline'): void {
  if (status === 'offline') wentOffline = true;
  else if (status === 'online' && wentOffline) { wentOffline = false; void useConsole.getState().refreshQueue(); }
}

/** What a feed batch changed in the queue: patch those rows, or read the tab when patching cannot say (bulk, interventions). */
export function onQueueChanged(c: { conversationIds: number[]; messageIds: number[]; interventions: boolean; reload: boolean }): void {
  const s = useConsole.getState();
  const touched = c.conversationIds.length > 0 || c.messageIds.length > 0;
  if (c.reload || (s.tab === 'interventions' && (c.interventions || touched))) { void s.refreshQueue(); return; }
  if (touched) void s.patchQueue(c.conversationIds, c.messageIds);
  else if (c.interventions) void s.patchQueue([]);
}
