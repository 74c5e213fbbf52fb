import { z } from 'zod';

/**
 * Messages of the loopback WebSocket transport. Electron IPC carries the same
 * (name, input) pairs; only the framing differs.
 */
export const ClientMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessage =
  | { type: 'result'; id: number; result: import('./contract').InvokeResult }
  | { type: 'event'; name: string; payload: unknown };
