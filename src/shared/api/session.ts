import { z } from 'zod';
import { command } from './define';
import { ConnectionStateSchema, OperatorSchema, BotSummarySchema } from '../domain';

export const SessionSchema = z.object({
  operator: OperatorSchema.nullable(),
  /** How the host signs in: a password (Supabase) or by picking an operator (direct or embedded database). */
  signIn: z.enum(['password', 'pick']),
  connection: ConnectionStateSchema,
});
export type Session = z.infer<typeof SessionSchema>;

export const sessionCommands = {
  'session.get': command(z.object({}).strict(), SessionSchema),
  'session.signIn': command(
    z.object({ email: z.string().trim().email().max(320), password: z.string().max(1024).optional() }).strict(),
    SessionSchema,
  ),
  'session.signOut': command(z.object({}).strict(), SessionSchema),
  /** Operators a direct or embedded database offers to pick from at sign-in. */
  'session.operators': command(z.object({}).strict(), z.array(OperatorSchema)),
  'workspace.overview': command(z.object({}).strict(), z.object({ bots: z.array(BotSummarySchema) })),
};

export const sessionEvents = {
  'connection.changed': ConnectionStateSchema,
  'session.changed': SessionSchema,
  /** Something in the shared database changed; `kinds` says which entities, so views refresh only what moved. */
  'feed.changed': z.object({ seq: z.number().int(), kinds: z.array(z.string()) }),
  /** Raised by the transport itself (not the core) when the link between the window and its host drops or returns. */
  'host.link': z.object({ up: z.boolean() }),
};
