import { z } from 'zod';
import { command } from './define';

export const QUEUE_TABS = ['waiting', 'mine', 'interventions', 'deferred', 'resolved'] as const;
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
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

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
};

export const queueEvents = {
  /** The waiting count and mine feed the tray and dock badge (Electron main) and the window title. */
  'queue.counts': z.object({
    waiting: z.number().int().nonnegative(),
    mine: z.number().int().nonnegative(),
    interventions: z.number().int().nonnegative(),
  }),
};
