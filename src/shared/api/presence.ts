import { z } from 'zod';
import { command } from './define';
import { PresenceStatusSchema } from '../domain';

export const PresenceSchema = z.object({
  status: PresenceStatusSchema,
  current: z.number().int().nonnegative(),
  max: z.number().int().nonnegative(),
});
export type Presence = z.infer<typeof PresenceSchema>;

export const presenceCommands = {
  'presence.get': command(z.object({}).strict(), PresenceSchema),
  /**
   * Sets status and/or capacity (the core keeps heartbeating it). `handoff`
   * says what to do with conversations in hand when going offline: keep them
   * or return them to the queue; the console asks, never guesses.
   */
  'presence.set': command(
    z.object({
      status: PresenceStatusSchema.optional(),
      max: z.number().int().min(0).max(100).optional(),
      handoff: z.enum(['keep', 'return']).optional(),
    }).strict(),
    PresenceSchema,
  ),
};

export const presenceEvents = {
  'presence.changed': PresenceSchema,
};
