import type { Presence } from '../shared/api/presence';
import { PRESENCE_STATUSES, type PresenceStatus } from '../shared/domain';
import type { Translate } from './strings';

/** What the tray shows; fed by the core's presence.changed, queue.counts and session.changed events. */
export interface TrayState {
  signedIn: boolean;
  presence: Presence | null;
  waiting: number;
}

export type TrayAction =
  | { type: 'presence'; status: PresenceStatus }
  | { type: 'capacity'; max: number }
  | { type: 'open' }
  | { type: 'quit' };

/** The fields of Electron's MenuItemConstructorOptions we use, so the template goes straight to Menu.buildFromTemplate. */
export interface TrayMenuItem {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'radio' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  submenu?: TrayMenuItem[];
  click?: () => void;
}

export const CAPACITY_CHOICES = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20] as const;

/**
 * The tray menu: presence as radio items, the load against capacity, the
 * waiting count, open and quit. Pure: clicks only report a TrayAction.
 */
export function buildTrayMenu(state: TrayState, t: Translate, act: (a: TrayAction) => void): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  if (state.signedIn && state.presence) {
    const p = state.presence;
    for (const status of PRESENCE_STATUSES) {
      items.push({
        id: `presence-${status}`, type: 'radio', label: t(`presence.${status}`), checked: p.status === status,
        click: () => { if (p.status !== status) act({ type: 'presence', status }); },
      });
    }
    items.push({ type: 'separator' });
    items.push({ id: 'capacity', label: t('tray.capacity', { current: p.current, max: p.max }), enabled: false });
    const choices = [...new Set([...CAPACITY_CHOICES, p.max])].filter((n) => n > 0).sort((a, b) => a - b);
    items.push({
      id: 'max-capacity', type: 'submenu', label: t('tray.maxCapacity'),
      submenu: choices.map((max) => ({
        id: `max-${max}`, type: 'radio', label: String(max), checked: max === p.max,
        click: () => { if (max !== p.max) act({ type: 'capacity', max }); },
      })),
    });
    items.push({ id: 'waiting', label: t('tray.waiting', { count: state.waiting }), enabled: false });
  } else {
    items.push({ id: 'signed-out', label: t('tray.signedOut'), enabled: false });
  }
  items.push({ type: 'separator' });
  items.push({ id: 'open', label: t('tray.open'), click: () => act({ type: 'open' }) });
  items.push({ id: 'quit', label: t('tray.quit'), click: () => act({ type: 'quit' }) });
  return items;
}

/** The tray tooltip and the dock/taskbar badge for a waiting count. */
export function badgeFor(waiting: number, t: Translate): { count: number; tooltip: string } {
  const count = Math.max(0, Math.floor(waiting));
  return { count, tooltip: count > 0 ? t('tooltip.waiting', { count }) : t('tooltip.idle') };
}

export const INITIAL_TRAY_STATE: TrayState = { signedIn: false, presence: null, waiting: 0 };

/** Folds a core event into the tray's state; events the tray does not show leave it unchanged (same object). */
export function trayStateAfter(state: TrayState, name: string, payload: unknown): TrayState {
  switch (name) {
    case 'session.changed': {
      const signedIn = (payload as { operator: unknown }).operator != null;
      return signedIn === state.signedIn ? state : { signedIn, presence: signedIn ? state.presence : null, waiting: signedIn ? state.waiting : 0 };
    }
    case 'presence.changed':
      return { ...state, presence: payload as Presence };
    case 'queue.counts':
      return { ...state, waiting: (payload as { waiting: number }).waiting };
    default:
      return state;
  }
}
