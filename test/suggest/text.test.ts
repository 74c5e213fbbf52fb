import { describe, expect, it } from 'vitest';
import { AnswerIndex, mergeSuggestions } from '../../src/core/suggest/retrieval';
import { defaultAnalyzer } from '../../src/core/suggest/synonyms';
import { guessLanguage, stems } from '../../src/core/suggest/text';
import { openQuestion, ragSourcesOf } from '../../src/core/suggest/service';

const a = defaultAnalyzer();
const terms = (s: string) => a.analyse(s).map((t) => t.term);

describe('French and English analysis', () => {
  it('folds accents and case, drops elisions and stop words of both languages', () => {
    expect(terms("L'ÉCHÉANCE de la facture")).toEqual(terms('echeance facture'));
    expect(terms('how do I get the invoice')).toEqual(terms('invoice get'));
  });

  it('gives inflected forms one stem', () => {
    expect(new Set(['annuler', 'annulée', 'annulées', 'annulation'].map((w) => terms(w)[0])).size).toBe(1);
    expect(stems('ordered', 'en')).toEqual(stems('order', 'en'));
    expect(stems('cancelled', 'en')).toEqual(stems('canceled', 'en'));
    // Unknown language: both stems, so "validee" typed without accents still meets "validée".
    expect(stems('validee')).toContain(stems('validée', 'fr')[0]);
  });

  it('keeps unrelated words apart that a blind suffix stripper merged', () => {
    expect(terms('créance')).not.toEqual(terms('créer'));
    expect(terms('expired')).not.toEqual(terms('expédier'));
  });

  it('maps synonyms and phrases of one group to the same term, and shows the customer’s words as the reason', () => {
    expect(terms('mdp')).toEqual(terms('mot de passe'));
    expect(terms('invoice')).toEqual(terms('facture'));
    // Two groups whose words share a stem ("customer", "customise" -> "custom") keep their own meaning.
    expect(terms('customer')).toEqual(terms('client'));
    expect(terms('customise')).toEqual(terms('personnaliser'));
    const index = new AnswerIndex(a);
    index.upsert({ key: 'lr:1', kind: 'learned_response', refId: 1, question: 'Comment réinitialiser mon mot de passe ?', answer: 'Cliquez sur « Mot de passe oublié ».' });
    const [s] = index.query("j'ai oublié mon MDP", 3);
    expect(s).toMatchObject({ refId: 1, source: 'learned_response' });
    expect(s.reason).toContain('mdp');
  });

  it('guesses the language from function words', () => {
    expect(guessLanguage('Comment je fais pour annuler ?')).toBe('fr');
    expect(guessLanguage('How do I cancel it?')).toBe('en');
  });
});

describe('the question and the sources of a conversation', () => {
  it('takes the customer’s messages since the last operator reply', () => {
    expect(openQuestion([
      { sender_type: 'user', content: 'old' }, { sender_type: 'admin', content: 'answer' },
      { sender_type: 'user', content: 'new 1' }, { sender_type: 'ai', content: 'x' }, { sender_type: 'user', content: 'new 2' },
    ])).toBe('new 1\nnew 2');
  });

  it('reads rag_results of the latest AI message, ignoring malformed entries', () => {
    expect(ragSourcesOf([
      { sender_type: 'ai', ai_context: { rag_results: [{ title: 'old', content: 'x', score: 1 }] } },
      { sender_type: 'ai', ai_context: { rag_results: [{ title: 'Avoirs', text: 'Un avoir…', score: 0.4 }, 42, { score: 1 }] } },
    ])).toEqual([{ title: 'Avoirs', content: 'Un avoir…', score: 0.4 }]);
  });

  it('merges lists best first and keeps one copy of the same answer', () => {
    const s = (text: string, score: number, source: 'learned_response' | 'past_answer') =>
      ({ text, score, source, sourceLabel: '', reason: [], refId: 1 });
    expect(mergeSuggestions([[s('A', 0.9, 'learned_response')], [s('a ', 0.9, 'past_answer'), s('B', 0.5, 'past_answer')]], 5)
      .map((x) => [x.text, x.source])).toEqual([['A', 'learned_response'], ['B', 'past_answer']]);
  });
});
