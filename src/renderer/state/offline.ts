import { create } from 'zustand';
import type { OutboxEntry } from '../../shared/api/cache';
import type { EventPayload } from '../../shared/contract';
import { bridge, send } from '../bridge/desk';
import { useConsole } from './console';

type Refusal = EventPayload<'outbox.rejected'>;
type Reset = EventPayload<'cache.reset'>;

/** Which reset notice the operator has read, so a notice remembered by the cache is shown once. */
const RESET_SEEN_KEY = 'desk.cacheResetSeen';

interface OfflineState {
  /** False on a host without a cache: the console then hides what needs one. */
  available: boolean;
  counts: { pending: number; rejected: number };
  /** Actions refused on replay, kept (with the typed text) until the operator dismisses them. */
  refusals: Refusal[];
  reset: Reset | null;
  load(): Promise<void>;
  refreshOutbox(): Promise<void>;
  dismissRefusal(id: number): Promise<void>;
  dismissReset(): void;
}

function refusalOf(e: OutboxEntry): Refusal {
  return { id: e.id, kind: e.kind, conversationId: e.conversationId, code: e.errorCode ?? 'internal', message: e.lastError ?? '', content: e.content };
}

/** Queued replies the window does not know yet (sent before a reload or from another window): shown as queued. */
function showQueuedReplies(entries: OutboxEntry[]): void {
  const known = new Set(useConsole.getState().outgoing.map((o) => o.clientMsgId));
  const add = entries.filter((e) => e.kind === 'reply' && e.state === 'pending' && e.clientMsgId && e.content && !known.has(e.clientMsgId));
  if (add.length === 0) return;
  useConsole.setState((s) => ({
    outgoing: [...s.outgoing, ...add.map((e) => ({ clientMsgId: e.clientMsgId!, conversationId: e.conversationId, content: e.content!, state: 'queued' as const }))],
  }));
}

export const useOffline = create<OfflineState>((set, get) => ({
  available: false,
  counts: { pending: 0, rejected: 0 },
  refusals: [],
  reset: null,

  async load() {
    try {
      const status = await send('cache.status', {});
      const seen = localStorage.getItem(RESET_SEEN_KEY);
      set({ available: status.available, reset: status.lastReset && status.lastReset.at !== seen ? status.lastReset : null });
      if (status.available) await get().refreshOutbox();
    } catch { /* signed out, or an older host: nothing to show */ }
  },

  async refreshOutbox() {
    if (!get().available) return;
    try {
      const { entries } = await send('outbox.list', {});
      const pending = entries.filter((e) => e.state === 'pending');
      const rejected = entries.filter((e) => e.state === 'rejected');
      set({ counts: { pending: pending.length, rejected: rejected.length }, refusals: rejected.map(refusalOf) });
      showQueuedReplies(pending);
    } catch { /* keeps the last known */ }
  },

  async dismissRefusal(id) {
    set({ refusals: get().refusals.filter((r) => r.id !== id) });
    try { set({ counts: await send('outbox.dismiss', { id }) }); } catch { /* already gone */ }
  },

  dismissReset() {
    const r = get().reset;
    if (r) localStorage.setItem(RESET_SEEN_KEY, r.at);
    set({ reset: null });
  },
}));

/** Wires the cache's events once, at start. */
export function subscribeOffline(): () => void {
  const desk = bridge();
  const offs = [
    desk.on('outbox.changed', (counts) => {
      const before = useOffline.getState().counts.pending;
      useOffline.setState({ counts });
      // Something queued went out: the open conversation now holds it (queued -> sent).
      if (counts.pending < before) void useConsole.getState().refreshDetail();
      if (counts.rejected > 0 || counts.pending > 0) void useOffline.getState().refreshOutbox();
    }),
    desk.on('outbox.rejected', (r) => {
      useOffline.setState((s) => ({ refusals: [...s.refusals.filter((x) => x.id !== r.id), r] }));
      // "Queued, will be sent" is no longer true: the refusal notice says what happened instead.
      if (useConsole.getState().notice?.key === 'offline.actionQueued') useConsole.getState().setNotice(null);
      // A refused reply is not about to go any more: its text stays in the refusal notice, with copy and retry.
      if (r.kind === 'reply') {
        useConsole.setState((s) => ({
          outgoing: s.outgoing.filter((o) => !(o.state === 'queued' && o.conversationId === r.conversationId && o.content === r.content)),
        }));
      }
    }),
    desk.on('cache.reset', (reset) => useOffline.setState({ reset })),
    desk.on('session.changed', (s) => { if (s.operator) void useOffline.getState().load(); }),
  ];
  return () => offs.forEach((off) => off());
}
