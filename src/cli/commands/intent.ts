import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDataset, trainFromDataset } from '../../core/engine/intent/dataset';
import { DEFAULT_INTENT_THRESHOLD } from '../../core/engine/intent/detector';
import { classifyIntent, llmConfigFromEnv } from '../../core/engine/intent/llm';
import { mapJsonLines } from '../../core/engine/json-lines';
import { parse, UsageError } from '../args';

export const summary = 'intent [--train]   JSON lines in (stdin): {"text": "...", "threshold"?: 0.7}; {wants_human, confidence, ...} a line out';

const DATA = (f: string) => fileURLToPath(new URL(`../../../data/intent/${f}`, import.meta.url));

function textOf(value: unknown): { text: string; threshold: number } {
  const v = typeof value === 'string' ? { text: value } : (value as { text?: unknown; message?: unknown; threshold?: unknown } | null);
  const text = v?.text ?? v?.message;
  if (typeof text !== 'string') throw new Error('expected {"text": string}');
  const threshold = v?.threshold ?? DEFAULT_INTENT_THRESHOLD;
  if (typeof threshold !== 'number' || threshold < 0 || threshold > 1) throw new Error('threshold must be a number in [0, 1]');
  return { text, threshold };
}

export async function run(argv: string[]): Promise<number> {
  const flags = parse(argv, { train: { type: 'boolean' } });
  if (flags.train) {
    // Regenerates data/intent/model.json from the train split (a test checks it is current).
    const examples = parseDataset(readFileSync(DATA('dataset.jsonl'), 'utf8'));
    writeFileSync(DATA('model.json'), JSON.stringify(trainFromDataset(examples)));
    console.error(`trained on ${examples.filter((e) => e.split === 'train').length} examples -> data/intent/model.json`);
    return 0;
  }
  if (process.stdin.isTTY) throw new UsageError('pipe JSON lines into stdin, e.g. echo \'{"text":"je veux un humain"}\' | desk intent');
  const llm = llmConfigFromEnv(process.env);
  await mapJsonLines(process.stdin, process.stdout, async (value) => {
    const { text, threshold } = textOf(value);
    return classifyIntent(text, llm, threshold);
  });
  return 0;
}
