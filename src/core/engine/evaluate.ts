import { pickOperator, whyIneligible, withinSupportHours } from './assignment';
import type { IntentResult } from './intent/detector';
import { HIGH_PRIORITY, RULES, isCompletedOrder, userRequest, type Reason, type RuleHit } from './rules';
import { settingsOf, SnapshotSchema, type Snapshot } from './snapshot';

/** The Decision API output (DESIGN.md §8). */
export interface Decision {
  escalate: boolean;
  reason: Reason | null;
  priority: 'high' | 'normal' | null;
  mode: 'live' | 'deferred' | null;
  assignee: string | null;
  completed: boolean;
  evidence: Record<string, unknown>;
}

const none = (completed: boolean, evidence: Record<string, unknown>): Decision =>
  ({ escalate: false, reason: null, priority: null, mode: null, assignee: null, completed, evidence });

/** Where an escalation goes: live to the least-loaded eligible operator within support hours, else deferred. */
export function route(snap: Snapshot, forceDeferred = false) {
  const settings = settingsOf(snap.agent);
  const hours = withinSupportHours(settings.support_hours, settings.timezone, snap.now);
  const op = forceDeferred || !hours.open ? null : pickOperator(snap.operators, snap.agent.id, snap.now);
  const skipped = snap.operators
    .map((o) => ({ admin_id: o.admin_id, why: whyIneligible(o, snap.agent.id, snap.now) }))
    .filter((o) => o.why !== null);
  return {
    mode: op ? ('live' as const) : ('deferred' as const),
    assignee: op?.admin_id ?? null,
    routing: { within_support_hours: hours.open, local_time: hours.local, eligible: snap.operators.length - skipped.length, skipped },
  };
}

/**
 * Decides for one conversation. Pure: the same snapshot always gives the same
 * decision, which is what makes the engine's replays harmless.
 * `intent` lets the engine pass the detector's result it already computed (and logged).
 */
export function decide(snap: Snapshot, intent?: IntentResult | null): Decision {
  const settings = settingsOf(snap.agent);
  const completed = isCompletedOrder(snap);
  if (snap.conversation.status !== 'active') {
    return none(completed, { conversation_status: snap.conversation.status, note: 'only active conversations are escalated' });
  }
  const input = { snap, settings, intent };
  let hit: RuleHit | null;
  let forceDeferred = false;
  if (!settings.human_support_enabled) {
    // Seed 001 §5: support disabled stops every trigger except a customer asking, and that one waits as a ticket.
    hit = userRequest(input);
    forceDeferred = true;
    if (!hit) return none(completed, { human_support_enabled: false });
  } else if (completed) {
    // Seed 000 §5: a 4/4 order is finished, never an intervention; only a customer asking for a person still counts.
    hit = userRequest(input);
    if (!hit) return none(true, { collected: '4/4', completion_rate: snap.order!.completion_rate });
  } else {
    hit = null;
    for (const [, rule] of RULES) { hit = rule(input); if (hit) break; }
    if (!hit) return none(false, { checked: RULES.map(([r]) => r) });
  }
  const where = route(snap, forceDeferred);
  return {
    escalate: true,
    reason: hit.reason,
    priority: HIGH_PRIORITY.has(hit.reason) ? 'high' : 'normal',
    mode: where.mode,
    assignee: where.assignee,
    completed,
    evidence: { ...hit.evidence, ...(forceDeferred ? { human_support_enabled: false } : {}), routing: where.routing },
  };
}

/** The Decision API on untrusted JSON: validates, then decides. Throws a readable message on a bad snapshot. */
export function evaluate(raw: unknown): Decision {
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return decide(parsed.data);
}
