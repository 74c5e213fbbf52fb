import { describe, expect, it } from 'vitest';
import { prepareQuit, setPresence, type HandoffChoice } from '../../src/main/presence-flow';
import type { InvokeResult } from '../../src/shared/contract';

/** A core that refuses to go offline while `inHand` conversations are held, as PresenceService does. */
function fakeCore(inHand: number, opts: { down?: boolean } = {}) {
  const calls: Array<[unknown, unknown]> = [];
  const invoke = async (name: unknown, input: unknown): Promise<InvokeResult> => {
    calls.push([name, input]);
    if (opts.down) throw new Error('connection refused');
    const i = input as { status?: string; handoff?: string };
    if (i.status === 'offline' && inHand > 0 && !i.handoff) {
      return { ok: false, error: { code: 'invalid_status', message: 'keep or return', details: { conversationsInHand: inHand } } };
    }
    if (i.handoff === 'return') inHand = 0;
    return { ok: true, value: { status: i.status ?? 'online', current: inHand, max: 5 } };
  };
  return { invoke, calls };
}

function deps(core: ReturnType<typeof fakeCore>, answer: HandoffChoice) {
  const asked: number[] = [];
  return {
    asked,
    d: { invoke: core.invoke, askHandoff: async (n: number) => { asked.push(n); return answer; }, log: () => {} },
  };
}

describe('presence from the tray', () => {
  it('changes presence directly when nothing is in hand', async () => {
    const core = fakeCore(0);
    const { d, asked } = deps(core, 'keep');
    expect(await setPresence('away', d)).toMatchObject({ ok: true, value: { status: 'away' } });
    expect(asked).toEqual([]);
    expect(core.calls).toEqual([['presence.set', { status: 'away' }]]);
  });

  it('asks before going offline with conversations in hand and passes the choice on', async () => {
    const core = fakeCore(2);
    const { d, asked } = deps(core, 'return');
    expect(await setPresence('offline', d)).toMatchObject({ ok: true, value: { status: 'offline', current: 0 } });
    expect(asked).toEqual([2]);
    expect(core.calls.at(-1)).toEqual(['presence.set', { status: 'offline', handoff: 'return' }]);
  });

  it('changes nothing when the operator cancels', async () => {
    const core = fakeCore(1);
    const { d } = deps(core, 'cancel');
    expect(await setPresence('offline', d)).toBeNull();
    expect(core.calls).toHaveLength(1);
  });
});

describe('quitting', () => {
  it('goes offline first and keeps the conversations when asked to', async () => {
    const core = fakeCore(3);
    const { d } = deps(core, 'keep');
    expect(await prepareQuit(true, d)).toBe(true);
    expect(core.calls.at(-1)).toEqual(['presence.set', { status: 'offline', handoff: 'keep' }]);
  });

  it('stays open when the operator cancels', async () => {
    const { d } = deps(fakeCore(3), 'cancel');
    expect(await prepareQuit(true, d)).toBe(false);
  });

  it('quits at once when nobody is signed in, and when the database cannot be reached', async () => {
    const idle = fakeCore(0);
    expect(await prepareQuit(false, deps(idle, 'cancel').d)).toBe(true);
    expect(idle.calls).toEqual([]);
    expect(await prepareQuit(true, deps(fakeCore(0, { down: true }), 'cancel').d)).toBe(true);
  });
});
