/**
 * The one API between the console and the core. Every command's input and
 * output and every event's payload is a zod schema here; the core implements
 * the handlers once (src/core/api) and each host (Electron IPC, the loopback
 * WebSocket) only moves these messages. Domain modules add their commands in
 * src/shared/api/ and are merged below.
 */
import type { z } from 'zod';
import type { CommandSpec } from './api/define';
import { sessionCommands, sessionEvents } from './api/session';
import { queueCommands, queueEvents } from './api/queue';
import { conversationCommands, conversationEvents } from './api/conversation';
import { presenceCommands, presenceEvents } from './api/presence';
import { alertsCommands, alertsEvents } from './api/alerts';
import { cacheCommands, cacheEvents } from './api/cache';
import { suggestCommands } from './api/suggest';
import { trainingCommands } from './api/training';

export const commands = {
  ...sessionCommands,
  ...queueCommands,
  ...conversationCommands,
  ...presenceCommands,
  ...alertsCommands,
  ...cacheCommands,
  ...suggestCommands,
  ...trainingCommands,
} satisfies Record<string, CommandSpec>;

export const events = {
  ...sessionEvents,
  ...queueEvents,
  ...conversationEvents,
  ...presenceEvents,
  ...alertsEvents,
  ...cacheEvents,
} satisfies Record<string, z.ZodType>;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type ParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** What every transport hands back for an invoke: never a thrown error across the boundary. */
export type InvokeResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: import('./errors').ErrorCode; message: string; details?: unknown } };

/** The surface the renderer sees as `window.desk`, whichever host serves it. */
export interface DeskBridge {
  invoke<N extends CommandName>(name: N, input: CommandInput<N>): Promise<InvokeResult<CommandOutput<N>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}
