import { evaluate } from '../../core/engine/evaluate';
import { mapJsonLines } from '../../core/engine/json-lines';
import { parse } from '../args';

export const summary = 'evaluate   JSON lines in (stdin): {now, agent, conversation, messages, order?, bot_state?, guardian?, operators}; one decision a line out';

export async function run(argv: string[]): Promise<number> {
  parse(argv, {});
  await mapJsonLines(process.stdin, process.stdout, evaluate);
  return 0;
}
