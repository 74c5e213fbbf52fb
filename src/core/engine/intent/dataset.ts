import { trainNb, type NbModel } from './naive-bayes';
import { normalize } from './normalize';

export interface IntentExample { text: string; label: boolean; lang: 'fr' | 'en'; split: 'train' | 'test' }

/** Parses data/intent/dataset.jsonl; a bad line is a broken dataset, so it throws with its line number. */
export function parseDataset(jsonl: string): IntentExample[] {
  return jsonl.split('\n').filter((l) => l.trim()).map((line, i) => {
    const row = JSON.parse(line) as IntentExample;
    if (typeof row.text !== 'string' || typeof row.label !== 'boolean' || !['train', 'test'].includes(row.split)) {
      throw new Error(`dataset line ${i + 1}: expected {text, label, lang, split}`);
    }
    return row;
  });
}

/** The model shipped in data/intent/model.json: trained on the fixed train split only. */
export function trainFromDataset(examples: IntentExample[]): NbModel {
  return trainNb(examples.filter((e) => e.split === 'train').map((e) => ({ tokens: normalize(e.text), label: e.label })));
}
