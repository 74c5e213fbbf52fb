/**
 * French + English text analysis for suggestions: accent folding, elision,
 * stop words, a light suffix stemmer and synonym groups. One analyser for
 * both languages, because a conversation's language is not known and short
 * questions defeat language detection: the same word always gets the same
 * term, which is all retrieval needs.
 */

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

// Longest first; each needs the stem left over to keep at least 3 letters.
const SUFFIXES = [
  'issements', 'issement', 'atrices', 'ateurs', 'ations', 'ements', 'eraient', 'iraient', 'erions', 'assent', 'issent',
  'issons', 'issez', 'atrice', 'ateur', 'ation', 'ement', 'ments', 'ences', 'ances', 'euses', 'erons', 'eront', 'erais',
  'erait', 'aient', 'ition', 'ings', 'ment', 'ence', 'ance', 'euse', 'eurs', 'ites', 'ives', 'ions', 'ible', 'able',
  'edly', 'ness', 'ages', 'age', 'ities', 'ity', 'ing', 'ies', 'ied', 'ite', 'ive', 'eur', 'iez', 'ons', 'ent', 'ais', 'ait', 'ant',
  'ees', 'ers', 'ies', 'ed', 'er', 'ez', 'ee', 'es', 'ly', 'ir', 'ie', 'if', 'e', 's', 'x',
];

/**
 * A light, language-blind suffix stripper (French verb/noun endings and
 * English inflections): "annuler", "annulée", "annulation" -> "annul";
 * "invoices", "invoicing" -> "invoic". Not linguistics, just consistency.
 */
export function stem(word: string): string {
  // Stripping to a fixed point keeps forms agreeing: "ordered" -> "order" -> "ord" like "order".
  let w = word;
  for (let i = 0; i < 3; i++) {
    const next = stripOnce(w);
    if (next === w) break;
    w = next;
  }
  return w;
}

function stripOnce(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('aux') && w.length > 4) w = `${w.slice(0, -3)}al`;
  for (const s of SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= 3) { w = w.slice(0, -s.length); break; }
  }
  // A second, small pass so plural and feminine forms of a stem agree ("validees" -> "valid").
  for (const s of ['e', 's', 'i']) {
    if (w.endsWith(s) && w.length > 4) { w = w.slice(0, -1); break; }
  }
  // Doubled final consonants ("cancelled" / "canceled", "appelle" / "appel").
  if (/([bcdfglmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
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
          // The written form wins; a stem shared by two groups ("customer" / "customise" -> "custom") keeps its first group.
          this.byWord.set(words[0], token);
          if (!this.byStem.has(stem(words[0]))) this.byStem.set(stem(words[0]), token);
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

  /** The group token of a folded word (its written form first, then its stem), else its stem. */
  canonical(word: string, stemmed = stem(word)): string {
    return this.byWord.get(word) ?? this.byStem.get(stemmed) ?? stemmed;
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

  /** Folded, phrase-replaced words, before stop words and stemming (MiniSearch's tokenize). */
  tokenize = (text: string): string[] => words(this.synonyms.replacePhrases(fold(text)));

  /** One token -> its index term, or null for a stop word (MiniSearch's processTerm). */
  processTerm = (token: string): string | null => {
    if (this.synonyms.isCanonicalToken(token)) return token;
    if (token.length < 2 || STOP_WORDS.has(token)) return null;
    return this.synonyms.canonical(token);
  };

  /** The distinct terms of a text, each with the word that produced it. */
  analyse(text: string): AnalysedTerm[] {
    const phrases = new Map<string, string>();
    const out: AnalysedTerm[] = [];
    const seen = new Set<string>();
    for (const word of words(this.synonyms.replacePhrases(fold(text), phrases))) {
      const term = this.processTerm(word);
      if (term === null || seen.has(term)) continue;
      seen.add(term);
      out.push({ word: phrases.get(word) ?? word, term });
    }
    return out;
  }
}
