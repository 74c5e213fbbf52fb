/**
 * French + English text analysis for suggestions: accent folding, elision,
 * stop words, Snowball stemming and synonym groups. One analyser for both
 * languages: a text whose language is guessed (a learned response, most
 * questions) is stemmed in that language; a text too short to tell gets both
 * stems of each word, so it still meets a document of either language.
 */

import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';

/** Lowercase, strip accents (NFD + combining marks), unfold ligatures. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

// Function words and politeness of support questions; they say nothing about the topic.
const STOP_FR = `a au aux avec ce ces cet cette ceci cela ca comme comment dans de des du elle elles en est et etre eu il ils
je j la le les leur leurs lui ma mais me meme mes moi mon ne ni nos notre nous on ou par pas pour qu que qui quoi quel quelle
quels quelles sa se ses si son sur ta te tes toi ton tu un une vos votre vous y c d l m n s t est sont suis es etes ai as avons
avez ont avait etait sera fait faire peut peux pouvez puis puisje veux voudrais voulez dois doit devez faut il ya bonjour
salut merci svp stp plait aussi alors donc bien tres plus moins tout tous toute toutes cela ceci ici la-bas quand ou
rien chose est-ce estce possible quelqu quelque quelques encore deja`;
const STOP_EN = `a an and are as at be been being but by can could do does did doing for from had has have having he her
hers him his how i if in into is it its me my no not of on or our ours she so some such than that the their them then there
these they this those to too up us was we were what when where which who whom why will with would you your yours am any
hello hi thanks thank please pls just also get got want need needs should shall may might must let lets im ive dont cant
doesnt isnt whats hows there s t ll d ve re m`;

const FR_WORDS = new Set(STOP_FR.split(/\s+/).filter((w) => w.length > 1));
const EN_WORDS = new Set(STOP_EN.split(/\s+/).filter((w) => w.length > 1));
export const STOP_WORDS: ReadonlySet<string> = new Set([...FR_WORDS, ...EN_WORDS]);

/** French or English by their function words (ties and no clue: null). Used to prefer answers in the asker's language. */
export function guessLanguage(text: string): 'fr' | 'en' | null {
  let fr = /[àâçéèêëîïôûùœ]/i.test(text) ? 1 : 0;
  let en = 0;
  for (const w of fold(text).split(/[^a-z]+/)) {
    if (FR_WORDS.has(w) && !EN_WORDS.has(w)) fr++;
    else if (EN_WORDS.has(w) && !FR_WORDS.has(w)) en++;
  }
  return fr > en ? 'fr' : en > fr ? 'en' : null;
}

export type Lang = 'fr' | 'en' | null;

/**
 * The Snowball stems of a folded word in its text's language; both languages'
 * (one when they agree) when the language is not known. Snowball rather than
 * one home-made suffix list for both languages: that one merged unrelated
 * words ("créance" / "créer", "expired" / "expédier").
 */
export function stems(word: string, lang: Lang = null): string[] {
  if (word.length <= 3 || /\d/.test(word)) return [word];
  if (lang === 'en') return [englishStemmer(word)];
  // The French stemmer needs the accent of a past participle ("validee" must stem like "validée").
  const fr = fold(frenchStemmer(/^[a-z]{3,}[^aeiou]ee?s?$/.test(word) ? word.replace(/e(e?s?)$/, 'é$1') : word));
  if (lang === 'fr') return [fr];
  const en = englishStemmer(word);
  return fr === en ? [fr] : [fr, en];
}

export interface SynonymFile { groups: string[][] }

/** Synonym groups folded into one canonical term each; phrases ("mot de passe") are matched before tokenising. */
export class Synonyms {
  private readonly byWord = new Map<string, string>();
  private readonly byStem = new Map<string, string>();
  private readonly phrases: Array<{ source: string; token: string }> = [];
  private phraseRe: RegExp | null = null;
  private readonly phraseToken = new Map<string, string>();

  constructor(file: SynonymFile = { groups: [] }) {
    file.groups.forEach((group, g) => {
      const token = `syn${g}x`;
      for (const entry of group) {
        const words = fold(entry).split(/[^a-z0-9]+/).filter(Boolean);
        if (words.length === 1) {
          // The written form wins; a stem shared by two groups keeps its first group.
          this.byWord.set(words[0], token);
          for (const st of stems(words[0])) if (!this.byStem.has(st)) this.byStem.set(st, token);
        }
        else if (words.length > 1) {
          this.phrases.push({ source: words.join('[^a-z0-9]+'), token });
          this.phraseToken.set(words.join(' '), token);
        }
      }
    });
    // One alternation, longest phrases first so "mot de passe oublie" wins over "mot de passe".
    this.phrases.sort((a, b) => b.source.length - a.source.length);
    if (this.phrases.length) this.phraseRe = new RegExp(`\\b(?:${this.phrases.map((p) => p.source).join('|')})\\b`, 'g');
  }

  /** Replaces each phrase by its group's token; `seen` learns which text each token stood for (for reasons). */
  replacePhrases(folded: string, seen?: Map<string, string>): string {
    if (!this.phraseRe) return folded;
    return folded.replace(this.phraseRe, (m) => {
      const token = this.phraseToken.get(m.split(/[^a-z0-9]+/).join(' '))!;
      seen?.set(token, m);
      return ` ${token} `;
    });
  }

  /** The group token of a folded word (its written form first, then its stems), else its stems. */
  canonical(word: string, lang: Lang = null): string[] {
    const byWord = this.byWord.get(word);
    if (byWord) return [byWord];
    const own = stems(word, lang);
    for (const st of own) { const t = this.byStem.get(st); if (t) return [t]; }
    return own;
  }

  isCanonicalToken(term: string): boolean {
    return /^syn\d+x$/.test(term);
  }
}

export interface AnalysedTerm {
  /** What the user wrote (folded), shown as the reason a suggestion matched. */
  word: string;
  /** What the index stores. */
  term: string;
}

/** Splits folded text into words, dropping French elisions (l', d', qu'...). */
function words(folded: string): string[] {
  return folded
    .replace(/\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export class Analyzer {
  constructor(readonly synonyms = new Synonyms()) {}

  /** One word -> its index terms, or null for a stop word. */
  processTerm(token: string, lang: Lang = null): string[] | null {
    if (this.synonyms.isCanonicalToken(token)) return [token];
    if (token.length < 2 || STOP_WORDS.has(token)) return null;
    return this.synonyms.canonical(token, lang);
  }

  /** Every term of a text in order, repeats kept: what the index counts for BM25. */
  terms(text: string, lang: Lang = null): string[] {
    return words(this.synonyms.replacePhrases(fold(text))).flatMap((w) => this.processTerm(w, lang) ?? []);
  }

  /** The distinct terms of a text, each with the word that produced it. */
  analyse(text: string, lang: Lang = null): AnalysedTerm[] {
    const phrases = new Map<string, string>();
    const out: AnalysedTerm[] = [];
    const seen = new Set<string>();
    for (const word of words(this.synonyms.replacePhrases(fold(text), phrases))) {
      for (const term of this.processTerm(word, lang) ?? []) {
        if (seen.has(term)) continue;
        seen.add(term);
        out.push({ word: phrases.get(word) ?? word, term });
      }
    }
    return out;
  }
}
