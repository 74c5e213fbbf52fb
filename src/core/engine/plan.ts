import type { Log } from '../api/dispatch';
import { decide, route } from './evaluate';
import type { IntentResult } from './intent/detector';
import { HIGH_PRIORITY, REASONS, type Reason } from './rules';
import { OperatorSchema, settingsOf, SnapshotSchema, type OperatorPresence, type Snapshot } from './snapshot';

export const DETECTED_BY = 'desk_engine_v1';

/** One conversation of a page, as engine_snapshots returns it and the decision reads it. */
export interface PageItem {
  snap: Snapshot;
  assignedTo: string | null;
  /** Named by a conversation or message event, not only by log rows. */
  touched: boolean;
  /** The page's log rows of this conversation, oldest first. */
  logs: Array<{ id: number; metadata: unknown }>;
}

export type Action =
  | { op: 'escalate'; conversation_id: number; reason: string; priority: 'high' | 'normal'; assignee: string | null; detected_by: string; evidence: Record<string, unknown> }
  | { op: 'assign'; conversation_id: number; assignee: string }
  | ({ op: 'intent'; conversation_id: number; message_id: number } & Record<string, unknown>);

const ConversationState = SnapshotSchema.omit({ now: true, operators: true });

interface RawBatch { now: string; operators: unknown[]; conversations: Array<Record<string, unknown>> }

/**
 * Validates engine_snapshots' answer. A malformed conversation (or operator
 * row) is logged with its id and left out; the rest of the page goes on.
 * Every item shares one operators array, so loads counted while planning one
 * conversation are seen by the next.
 */
export function parseBatch(raw: RawBatch, log: Log): PageItem[] {
  const now = new Date(raw.now);
  const operators: OperatorPresence[] = [];
  for (const o of raw.operators ?? []) {
    const p = OperatorSchema.safeParse(o);
    if (p.success) operators.push(p.data);
    else log('warn', 'engine: skipped a malformed row', { entity: 'admin_availability', id: (o as { admin_id?: unknown })?.admin_id, issues: issues(p.error) });
  }
  const items: PageItem[] = [];
  for (const c of raw.conversations ?? []) {
    const { touched, logs, sources, ...state } = c as { touched?: boolean; logs?: PageItem['logs']; sources?: Record<string, number | null> };
    const parsed = ConversationState.safeParse(state);
    if (!parsed.success) {
      // Name the row at fault: the bot's log row an order, bot state or guardian came from, else the conversation.
      const conversation = (state as { conversation?: { id?: unknown } }).conversation?.id;
      const part = String(parsed.error.issues[0]?.path[0] ?? '');
      const logId = sources?.[part];
      log('warn', 'engine: skipped a malformed row', logId != null
        ? { entity: 'conversation_logs', id: logId, conversation, issues: issues(parsed.error) }
        : { entity: 'support_conversations', id: conversation, issues: issues(parsed.error) });
      // The page's own flags are still checked, so a bad one is reported by its id too.
      for (const row of logs ?? []) {
        const problem = flagProblem(row.metadata);
        if (problem) log('warn', 'engine: skipped a malformed row', { entity: 'conversation_logs', id: row.id, issue: problem });
      }
      continue;
    }
    const conversation = parsed.data.conversation as Snapshot['conversation'] & { assigned_admin_id?: string | null };
    items.push({ snap: { ...parsed.data, now, operators }, assignedTo: conversation.assigned_admin_id ?? null, touched: touched === true, logs: logs ?? [] });
  }
  return items;
}

const issues = (e: { issues: Array<{ path: PropertyKey[]; message: string }> }) =>
  e.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);

/** The latest user message, when this item will be decided on (its intent is needed, and logged, first). */
export function intentMessage(item: PageItem): Snapshot['messages'][number] | null {
  if (!item.touched && item.logs.length === 0) return null;
  if (item.snap.conversation.status !== 'active') return null;
  return [...item.snap.messages].reverse().find((m) => m.sender_type === 'user') ?? null;
}

/**
 * What to write for a page, in order: bots' own flags first (seed 000), then
 * the engine's decision for every conversation that was touched otherwise.
 * Pure but for the operator loads it counts up as it assigns.
 */
