import type { DeskBridge, EventName, InvokeResult } from '../../shared/contract';
import type { ServerMessage } from '../../shared/wire';

/**
 * window.desk for the browser host: the same { invoke, on } the Electron
 * preload exposes, carried over the loopback WebSocket. It reconnects with
 * backoff and reports the link as a 'host.link' event.
 */
export function createWsBridge(url: string): DeskBridge {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let delay = 250;
  const pending = new Map<number, (r: InvokeResult) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let opened: Promise<void>;

  const dispatch = (name: string, payload: unknown) => {
    for (const l of listeners.get(name) ?? []) l(payload);
  };

  const connect = () => {
    opened = new Promise<void>((resolve) => {
      const socket = new WebSocket(url);
      ws = socket;
      socket.onopen = () => { delay = 250; dispatch('host.link', { up: true }); resolve(); };
      socket.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as ServerMessage;
        if (msg.type === 'result') {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        } else {
          dispatch(msg.name, msg.payload);
        }
      };
      socket.onclose = () => {
        ws = null;
        for (const [id, done] of pending) { done({ ok: false, error: { code: 'offline', message: 'the console lost its host' } }); pending.delete(id); }
        dispatch('host.link', { up: false });
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 5_000);
        resolve();
      };
    });
  };
  connect();

  return {
    async invoke(name, input) {
      await opened;
      const socket = ws;
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        return { ok: false, error: { code: 'offline', message: 'the console is not connected to its host' } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: InvokeResult) => void);
        socket.send(JSON.stringify({ type: 'invoke', id, name, input }));
      });
    },
    on(name: EventName, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => { set.delete(listener as (payload: unknown) => void); };
    },
  };
}

/** The WebSocket address of the page's own host, carrying the page's token. */
export function hostSocketUrl(loc: Location): string {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws?token=${encodeURIComponent(token)}`;
}
