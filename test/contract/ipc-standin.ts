import type { IpcInvokeEventLike, IpcMainLike, FrameLike, WebContentsLike } from '../../src/main/ipc';
import type { IpcRendererLike } from '../../src/preload/bridge';

type Handler = Parameters<IpcMainLike['handle']>[1];
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/**
 * An in-process ipcMain / ipcRenderer / webContents trio with Electron's
 * semantics that matter to the contract: arguments and results cross by
 * structured clone, each invoke carries its sender frame, one handler per
 * channel, and webContents.send reaches the renderer's listeners.
 */
export class IpcStandIn {
  private handlers = new Map<string, Handler>();
  private listeners = new Map<string, Set<RendererListener>>();

  readonly ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, listener);
    },
    removeHandler: (channel) => { this.handlers.delete(channel); },
  };

  readonly webContents: WebContentsLike = {
    send: (channel, ...args) => {
      const cloned = structuredClone(args);
      for (const l of this.listeners.get(channel) ?? []) l({ sender: 'main' }, ...cloned);
    },
    isDestroyed: () => false,
  };

  /** The ipcRenderer of a page shown in `frame`. */
  rendererIn(frame: FrameLike): IpcRendererLike {
    return {
      invoke: async (channel, ...args) => {
        const handler = this.handlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        const event: IpcInvokeEventLike = { senderFrame: frame };
        return structuredClone(await handler(event, ...structuredClone(args)));
      },
      on: (channel, listener) => {
        const set = this.listeners.get(channel) ?? new Set();
        set.add(listener);
        this.listeners.set(channel, set);
      },
      removeListener: (channel, listener) => { this.listeners.get(channel)?.delete(listener); },
    };
  }
}
