/** Intent detection on the held-out split of data/intent/dataset.jsonl: ours vs seed 003's substring list. */
import { readFileSync } from 'node:fs';
import { parseDataset } from '../src/core/engine/intent/dataset';
import { detectIntent } from '../src/core/engine/intent/detector';

// Seed 003's fallback, verbatim: a lower-cased substring match.
const SEED_003 = ['speak to human', 'speak to a human', 'talk to human', 'talk to a human', 'connect to human', 'connect to a human',
  'connect me to human', 'i want to speak with human', 'human agent', 'customer service', 'live agent', 'real person'];

function prf(pred: (t: string) => boolean, rows: Array<{ text: string; label: boolean }>) {
  let tp = 0, fp = 0, fn = 0;
  for (const r of rows) { const y = pred(r.text); if (y && r.label) tp++; else if (y) fp++; else if (r.label) fn++; }
  const p = tp / (tp + fp || 1), rc = tp / (tp + fn || 1);
  return `P=${p.toFixed(3)} R=${rc.toFixed(3)} F1=${(2 * p * rc / (p + rc || 1)).toFixed(3)} (tp=${tp} fp=${fp} fn=${fn})`;
}

export async function run(): Promise<void> {
  const ds = parseDataset(readFileSync(new URL('../data/intent/dataset.jsonl', import.meta.url), 'utf8'));
  const test = ds.filter((e) => e.split === 'test');
  console.log(`held-out: ${test.length} examples (${test.filter((e) => e.label).length} positive), train: ${ds.length - test.length}`);
  for (const [name, rows] of [['all', test], ['fr', test.filter((e) => e.lang === 'fr')], ['en', test.filter((e) => e.lang === 'en')]] as const) {
    console.log(`${name.padEnd(3)} ours     ${prf((t) => detectIntent(t).wants_human, rows)}`);
    console.log(`${name.padEnd(3)} seed 003 ${prf((t) => SEED_003.some((s) => t.toLowerCase().includes(s)), rows)}`);
  }
  const t = performance.now();
  for (let i = 0; i < 20; i++) for (const e of ds) detectIntent(e.text);
  console.log(`speed: ${Math.round((20 * ds.length) / ((performance.now() - t) / 1000))} messages/s`);
}
