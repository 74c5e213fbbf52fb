import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskBridge, EventName, EventPayload } from '../../src/shared/contract';
import { openIpc, openWebSocket, type IpcOpened, type Opened, type WsOpened } from './transports';
import { createIpcBridge } from '../../src/preload/bridge';
import { upgradeStatus } from './ws-client';

/** Resolves with the first event of that name the predicate accepts (the suite's timeout bounds the wait). */
function nextEvent<E extends EventName>(bridge: DeskBridge, name: E, accept: (p: EventPayload<E>) => boolean = () => true) {
  return new Promise<EventPayload<E>>((resolve) => {
    const off = bridge.on(name, (payload) => {
      if (accept(payload)) { off(); resolve(payload); }
    });
  });
}

const transports: Array<[string, () => Promise<Opened>]> = [
  ['the WebSocket host', openWebSocket],
  ['Electron IPC', openIpc],
];

// The same cases, word for word, over each transport: the renderer cannot tell them apart.
describe.each(transports)('the contract over %s', (_name, open) => {
  let t: Opened;
  beforeAll(async () => { t = await open(); });
  afterAll(async () => { await t?.close(); });

  it('session.get answers before anyone signs in, with the pick sign-in of an embedded database', async () => {
    const r = await t.bridge.invoke('session.get', {});
    expect(r).toMatchObject({ ok: true, value: { operator: null, signIn: 'pick', connection: { kind: 'embedded' } } });
  });

  it('refuses workspace.overview before sign-in with a typed error', async () => {
    const r = await t.bridge.invoke('workspace.overview', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('signs an operator in by picking their email and announces the new session', async () => {
    const announced = nextEvent(t.bridge, 'session.changed', (s) => s.operator !== null);
    const r = await t.bridge.invoke('session.signIn', { email: 'Marie@Example.com' });
    expect(r).toMatchObject({ ok: true, value: { operator: { name: 'Marie Laurent', role: 'supervisor' } } });
    expect((await announced).operator?.email).toBe('marie@example.com');
  });

  it('shows the signed-in operator the demo bots', async () => {
    const r = await t.bridge.invoke('workspace.overview', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.bots.map((b) => b.name).sort()).toEqual(['Botlive Commandes', 'Support BTP']);
  });

  it('answers an unknown command with unknown_command', async () => {
    const r = await t.bridge.invoke('conversations.delete_everything' as never, {} as never);
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  });

  it('answers an invalid payload with invalid_input and keeps serving', async () => {
    const bad = await t.bridge.invoke('session.signIn', { email: 'not an email', admin: true } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (bad.ok) return;
    expect(Array.isArray(bad.error.details)).toBe(true);
    const notAnObject = await t.bridge.invoke('session.get', 'hello' as never);
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const after = await t.bridge.invoke('session.get', {});
    expect(after).toMatchObject({ ok: true, value: { operator: { email: 'marie@example.com' } } });
  });

  it('pushes feed.changed to the window after a write in the shared database', async () => {
    const changed = nextEvent(t.bridge, 'feed.changed', (e) => e.kinds.includes('support_conversations'));
    await t.executor.query(
      `insert into public.support_conversations(agent_id, session_id) values (1, 'contract-' || md5(random()::text))`,
    );
    const ev = await changed;
    expect(ev.seq).toBeGreaterThan(0);
  });
});

describe('Electron IPC: main-process events reach the window, other senders are refused', () => {
  let t: IpcOpened;
  beforeAll(async () => { t = await openIpc(); });
  afterAll(async () => { await t?.close(); });

  it('delivers what the main process raises (a clicked notification) to the window', async () => {
    const opened = nextEvent(t.bridge, 'alert.opened');
    t.core.events.emit('alert.opened', { conversationId: 42 });
    expect(await opened).toEqual({ conversationId: 42 });
  });

  it('refuses a frame showing another origin', async () => {
    const page = createIpcBridge(t.standIn.rendererIn({ url: 'https://evil.example/' }));
    expect(await page.invoke('session.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a sub-frame even when it shows our own console', async () => {
    const iframe = createIpcBridge(t.standIn.rendererIn({ url: t.mainFrame.url }));
    expect(await iframe.invoke('session.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a file:// page loaded in the main frame', async () => {
    (t.mainFrame as { url: string }).url = 'file:///tmp/index.html';
    try {
      expect(await t.bridge.invoke('session.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    } finally {
      (t.mainFrame as { url: string }).url = 'app://desk/index.html';
    }
    expect(await t.bridge.invoke('session.get', {})).toMatchObject({ ok: true });
  });
});

describe('the WebSocket host refuses callers without the token or from another origin', () => {
  let t: WsOpened;
  beforeAll(async () => { t = await openWebSocket(); });
  afterAll(async () => { await t?.close(); });
  const base = () => `127.0.0.1:${t.host.port}`;
  const ownOrigin = () => `http://${base()}`;

  it('answers HTTP without a token, or with a wrong one, with 401', async () => {
    expect((await fetch(`http://${base()}/`)).status).toBe(401);
    expect((await fetch(`http://${base()}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`http://${base()}/?token=${t.host.token}`)).status).toBe(200);
  });

  it('refuses a WebSocket without a token, or with a wrong one, with 401', async () => {
    expect(await upgradeStatus(`ws://${base()}/ws`, ownOrigin())).toBe(401);
    expect(await upgradeStatus(`ws://${base()}/ws?token=${t.host.token}x`, ownOrigin())).toBe(401);
  });

  it('refuses a WebSocket opened by a page of another origin, even with the token', async () => {
    expect(await upgradeStatus(`ws://${base()}/ws?token=${t.host.token}`, 'https://evil.example')).toBe(401);
    expect(await upgradeStatus(`ws://${base()}/ws?token=${t.host.token}`)).toBe(401);
    expect(await upgradeStatus(`ws://${base()}/ws?token=${t.host.token}`, ownOrigin())).toBe(101);
  });

  it('answers a malformed frame with invalid_input and keeps the socket open', async () => {
    const ws = (t.bridge as unknown as { raw: import('ws').WebSocket }).raw;
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    ws.send('{not json');
    expect(await reply).toMatchObject({ type: 'result', result: { ok: false, error: { code: 'invalid_input' } } });
    expect(await t.bridge.invoke('session.get', {})).toMatchObject({ ok: true });
  });
});
