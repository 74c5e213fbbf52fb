import type { InvokeResult } from '../shared/contract';
import type { PresenceStatus } from '../shared/domain';
import type { InvokeFn } from './ipc';

export type HandoffChoice = 'keep' | 'return' | 'cancel';

export interface PresenceFlowDeps {
  invoke: InvokeFn;
  /** Asks the operator what to do with the conversations in hand (a native dialog in the app). */
  askHandoff(count: number): Promise<HandoffChoice>;
  log(message: string, fields?: Record<string, unknown>): void;
}

/** The core refuses to go offline with conversations in hand without a choice; how many it said there are. */
function conversationsInHand(r: InvokeResult): number {
  if (r.ok || r.error.code !== 'invalid_status') return 0;
  const n = (r.error.details as { conversationsInHand?: unknown } | undefined)?.conversationsInHand;
  return typeof n === 'number' && n > 0 ? n : 0;
}

/**
 * A presence change from the tray. Going offline with conversations in hand
 * asks keep or return (the core decides whether there are any, so a stale
 * tray cannot drop them); cancel changes nothing. Returns the final result,
 * or null when the operator cancelled.
 */
export async function setPresence(status: PresenceStatus, deps: PresenceFlowDeps): Promise<InvokeResult | null> {
  const first = await deps.invoke('presence.set', { status });
  const count = conversationsInHand(first);
  if (!count) {
    if (!first.ok) deps.log('presence change failed', { status, error: first.error.message });
    return first;
  }
  const choice = await deps.askHandoff(count);
  if (choice === 'cancel') return null;
  const second = await deps.invoke('presence.set', { status, handoff: choice });
  if (!second.ok) deps.log('presence change failed', { status, error: second.error.message });
  return second;
}

/**
 * Before the app quits: a signed-in operator goes offline, deciding about the
 * conversations in hand. Returns false when the operator cancelled the quit.
 * A failure to reach the database never traps the operator in the app.
 */
export async function prepareQuit(signedIn: boolean, deps: PresenceFlowDeps): Promise<boolean> {
  if (!signedIn) return true;
  try {
    return (await setPresence('offline', deps)) !== null;
  } catch (err) {
    deps.log('could not go offline before quitting', { error: err instanceof Error ? err.message : String(err) });
    return true;
  }
}
