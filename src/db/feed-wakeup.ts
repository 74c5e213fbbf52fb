import type { FeedEvent } from '../core/ports/shared-db';

/** The channel desk_feed_append notifies each appended event on, as JSON (migration 0051). */
export const FEED_CHANNEL = 'desk_feed';

export type Wakeup = [seq?: number, event?: FeedEvent];

const whole = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * The event a realtime row or NOTIFY payload describes. bigint columns may
 * arrive as strings (Supabase realtime); anything incomplete is not an event,
 * and the follower then pulls as for a bare wake-up.
 */
export function feedEventOf(row: unknown): FeedEvent | undefined {
  if (!row || typeof row !== 'object') return undefined;
  const r = row as Record<string, unknown>;
  const seq = whole(r.seq);
  const scope = r.operator_scope === null || r.operator_scope === undefined ? null : whole(r.operator_scope);
  if (seq === undefined || scope === undefined) return undefined;
  if (typeof r.kind !== 'string' || typeof r.entity !== 'string' || typeof r.at !== 'string') return undefined;
  if (typeof r.id !== 'string' && typeof r.id !== 'number') return undefined;
  return { seq, kind: r.kind, entity: r.entity, id: String(r.id), operator_scope: scope, at: r.at };
}

/** A Supabase realtime row of desk_events: the event, or failing that its seq, or a plain "pull". */
export function wakeupOfRow(row: unknown): Wakeup {
  const event = feedEventOf(row);
  if (event) return [event.seq, event];
  const seq = whole((row as { seq?: unknown } | null)?.seq);
  return seq === undefined ? [] : [seq];
}

/** A NOTIFY payload: the event as JSON, or (an older trigger) a bare seq; anything else is a plain "pull". */
export function wakeupOf(payload: unknown): Wakeup {
  if (typeof payload !== 'string') return [];
  const seq = whole(payload);
  if (seq !== undefined) return [seq];
  try {
    const event = feedEventOf(JSON.parse(payload));
    return event ? [event.seq, event] : [];
  } catch {
    return [];
  }
}
