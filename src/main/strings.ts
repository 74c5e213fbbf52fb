/**
 * The few words the main process shows itself (tray, dialogs, tooltip). The
 * console's own texts live in the renderer's i18n; the shell follows the OS
 * language: French when the OS is French, English otherwise.
 */
const fr = {
  'presence.online': 'En ligne',
  'presence.busy': 'Occupé',
  'presence.away': 'Absent',
  'presence.offline': 'Hors ligne',
  'tray.capacity': 'Conversations : {{current}}/{{max}}',
  'tray.maxCapacity': 'Capacité maximale',
  'tray.waiting': 'En attente : {{count}}',
  'tray.signedOut': 'Non connecté',
  'tray.open': 'Ouvrir Handoff Desk',
  'tray.quit': 'Quitter',
  'tooltip.idle': 'Handoff Desk',
  'tooltip.waiting': 'Handoff Desk : {{count}} en attente',
  'handoff.title': 'Conversations en cours',
  'handoff.message': 'Vous avez {{count}} conversation(s) en cours.',
  'handoff.detail': 'Les garder à votre nom, ou les remettre dans la file pour un collègue ?',
  'handoff.keep': 'Les garder',
  'handoff.return': 'Les remettre dans la file',
  'handoff.cancel': 'Annuler',
  'notification.fallbackTitle': 'Handoff Desk',
} as const;

export type StringKey = keyof typeof fr;

const en: Record<StringKey, string> = {
  'presence.online': 'Online',
  'presence.busy': 'Busy',
  'presence.away': 'Away',
  'presence.offline': 'Offline',
  'tray.capacity': 'Conversations: {{current}}/{{max}}',
  'tray.maxCapacity': 'Maximum capacity',
  'tray.waiting': 'Waiting: {{count}}',
  'tray.signedOut': 'Not signed in',
  'tray.open': 'Open Handoff Desk',
  'tray.quit': 'Quit',
  'tooltip.idle': 'Handoff Desk',
  'tooltip.waiting': 'Handoff Desk: {{count}} waiting',
  'handoff.title': 'Conversations in hand',
  'handoff.message': 'You have {{count}} conversation(s) in hand.',
  'handoff.detail': 'Keep them assigned to you, or return them to the queue for a colleague?',
  'handoff.keep': 'Keep them',
  'handoff.return': 'Return them to the queue',
  'handoff.cancel': 'Cancel',
  'notification.fallbackTitle': 'Handoff Desk',
};

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/** A translator for an OS locale such as 'fr-FR', 'fr', 'en-US'. */
export function translator(locale: string): Translate {
  const table: Record<StringKey, string> = /^fr\b/i.test(locale) ? fr : en;
  return (key, vars) => table[key].replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars?.[name] ?? ''));
}
