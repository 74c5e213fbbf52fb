import { z } from 'zod';
import { command } from './define';
import { QUEUE_TABS } from '../values';

export { QUEUE_TABS };
export const QueueTabSchema = z.enum(QUEUE_TABS);
export type QueueTab = z.infer<typeof QueueTabSchema>;

/** One row of a queue tab (desk_queue): enough to pick a conversation without opening it. */
export const QueueItemSchema = z.object({
  /** The conversation; null for an intervention logged without one (seed 000). */
  id: z.number().int().nullable(),
  key: z.string(),
  agent_id: z.number().int().nullable(),
  agent_name: z.string().nullable(),
  agent_kind: z.string().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  /** The escalation decision's evidence as the engine recorded it, e.g. { score: 0.45, threshold: 0.6 }. */
  evidence: z.record(z.string(), z.unknown()).nullable(),
  priority: z.enum(['high', 'normal']),
  since: z.string(),
  preview: z.string().nullable(),
  customer: z.string().nullable(),
  assigned_admin_id: z.string().nullable(),
  assigned_name: z.string().nullable(),
  resolution_type: z.string().nullable(),
  /** Sort keys of Mine and Resolved, so a patched row lands where a fresh list would put it. */
  assigned_at: z.string().nullable().optional(),
  resolved_at: z.string().nullable().optional(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

/** A queue row with the tabs it belongs to for the caller (interventions are listed apart, from their logs). */
export const QueueRowSchema = QueueItemSchema.extend({ tabs: z.array(QueueTabSchema) });
export type QueueRow = z.infer<typeof QueueRowSchema>;

const Ids = z.array(z.number().int().positive()).max(1_000);

export const QueueCountsSchema = z.object({
  waiting: z.number().int().nonnegative(),
  mine: z.number().int().nonnegative(),
  interventions: z.number().int().nonnegative(),
  deferred: z.number().int().nonnegative(),
  resolved: z.number().int().nonnegative(),
});
export type QueueCounts = z.infer<typeof QueueCountsSchema>;

export const queueCommands = {
  'queue.list': command(
    z.object({ tab: QueueTabSchema, limit: z.number().int().min(1).max(10_000).optional() }).strict(),
    z.object({ tab: QueueTabSchema, items: z.array(QueueItemSchema), counts: QueueCountsSchema }),
  ),
  'queue.summary': command(z.object({}).strict(), QueueCountsSchema),
  /**
   * The rows of conversations the feed said changed (directly, or through one
   * of their messages), with the counters: a list is patched in place instead
   * of read again. A conversation id asked for and absent from `rows` is gone
   * or not visible to this operator.
   */
  'queue.rows': command(
    z.object({ conversationIds: Ids, messageIds: Ids }).strict(),
    z.object({ rows: z.array(QueueRowSchema), counts: QueueCountsSchema }),
  ),
};

export const queueEvents = {
  /**
   * What a feed batch touched, for the console to patch its list: conversations,
   * messages, whether intervention logs moved; `reload` when the batch was too
   * large to patch (bulk changes): read the tab again.
   */
  'queue.changed': z.object({ conversationIds: Ids, messageIds: Ids, interventions: z.boolean(), reload: z.boolean() }),
  /** The waiting count and mine feed the tray and dock badge (Electron main) and the window title. */
  'queue.counts': z.object({
    waiting: z.number().int().nonnegative(),
    mine: z.number().int().nonnegative(),
    interventions: z.number().int().nonnegative(),
  }),
};
