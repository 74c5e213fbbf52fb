import { DAYS, DEFAULTS, type OperatorPresence, type SupportHours } from './snapshot';

// Building a DateTimeFormat costs far more than using one: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The bot's local weekday and minute of day in its IANA timezone (no dependency: Intl does time zones). */
export function localTime(now: Date, timeZone: string): { day: (typeof DAYS)[number]; minutes: number } {
  const parts = formatter(timeZone).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: get('weekday').toLowerCase() as (typeof DAYS)[number], minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Seed 001 §5: no hours configured = always open; a day not listed = closed; an end before the start spans midnight. */
export function withinSupportHours(hours: SupportHours, timeZone: string, now: Date): { open: boolean; local: string } {
  const { day, minutes } = localTime(now, timeZone);
  const local = `${day} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')} ${timeZone}`;
  if (!hours || Object.keys(hours).length === 0) return { open: true, local };
  const span = hours[day];
  if (!span) return { open: false, local };
  const [start, end] = [toMinutes(span.start), toMinutes(span.end)];
  const open = end > start ? minutes >= start && minutes <= end : minutes >= start || minutes <= end;
  return { open, local };
}

export type Ineligible = 'not_online' | 'stale_heartbeat' | 'at_capacity' | 'not_allowed_for_bot';

export function whyIneligible(op: OperatorPresence, agentId: number, now: Date): Ineligible | null {
  if (op.status !== 'online') return 'not_online';
  if (now.getTime() - op.last_seen_at.getTime() >= DEFAULTS.presence_fresh_seconds * 1000) return 'stale_heartbeat';
  if (op.current_conversations >= op.max_conversations) return 'at_capacity';
  if (op.agent_ids !== null && !op.agent_ids.includes(agentId)) return 'not_allowed_for_bot';
  return null;
}

/**
 * Least-loaded eligible operator; ties go to the one idle longest (never
 * assigned first), then to the smallest id so the choice is deterministic.
 */
export function pickOperator(operators: OperatorPresence[], agentId: number, now: Date): OperatorPresence | null {
  const eligible = operators.filter((op) => whyIneligible(op, agentId, now) === null);
  eligible.sort((a, b) =>
    a.current_conversations - b.current_conversations
    || (a.last_assigned_at?.getTime() ?? -Infinity) - (b.last_assigned_at?.getTime() ?? -Infinity)
    || (a.admin_id < b.admin_id ? -1 : a.admin_id > b.admin_id ? 1 : 0));
  return eligible[0] ?? null;
}
