import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIntent } from '../../src/core/engine/intent/detector';
import { parseDataset, trainFromDataset } from '../../src/core/engine/intent/dataset';
import { classifyIntent } from '../../src/core/engine/intent/llm';
import { normalize } from '../../src/core/engine/intent/normalize';

const DATASET = new URL('../../data/intent/dataset.jsonl', import.meta.url);
const MODEL = new URL('../../data/intent/model.json', import.meta.url);

describe('normalisation', () => {
  it.each([
    ['Je veux parler à un CONSEILLÉ', ['je', 'veux', 'parler', 'a', 'un', 'conseiller']],
    ['jveux parlé a qqn', ['je', 'veux', 'parler', 'a', "quelqu'un"]],
    ['humaaaain svp', ['humain', "s'il", 'vous', 'plait']],
    ['un humin', ['un', 'humain']],
    ['i wanna tlk 2 sum1', ['i', 'want', 'to', 'talk', '2', 'someone']],
  ])('%s', (text, tokens) => expect(normalize(text)).toEqual(tokens));
});

describe('wants a human', () => {
  it.each([
    'I need to speak with a human', 'Can I talk to customer service?', 'Connect me to a human please',
    'Je veux parler à un humain', 'jveux parlé a qqn', 'un conseillé svp', 'humain!!!', 'je veu un humin',
    "Je n'arrive pas à joindre un conseiller", 'Agent', 'Y a-t-il un conseiller disponible ?',
  ])('yes: %s', (text) => {
    const r = detectIntent(text);
    expect(r.wants_human).toBe(true);
    expect(r.confidence).toBeGreaterThanOrEqual(0.7);
  });
  it.each([
    "pas besoin d'un conseiller", "I don't want a person", 'Je ne veux pas parler à un conseiller',
    "Combien d'agents IA puis-je créer ?", 'Quelle est l\'adresse des ressources humaines ?',
    "Hier j'ai parlé à un conseiller, il m'a dit de vous écrire", 'Le prix de l\'Agent X3 ?', 'Vous vendez le robot aspirateur ?',
    'Comment annuler une facture validée ?',
  ])('no: %s', (text) => {
    const r = detectIntent(text);
    expect(r.wants_human).toBe(false);
    expect(r.confidence).toBeLessThan(0.7);
  });
  it('explains a refusal with the negation it saw', () => {
    const r = detectIntent("pas besoin d'un conseiller");
    expect(r).toMatchObject({ negated: true, wants_human: false });
    expect(r.matched[0]).toBe('pas');
  });
  it('stays in [0, 1] for anything', () => {
    for (const t of ['', '???', 'a'.repeat(5000), '😀😀', 'agent agent agent agent agent']) {
      const c = detectIntent(t).confidence;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });
});

describe('the labelled dataset and its model', () => {
  const ds = parseDataset(readFileSync(DATASET, 'utf8'));
  it('has several hundred FR and EN examples with a fixed held-out split', () => {
    expect(ds.length).toBeGreaterThanOrEqual(400);
    expect(ds.filter((e) => e.lang === 'fr').length).toBeGreaterThan(150);
    expect(ds.filter((e) => e.lang === 'en').length).toBeGreaterThan(150);
    expect(ds.filter((e) => e.split === 'test').length).toBeGreaterThan(80);
  });
  it('ships a model trained on the current train split (run `desk intent --train` after editing the dataset)', () => {
    expect(readFileSync(MODEL, 'utf8')).toBe(JSON.stringify(trainFromDataset(ds)));
  });
  it('scores F1 >= 0.95 on the held-out split', () => {
    let tp = 0, fp = 0, fn = 0;
    for (const e of ds.filter((x) => x.split === 'test')) {
      const y = detectIntent(e.text).wants_human;
      if (y && e.label) tp++; else if (y) fp++; else if (e.label) fn++;
    }
    const p = tp / (tp + fp), r = tp / (tp + fn);
    expect((2 * p * r) / (p + r)).toBeGreaterThanOrEqual(0.95);
  });
});

describe('optional LLM classifier', () => {
  let server: Server;
  let url = '';
  let mode: 'yes' | 'no' | 'garbage' | 'slow' | 'error' = 'yes';
  let lastBody: { model?: string; messages?: Array<{ content: string }> } = {};
  let lastAuth: string | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        lastBody = JSON.parse(body);
        lastAuth = req.headers.authorization;
        const reply = (content: string) => res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
        if (mode === 'yes') reply('{"handover_needed": true, "confidence": 0.93, "reason": "asks for an advisor"}');
        else if (mode === 'no') reply('```json\n{"handover_needed": false, "confidence": 0.9, "reason": "product question"}\n```');
        else if (mode === 'garbage') reply('I think so!');
        else if (mode === 'error') { res.statusCode = 500; res.end('boom'); }
        else setTimeout(() => reply('{"handover_needed": true, "confidence": 1}'), 2000);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const cfg = () => ({ url, model: 'stand-in', apiKey: 'k', timeoutMs: 1000 });

  it('uses the endpoint\'s answer when it gives one', async () => {
    mode = 'yes';
    const r = await classifyIntent('Il me faudrait quelqu\'un de chez vous', cfg());
    expect(r).toMatchObject({ wants_human: true, confidence: 0.93, model_used: 'stand-in', rule: 'llm' });
    expect(lastBody.model).toBe('stand-in');
    expect(lastBody.messages?.at(-1)?.content).toBe('Il me faudrait quelqu\'un de chez vous');
    expect(lastAuth).toBe('Bearer k');
    mode = 'no';
    expect(await classifyIntent('Prix du robot ?', cfg())).toMatchObject({ wants_human: false, confidence: 0.1 });
  });
  it.each(['garbage', 'error', 'slow'] as const)('falls back to the local detector on %s', async (m) => {
    mode = m;
    const r = await classifyIntent('Je veux parler à un conseiller', cfg());
    expect(r.wants_human).toBe(true);
    expect(r.model_used).toMatch(/^local-.*llm fallback/);
    if (m === 'slow') expect(r.model_used).toMatch(/timeout/);
  });
  it('is off without configuration', async () => {
    expect((await classifyIntent('human please', null)).model_used).toMatch(/^local-/);
  });
});
