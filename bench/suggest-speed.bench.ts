/**
 * Suggestion latency over a large bot: 50,000 learned responses in the
 * in-memory index (what suggest.forConversation queries once caught up),
 * built from the labelled set's questions and answers recombined with domain
 * words so that no two are the same. Reports the index build time and the
 * query latency (p50/p95/p99) over the set's paraphrases. Target: p95 <= 20 ms.
 */
import { performance } from 'node:perf_hooks';
import { AnswerIndex, type CorpusDoc } from '../src/core/suggest/retrieval';
import { defaultAnalyzer } from '../src/core/suggest/synonyms';
import { loadQualitySet } from './suggest-quality.bench';
import { summary, percentile } from './stats';

const SIZE = 50_000;
const WORDS = ('chantier client facture devis avoir paiement salarié planning fournisseur commande stock tva remise acompte ' +
  'job invoice quote payment employee schedule supplier order discount deposit export import pdf email mobile ' +
  'garage toiture plomberie électricité peinture carrelage menuiserie isolation façade terrasse').split(' ');

/** A deterministic pseudo-random sequence, so every run indexes the same corpus. */
function rng(seed: number) {
  return () => { seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff; return seed / 0x7fffffff; };
}

export async function run(): Promise<void> {
  const items = loadQualitySet();
  const rand = rng(42);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
  const docs: CorpusDoc[] = Array.from({ length: SIZE }, (_, n) => {
    const base = items[n % items.length];
    return {
      key: `lr:${n + 1}`, kind: 'learned_response', refId: n + 1,
      question: n < items.length ? base.question : `${base.question} (${pick()} ${pick()} ${n})`,
      answer: n < items.length ? base.answer : `${base.answer} ${pick()} ${pick()} ${pick()}`,
    };
  });

  const index = new AnswerIndex(defaultAnalyzer());
  const t0 = performance.now();
  index.addAll(docs);
  const build = performance.now() - t0;
  console.log(`index build: ${SIZE} learned responses in ${(build / 1000).toFixed(2)} s (${(SIZE / (build / 1000)).toFixed(0)} docs/s)`);
  const heap = process.memoryUsage().heapUsed / 1e6;
  console.log(`heap after build: ${heap.toFixed(0)} MB`);

  const queries = items.flatMap((i) => i.paraphrases);
  for (const q of queries.slice(0, 50)) index.query(q, 5); // warm-up
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      const t = performance.now();
      index.query(q, 5);
      times.push(performance.now() - t);
    }
  }
  console.log(`query latency over ${SIZE} (top 5): ${summary(times)}`);
  console.log(`target p95 <= 20 ms: ${percentile(times, 95) <= 20 ? 'met' : 'NOT met'}`);

  const t1 = performance.now();
  index.upsert({ key: 'lr:new', kind: 'learned_response', refId: 0, question: 'Comment changer le logo ?', answer: 'Paramètres > Apparence.' });
  console.log(`one approval added to the live index: ${(performance.now() - t1).toFixed(2)} ms`);
}
