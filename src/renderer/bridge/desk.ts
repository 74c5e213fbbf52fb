import type { CommandInput, CommandName, CommandOutput, DeskBridge } from '../../shared/contract';
import { DeskError } from '../../shared/desk-error';

declare global {
  interface Window { desk?: DeskBridge }
}

export function bridge(): DeskBridge {
  if (!window.desk) throw new Error('window.desk is missing: the console must run in Handoff Desk or `desk serve`');
  return window.desk;
}

/** The one way the UI talks to the core: send(name, input), typed by the contract; failures throw DeskError. */
export async function send<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> {
  const r = await bridge().invoke(name, input);
  if (!r.ok) throw new DeskError(r.error.code, r.error.message, r.error.details);
  return r.value;
}
