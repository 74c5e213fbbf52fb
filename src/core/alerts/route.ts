import type { AlertSettings } from '../../shared/api/alerts';
import type { PresenceStatus } from '../../shared/domain';

/** A conversation as the alert router sees it (a row of desk_alert_candidates). */
export interface AlertCandidate {
  id: number;
  lane: string;
  status: string;
  assigned_admin_id: string | null;
  priority: 'high' | 'normal';
}

export interface RouteInput {
  item: AlertCandidate;
  me: { id: string; presence: PresenceStatus };
  settings: AlertSettings;
  /** This desktop took it itself: the operator knows, no alert. */
  claimedHere: boolean;
}

export type RouteDecision =
  | { alert: false; why: 'not_for_me' | 'absent' | 'busy' | 'claimed_here' }
  | { alert: true; kind: 'assigned' | 'waiting'; priority: 'high' | 'normal'; sound: string | null; repeat: boolean };

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  muted: false,
  sounds: { high: 'alarm', normal: 'chime' },
  quietWhileBusy: true,
  repeat: false,
};

/**
 * Whether a conversation's new state deserves an alert for me, and how loud.
 * An escalation routed to me alerts whenever I am not away or offline (it is
 * mine to answer); a waiting one only while I am online. Busy silences both
 * when the operator asked for it. Mute keeps the notification, drops the sound.
 */
export function routeAlert({ item, me, settings, claimedHere }: RouteInput): RouteDecision {
  const mine = item.assigned_admin_id === me.id && (item.status === 'escalated' || item.status === 'human_handling');
  const waiting = item.lane === 'waiting';
  if (!mine && !waiting) return { alert: false, why: 'not_for_me' };
  if (mine && claimedHere) return { alert: false, why: 'claimed_here' };
  if (me.presence === 'offline' || me.presence === 'away') return { alert: false, why: 'absent' };
  if (me.presence === 'busy' && (settings.quietWhileBusy || waiting)) return { alert: false, why: 'busy' };
  return {
    alert: true,
    kind: mine ? 'assigned' : 'waiting',
    priority: item.priority,
    sound: settings.muted ? null : settings.sounds[item.priority],
    repeat: settings.repeat,
  };
}
