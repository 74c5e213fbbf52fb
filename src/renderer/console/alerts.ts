import type { Alert } from '../../shared/api/alerts';
import { playSound } from './sounds';

let webNotifications = false;
/** Kept until clicked or closed, so the notification's click still reaches us. */
const shown = new Map<string, Notification>();

/** The browser host shows Web Notifications; in Electron the main process shows native ones from the same event. */
export function enableWebNotifications(on: boolean): void { webNotifications = on; }
export function webNotificationsEnabled(): boolean { return webNotifications; }

export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** Plays the alert's sound and, in a browser, shows it; a click focuses the console and opens the conversation. */
export function presentAlert(alert: Alert, title: string, open: (conversationId: number) => void): void {
  playSound(alert.sound);
  if (!webNotifications || notificationPermission() !== 'granted') return;
  shown.get(alert.id)?.close();
  const n = new Notification(title, { body: alert.body, tag: alert.id, requireInteraction: alert.priority === 'high' });
  shown.set(alert.id, n);
  n.onclick = () => { window.focus(); open(alert.conversationId); n.close(); };
  n.onclose = () => { shown.delete(alert.id); };
}
