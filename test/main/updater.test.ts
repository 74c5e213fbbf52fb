import { describe, expect, it } from 'vitest';
import { UPDATE_INTERVAL_MS, UpdateScheduler, parseShellSettings, updatePolicy, type UpdatePolicy } from '../../src/main/updater';

/** A clock we advance by hand: intervals fire when the time passes. */
class FakeTimers {
  now = 0;
  private next = 1;
  private timers = new Map<number, { fn: () => void; every: number; due: number }>();
  setInterval = (fn: () => void, ms: number) => { const id = this.next++; this.timers.set(id, { fn, every: ms, due: this.now + ms }); return id; };
  clearInterval = (h: unknown) => { this.timers.delete(h as number); };
  get active() { return this.timers.size; }
  async advance(ms: number) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.values()].filter((t) => t.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!due) break;
      this.now = due.due;
      due.due += due.every;
      due.fn();
      await Promise.resolve();
    }
    this.now = end;
  }
}

class FakeUpdater {
  checks = 0;
  fail = false;
  errorListeners: Array<(e: Error) => void> = [];
  pending: Array<() => void> = [];
  hold = false;
  async checkForUpdatesAndNotify() {
    this.checks++;
    if (this.hold) await new Promise<void>((r) => this.pending.push(r));
    if (this.fail) throw new Error('net::ERR_INTERNET_DISCONNECTED');
    return null;
  }
  on(_event: 'error', l: (e: Error) => void) { this.errorListeners.push(l); }
}

const on: UpdatePolicy = { enabled: true };
const flush = () => new Promise((r) => setTimeout(r, 0));

function scheduler(policy: UpdatePolicy = on) {
  const timers = new FakeTimers();
  const updater = new FakeUpdater();
  const logs: string[] = [];
  const s = new UpdateScheduler({ updater, timers, policy, log: (level, m) => logs.push(`${level}: ${m}`) });
  return { s, timers, updater, logs };
}

describe('automatic updates', () => {
  it('checks at start and then every 6 hours', async () => {
    const { s, timers, updater } = scheduler();
    s.start();
    await flush();
    expect(updater.checks).toBe(1);
    await timers.advance(UPDATE_INTERVAL_MS - 1);
    expect(updater.checks).toBe(1);
    await timers.advance(1);
    await flush();
    expect(updater.checks).toBe(2);
    await timers.advance(2 * UPDATE_INTERVAL_MS);
    await flush();
    expect(updater.checks).toBe(4);
    s.stop();
    expect(timers.active).toBe(0);
  });

  it('logs a failed check and tries again at the next tick', async () => {
    const { s, timers, updater, logs } = scheduler();
    updater.fail = true;
    s.start();
    await flush();
    expect(logs).toContain('warn: update check failed');
    updater.fail = false;
    await timers.advance(UPDATE_INTERVAL_MS);
    await flush();
    expect(updater.checks).toBe(2);
    updater.errorListeners.forEach((l) => l(new Error('bad signature')));
    expect(logs).toContain('warn: update failed');
  });

  it('never runs two checks at once', async () => {
    const { s, updater } = scheduler();
    updater.hold = true;
    const a = s.check();
    const b = s.check();
    expect(updater.checks).toBe(1);
    updater.pending.forEach((r) => r());
    await Promise.all([a, b]);
  });

  it('does nothing when turned off', async () => {
    const { s, timers, updater, logs } = scheduler({ enabled: false, why: 'DESK_AUTO_UPDATE is off' });
    s.start();
    await s.check();
    await timers.advance(10 * UPDATE_INTERVAL_MS);
    expect(updater.checks).toBe(0);
    expect(timers.active).toBe(0);
    expect(logs).toEqual(['info: automatic updates are off']);
  });
});

describe('the update setting', () => {
  it('is on for a packaged app by default', () => {
    expect(updatePolicy({}, {}, true)).toEqual({ enabled: true });
  });

  it('is turned off by DESK_AUTO_UPDATE=0 (or false/off/no)', () => {
    for (const v of ['0', 'false', 'OFF', ' no ']) expect(updatePolicy({ DESK_AUTO_UPDATE: v }, {}, true).enabled).toBe(false);
    expect(updatePolicy({ DESK_AUTO_UPDATE: '1' }, {}, true).enabled).toBe(true);
  });

  it('is turned off by the stored setting', () => {
    expect(updatePolicy({}, parseShellSettings('{"autoUpdate": false}'), true).enabled).toBe(false);
    expect(updatePolicy({}, parseShellSettings('{"autoUpdate": true}'), true).enabled).toBe(true);
  });

  it('is off when running unpackaged', () => {
    expect(updatePolicy({}, {}, false)).toEqual({ enabled: false, why: 'not a packaged app' });
  });

  it('reads a missing or damaged settings file as the defaults', () => {
    expect(parseShellSettings(null)).toEqual({});
    expect(parseShellSettings('{oops')).toEqual({});
    expect(parseShellSettings('{"autoUpdate": "no"}')).toEqual({});
  });
});
