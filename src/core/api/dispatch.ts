import type { z } from 'zod';
import {
  commands, events, isCommandName, isEventName,
  type CommandName, type CommandOutput, type EventName, type EventPayload, type InvokeResult, type ParsedInput,
} from '../../shared/contract';
import { DeskError, toDeskError } from '../../shared/errors';

/** The handlers of every command, written once and served by every host. */
export type Handlers = { [N in CommandName]: (input: ParsedInput<N>) => Promise<CommandOutput<N>> };

export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/**
 * Validates an untrusted (name, input) pair from any transport, runs the
 * handler and returns a result envelope. Nothing a caller sends can throw
 * through here or stop the host.
 */
export function createDispatcher(handlers: Handlers, log: Log = () => {}) {
  return async function invoke(name: unknown, rawInput: unknown): Promise<InvokeResult> {
    if (!isCommandName(name)) {
      return { ok: false, error: new DeskError('unknown_command', `unknown command: ${String(name).slice(0, 80)}`).toJSON() };
    }
    const spec = commands[name];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: new DeskError('invalid_input', `invalid input for ${name}`, issuesOf(parsed.error)).toJSON(),
      };
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      // The output is checked too: a handler that drifts from the contract is a bug we want loud, not a renderer crash.
      const out = spec.output.safeParse(value);
      if (!out.success) {
        log('error', 'handler output does not match the contract', { name, issues: issuesOf(out.error) });
        return { ok: false, error: new DeskError('internal', `${name} returned an invalid result`).toJSON() };
      }
      return { ok: true, value: out.data };
    } catch (err) {
      const e = toDeskError(err);
      if (e.code === 'internal') log('error', 'command failed', { name, error: e.message });
      return { ok: false, error: e.toJSON() };
    }
  };
}

export type Invoke = ReturnType<typeof createDispatcher>;

type Listener = (name: EventName, payload: unknown) => void;

/** Typed event fan-out from the core to whatever transports are attached. */
export class EventHub {
  private listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!isEventName(name)) throw new DeskError('internal', `unknown event ${String(name)}`);
    const checked = events[name].parse(payload);
    for (const l of this.listeners) l(name, checked);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