export function planBatch(items: PageItem[], intentOf: (item: PageItem) => IntentResult | null, log: Log): Action[] {
  const actions: Action[] = [];
  const assign = (snap: Snapshot, who: string | null) => {
    const op = who ? snap.operators.find((o) => o.admin_id === who) : undefined;
    if (op) { op.current_conversations++; op.last_assigned_at = snap.now; }
  };
  for (const item of items) {
    const { snap } = item;
    let decideToo = item.touched;
    let done = false;
    for (const row of item.logs) {
      if (done) break;
      const flag = botFlag(snap, row, log);
      if (flag === 'not_a_flag') { decideToo = true; continue; }
      if (flag === 'handled') continue;
      actions.push(flag);
      assign(snap, flag.assignee);
      done = true;
    }
    if (done || !decideToo) continue;
    if (snap.conversation.status === 'escalated' && !item.assignedTo) {
      if (!settingsOf(snap.agent).human_support_enabled) continue;
      const where = route(snap);
      if (!where.assignee) continue;
      actions.push({ op: 'assign', conversation_id: snap.conversation.id, assignee: where.assignee });
      assign(snap, where.assignee);
      continue;
    }
    if (snap.conversation.status !== 'active') continue;
    const d = decide(snap, intentOf(item));
    if (!d.escalate || !d.reason) continue;
    actions.push({ op: 'escalate', conversation_id: snap.conversation.id, reason: d.reason, priority: d.priority ?? 'normal',
      assignee: d.assignee, detected_by: DETECTED_BY, evidence: d.evidence });
    assign(snap, d.assignee);
  }
  return actions;
}

/** Seed 000: a bot may flag an intervention itself; the engine routes it like its own decisions. */
function botFlag(snap: Snapshot, row: PageItem['logs'][number], log: Log): Action & { op: 'escalate' } | 'handled' | 'not_a_flag' {
  const problem = flagProblem(row.metadata);
  if (problem) {
    log('warn', 'engine: skipped a malformed row', { entity: 'conversation_logs', id: row.id, issue: problem });
    return 'handled';
  }
  const m = row.metadata as Record<string, unknown>;
  if (m.needs_intervention !== true || m.detected_by === DETECTED_BY) return 'not_a_flag';
  const reason = m.reason as Reason;
  if (reason as string === 'manual_takeover' || snap.conversation.status !== 'active') return 'handled';
  const priority = m.priority === 'high' || m.priority === 'normal' ? m.priority : HIGH_PRIORITY.has(reason) ? 'high' : 'normal';
  const where = route(snap, !settingsOf(snap.agent).human_support_enabled);
  return {
    op: 'escalate', conversation_id: snap.conversation.id, reason, priority, assignee: where.assignee,
    detected_by: typeof m.detected_by === 'string' ? m.detected_by : 'bot', evidence: { bot_log_id: row.id, routing: where.routing },
  };
}

/** Why a bot's log row cannot be read as seed 000 metadata or its flag, or null. */
function flagProblem(metadata: unknown): string | null {
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) return 'metadata is not an object';
  const m = metadata as Record<string, unknown>;
  if (m.needs_intervention !== true || m.detected_by === DETECTED_BY || m.reason === 'manual_takeover') return null;
  return REASONS.includes(m.reason as Reason) ? null : `unknown reason ${String(m.reason)}`;
}

/**
 * The engine reads a page while its write of the previous page is still in
 * flight, so that read may not show the operators it just assigned. Those
 * writes all happen in one transaction, stamped after the previous read's
 * `since`: if no operator it assigned shows a later `last_assigned_at`, the
 * write was not visible yet and its assignments are counted in here, so the
 * page is not routed to someone the write just filled up.
 */
export function carryLoads(operators: OperatorPresence[], assigned: Map<string, number>, since: Date, now: Date): boolean {
  const mine = operators.filter((o) => assigned.has(o.admin_id));
  if (mine.length === 0 || mine.some((o) => (o.last_assigned_at?.getTime() ?? -Infinity) > since.getTime())) return false;
  for (const o of mine) {
    o.current_conversations += assigned.get(o.admin_id)!;
    o.last_assigned_at = now;
  }
  return true;
}
