import { describe, expect, it } from 'vitest';
import { NotificationCenter, bringToFront, type NotificationLike, type NotificationOptionsLike, type WindowLike } from '../../src/main/notifications';
import { translator } from '../../src/main/strings';
import type { Alert } from '../../src/shared/api/alerts';

/** Stands in for Electron's Notification, which cannot exist outside Electron. */
class FakeNotification implements NotificationLike {
  shown = false;
  closed = false;
  private handlers = new Map<string, Array<() => void>>();
  constructor(readonly options: NotificationOptionsLike) {}
  show() { this.shown = true; }
  close() { this.closed = true; this.emit('close'); }
  on(event: string, listener: () => void) { this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener]); }
  emit(event: string) { for (const l of this.handlers.get(event) ?? []) l(); }
}

/** Stands in for a BrowserWindow. */
class FakeWindow implements WindowLike {
  minimized = true;
  visible = false;
  focused = false;
  destroyed = false;
  isDestroyed() { return this.destroyed; }
  isMinimized() { return this.minimized; }
  restore() { this.minimized = false; }
  isVisible() { return this.visible; }
  show() { this.visible = true; }
  focus() { this.focused = true; }
}

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a-1', conversationId: 42, kind: 'assigned', priority: 'normal', title: 'Support BTP',
  body: 'Je veux parler à un humain', sound: 'chime', repeat: false, ...over,
});

function setup(supported = true) {
  const made: FakeNotification[] = [];
  const win = new FakeWindow();
  const opened: number[] = [];
  const acked: string[] = [];
  const badge = { count: -1, tooltip: '' };
  const center = new NotificationCenter({
    create: (o) => { const n = new FakeNotification(o); made.push(n); return n; },
    isSupported: () => supported,
    window: () => win,
    opened: (id) => opened.push(id),
    acknowledge: (id) => acked.push(id),
    badge: { setCount: (n) => { badge.count = n; }, setTooltip: (s) => { badge.tooltip = s; } },
    t: translator('fr'),
  });
  return { center, made, win, opened, acked, badge };
}

describe('native notifications', () => {
  it('shows an alert silently (the console plays its sound) and keeps it referenced', () => {
    const { center, made } = setup();
    center.raise(alert());
    expect(made).toHaveLength(1);
    expect(made[0].shown).toBe(true);
    expect(made[0].options).toMatchObject({ title: 'Support BTP', body: 'Je veux parler à un humain', silent: true, urgency: 'normal' });
    expect(center.onScreen).toBe(1);
  });

  it('keeps a high-priority alert on screen until dealt with', () => {
    const { center, made } = setup();
    center.raise(alert({ priority: 'high' }));
    expect(made[0].options).toMatchObject({ urgency: 'critical', timeoutType: 'never' });
  });

  it('on click brings the window back, opens that conversation and acknowledges the alert', () => {
    const { center, made, win, opened, acked } = setup();
    center.raise(alert({ id: 'a-7', conversationId: 7 }));
    made[0].emit('click');
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true });
    expect(opened).toEqual([7]);
    expect(acked).toEqual(['a-7']);
    expect(center.onScreen).toBe(0);
  });

  it('lets go of a notification once it is closed or failed', () => {
    const { center, made } = setup();
    center.raise(alert({ id: 'x' }));
    center.raise(alert({ id: 'y' }));
    made[0].emit('close');
    made[1].emit('failed');
    expect(center.onScreen).toBe(0);
  });

  it('replaces a repeated alert instead of stacking copies', () => {
    const { center, made } = setup();
    center.raise(alert({ repeat: true }));
    center.raise(alert({ repeat: true }));
    expect(made[0].closed).toBe(true);
    expect(center.onScreen).toBe(1);
    made[1].emit('click');
    expect(center.onScreen).toBe(0);
  });

  it('does nothing where the OS has no notifications', () => {
    const { center, made } = setup(false);
    center.raise(alert());
    expect(made).toHaveLength(0);
  });

  it('puts the waiting count on the badge and the tray tooltip', () => {
    const { center, badge } = setup();
    center.counts({ waiting: 4 });
    expect(badge).toEqual({ count: 4, tooltip: 'Handoff Desk : 4 en attente' });
    center.counts({ waiting: 0 });
    expect(badge).toEqual({ count: 0, tooltip: 'Handoff Desk' });
  });

  it('closes everything on quit', () => {
    const { center, made } = setup();
    center.raise(alert({ id: 'p' }));
    center.raise(alert({ id: 'q' }));
    center.closeAll();
    expect(made.every((n) => n.closed)).toBe(true);
    expect(center.onScreen).toBe(0);
  });
});

describe('bringing the window to the front', () => {
  it('does not touch a destroyed window', () => {
    const w = new FakeWindow();
    w.destroyed = true;
    expect(bringToFront(w)).toBe(false);
    expect(w.focused).toBe(false);
    expect(bringToFront(null)).toBe(false);
  });
});
