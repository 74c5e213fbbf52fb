import WebSocket from 'ws';
import type { DeskBridge, InvokeResult } from '../../src/shared/contract';
import type { ServerMessage } from '../../src/shared/wire';

/**
 * window.desk over the loopback WebSocket, as the browser console speaks it
 * (src/renderer/bridge/ws-bridge.ts) but without reconnecting, so a test
 * can close it.
 */
export async function connectWsBridge(url: string, origin: string): Promise<DeskBridge & { close(): void; raw: WebSocket }> {
  const ws = new WebSocket(url, { origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let nextId = 1;
  const pending = new Map<number, (r: InvokeResult) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as ServerMessage;
    if (msg.type === 'result') {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else {
      for (const l of listeners.get(msg.name) ?? []) l(msg.payload);
    }
  });
  return {
    raw: ws,
    invoke: (name, input) => new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (r: InvokeResult) => void);
      ws.send(JSON.stringify({ type: 'invoke', id, name, input }));
    }) as never,
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(name, set);
      return () => { set.delete(listener as (p: unknown) => void); };
    },
    close: () => ws.close(),
  };
}

/** Tries a WebSocket upgrade and reports the HTTP status it was refused with, or 101 when it was accepted. */
export function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => { ws.close(); resolve(101); });
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.on('error', reject);
  });
}
