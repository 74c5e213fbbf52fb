import { z } from 'zod';
import { command } from './define';
import { ALERT_SOUNDS } from '../values';

export { ALERT_SOUNDS };
export const AlertSoundSchema = z.enum(ALERT_SOUNDS);

export const AlertSchema = z.object({
  id: z.string(),
  conversationId: z.number().int(),
  kind: z.enum(['assigned', 'waiting']),
  priority: z.enum(['high', 'normal']),
  title: z.string(),
  body: z.string(),
  sound: z.string().nullable(),
  repeat: z.boolean(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const AlertSettingsSchema = z.object({
  /** No sound (notifications still show). */
  muted: z.boolean(),
  sounds: z.object({ high: AlertSoundSchema, normal: AlertSoundSchema }),
  /** No alerts at all while my presence is busy. */
  quietWhileBusy: z.boolean(),
  /** Raise the same alert again until acknowledged (or the conversation is taken). */
  repeat: z.boolean(),
});
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

export const alertsCommands = {
  'alerts.acknowledge': command(z.object({ id: z.string().max(200) }).strict(), z.object({ ok: z.boolean() })),
  'alerts.settings': command(z.object({}).strict(), AlertSettingsSchema),
  'alerts.configure': command(AlertSettingsSchema.partial().strict(), AlertSettingsSchema),
};

export const alertsEvents = {
  'alert.raised': AlertSchema,
  /** The operator clicked a native notification (Electron main): the console opens that conversation. */
  'alert.opened': z.object({ conversationId: z.number().int() }),
};
