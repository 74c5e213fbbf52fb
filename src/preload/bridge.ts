import type { DeskBridge, EventName } from '../shared/contract';
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc-channels';

/** The part of ipcRenderer the bridge needs; a stand-in implements it in tests. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * window.desk over Electron IPC. Only two channels exist and only plain data
 * crosses them; the renderer never sees ipcRenderer itself.
 */
export function createIpcBridge(ipc: IpcRendererLike): DeskBridge {
  return {
    invoke: (name, input) => ipc.invoke(IPC_INVOKE, name, input) as never,
    on(name: EventName, listener) {
      const handler = (_event: unknown, evName: unknown, payload: unknown) => {
        if (evName === name) (listener as (p: unknown) => void)(payload);
      };
      ipc.on(IPC_EVENT, handler as never);
      return () => { ipc.removeListener(IPC_EVENT, handler as never); };
    },
  };
}
