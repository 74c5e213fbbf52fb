import type { Alert } from '../shared/api/alerts';
import { badgeFor } from './tray-menu';
import type { Translate } from './strings';

/** What we use of Electron's Notification. */
export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click' | 'close' | 'failed', listener: (...args: unknown[]) => void): unknown;
}

export interface NotificationOptionsLike {
  title: string;
  body: string;
  /** The renderer plays the sound the alert chose (so mute, choice and repeat live in one place). */
  silent: true;
  urgency: 'critical' | 'normal';
  timeoutType: 'never' | 'default';
  icon?: string;
}

/** What we use of a BrowserWindow to bring it to the front. */
export interface WindowLike {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  isVisible(): boolean;
  show(): void;
  focus(): void;
}

export interface BadgeSink {
  /** Dock (macOS), launcher (Linux) and taskbar overlay (Windows) count. */
  setCount(count: number): void;
  setTooltip(text: string): void;
}

export interface NotificationCenterOptions {
  create: (opts: NotificationOptionsLike) => NotificationLike;
  isSupported: () => boolean;
  window: () => WindowLike | null | undefined;
  /** Tells the console to open that conversation (the core event 'alert.opened'). */
  opened: (conversationId: number) => void;
  /** Clicking an alert acknowledges it, so a repeating alert stops. */
  acknowledge: (alertId: string) => void;
  badge: BadgeSink;
  t: Translate;
  icon?: string;
}

/** Restores, shows and focuses the window, whatever state it was left in. */
export function bringToFront(win: WindowLike | null | undefined): boolean {
  if (!win || win.isDestroyed()) return false;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  return true;
}

/**
 * Turns the core's alert.raised events into native notifications. Each one
 * stays referenced until it is clicked, closed or fails: a notification only
 * held by the OS is garbage-collected in Electron and its click is lost.
 */
export class NotificationCenter {
  private live = new Map<string, NotificationLike>();

  constructor(private opts: NotificationCenterOptions) {}

  /** How many notifications are on screen (referenced). */
  get onScreen(): number { return this.live.size; }

  raise(alert: Alert): void {
    if (!this.opts.isSupported()) return;
    // A repeated alert replaces its previous notification instead of stacking copies.
    this.live.get(alert.id)?.close();
    this.live.delete(alert.id);
    const high = alert.priority === 'high';
    const n = this.opts.create({
      title: alert.title || this.opts.t('notification.fallbackTitle'),
      body: alert.body,
      silent: true,
      urgency: high ? 'critical' : 'normal',
      timeoutType: high ? 'never' : 'default',
      ...(this.opts.icon ? { icon: this.opts.icon } : {}),
    });
    const release = () => { if (this.live.get(alert.id) === n) this.live.delete(alert.id); };
    n.on('click', () => {
      release();
      bringToFront(this.opts.window());
      this.opts.opened(alert.conversationId);
      this.opts.acknowledge(alert.id);
    });
    n.on('close', release);
    n.on('failed', release);
    this.live.set(alert.id, n);
    n.show();
  }

  /** The waiting count on the tray tooltip and the dock/taskbar badge. */
  counts(c: { waiting: number }): void {
    const b = badgeFor(c.waiting, this.opts.t);
    this.opts.badge.setCount(b.count);
    this.opts.badge.setTooltip(b.tooltip);
  }

  /** On quit: take every notification off the screen. */
  closeAll(): void {
    for (const n of this.live.values()) n.close();
    this.live.clear();
  }
}
