import type { InvokeResult } from '../shared/contract';
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc-channels';
import { isAppUrl } from './app-url';

/** What we read of an Electron WebFrameMain. */
export interface FrameLike { readonly url: string; readonly processId?: number; readonly routingId?: number }

/** Electron hands out one WebFrameMain per frame, so identity is the check; ids guard against a re-wrapped object. */
function sameFrame(a: FrameLike, b: FrameLike): boolean {
  if (a === b) return true;
  return a.processId !== undefined && a.routingId !== undefined && a.processId === b.processId && a.routingId === b.routingId;
}

export interface IpcInvokeEventLike { readonly senderFrame: FrameLike | null }

/** The part of ipcMain the transport needs; a stand-in implements it in tests. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

export type InvokeFn = (name: unknown, input: unknown) => Promise<InvokeResult>;

/**
 * A sender is trusted when it is the main frame of our window and shows our
 * own app:// console: not an iframe, not a page the window was somehow
 * navigated to, not another window.
 */
export function trustedFrameCheck(mainFrame: () => FrameLike | null | undefined) {
  return (frame: FrameLike | null): boolean => {
    if (!frame) return false;
    const main = mainFrame();
    return !!main && sameFrame(frame, main) && isAppUrl(frame.url);
  };
}

const UNTRUSTED: InvokeResult = { ok: false, error: { code: 'unauthorized', message: 'this frame may not talk to Handoff Desk' } };

/**
 * The Electron transport of the contract: 'desk:invoke' (name, input) ->
 * InvokeResult. The dispatcher validates the payload; nothing the renderer
 * sends can throw into the main process. Returns an unregister function.
 */
export function registerIpc(ipcMain: IpcMainLike, invoke: InvokeFn, isTrustedFrame: (frame: FrameLike | null) => boolean): () => void {
  ipcMain.handle(IPC_INVOKE, async (event, name, input): Promise<InvokeResult> => {
    let trusted = false;
    // Reading senderFrame throws when the frame was disposed meanwhile: that sender is gone, so not trusted.
    try { trusted = isTrustedFrame(event?.senderFrame ?? null); } catch { trusted = false; }
    if (!trusted) return UNTRUSTED;
    try {
      return await invoke(name, input);
    } catch (err) {
      return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
    }
  });
  return () => ipcMain.removeHandler(IPC_INVOKE);
}

export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Pushes every core event to the window, if it still exists. Returns the unsubscribe function. */
export function forwardEvents(
  hub: { subscribe(listener: (name: string, payload: unknown) => void): () => void },
  target: () => WebContentsLike | null | undefined,
): () => void {
  return hub.subscribe((name, payload) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT, name, payload);
  });
}
