import { create } from 'zustand';
import type { Session } from '../../shared/api/session';
import type { BotSummary, ConnectionState } from '../../shared/domain';
import { bridge, send } from '../bridge/desk';

interface DeskState {
  session: Session | null;
  hostUp: boolean;
  bots: BotSummary[];
  error: { code: string; message: string } | null;
  load(): Promise<void>;
  refreshOverview(): Promise<void>;
  signIn(email: string, password?: string): Promise<void>;
  signOut(): Promise<void>;
  setConnection(c: ConnectionState): void;
}

function asError(err: unknown) {
  const e = err as { code?: string; message?: string };
  return { code: e.code ?? 'internal', message: e.message ?? String(err) };
}

/** The session read under way: asked for again meanwhile (start-up, link back), it is read once. */
let loading: Promise<void> | null = null;

export const useDesk = create<DeskState>((set, get) => ({
  session: null,
  hostUp: true,
  bots: [],
  error: null,
  load() {
    loading ??= (async () => {
      try {
        set({ session: await send('session.get', {}), error: null });
      } catch (err) { set({ error: asError(err) }); } finally { loading = null; }
    })();
    return loading;
  },
  async refreshOverview() {
    if (!get().session?.operator) return;
    try {
      const { bots } = await send('workspace.overview', {});
      set({ bots });
    } catch (err) { set({ error: asError(err) }); }
  },
  async signIn(email, password) {
    try {
      const session = await send('session.signIn', { email, ...(password ? { password } : {}) });
      set({ session, error: null });
    } catch (err) { set({ error: asError(err) }); }
  },
  async signOut() {
    const session = await send('session.signOut', {});
    set({ session, bots: [] });
  },
  setConnection(connection) {
    const s = get().session;
    if (s) set({ session: { ...s, connection } });
  },
}));

/** The overview's counters need not follow every feed event: at most one read per this many ms, never on the queue's hot path. */
const OVERVIEW_EVERY_MS = 1_500;
let overviewTimer: ReturnType<typeof setTimeout> | null = null;
function overviewSoon(kinds: string[]): void {
  if (overviewTimer || !kinds.some((k) => k === 'agents' || k === 'support_conversations' || k === 'conversation_logs')) return;
  overviewTimer = setTimeout(() => { overviewTimer = null; void useDesk.getState().refreshOverview(); }, OVERVIEW_EVERY_MS);
}

/** Wires the core's events into the store once, at start. */
export function subscribeToCore(): () => void {
  const desk = bridge();
  let wasDown = false;
  const offs = [
    desk.on('connection.changed', (c) => useDesk.getState().setConnection(c)),
    desk.on('session.changed', (s) => { useDesk.setState({ session: s }); void useDesk.getState().refreshOverview(); }),
    desk.on('feed.changed', ({ kinds }) => overviewSoon(kinds)),
    desk.on('host.link', ({ up }) => {
      useDesk.setState({ hostUp: up });
      // The first connection only carries the start-up reads; after a cut, what they showed may have changed.
      if (!up) wasDown = true;
      else if (wasDown) { wasDown = false; void useDesk.getState().load().then(() => useDesk.getState().refreshOverview()); }
    }),
  ];
  return () => offs.forEach((off) => off());
}
