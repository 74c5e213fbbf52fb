import MiniSearch from 'minisearch';
import { guessLanguage, type AnalysedTerm, type Analyzer } from './text';

export type SuggestionSource = 'learned_response' | 'rag_source' | 'past_answer';

/** One answer the index can suggest: an approved learned response or an operator's answer in a resolved conversation. */
export interface CorpusDoc {
  /** `lr:<learned response id>` or `pa:<conversation id>`. */
  key: string;
  kind: Exclude<SuggestionSource, 'rag_source'>;
  refId: number;
  question: string;
  answer: string;
}

/** A retrieval source the bot itself found for its last answer (ai_context.rag_results). */
export interface RagSource { title: string; content: string; score: number | null }

export interface Suggestion {
  text: string;
  /** 0..1: half how many of the question's words it covers, half how it ranks against the best candidate. */
  score: number;
  source: SuggestionSource;
  /** The question it answered, or the retrieval source's title. */
  sourceLabel: string;
  /** The question's words that matched, as the customer wrote them (accent-folded). */
  reason: string[];
  refId: number | null;
}

const QUESTION_BOOST = 2;
// Strong enough that answers in the asker's language come first: an operator replies in the customer's language.
const SAME_LANGUAGE_BOOST = 5;
const COMMON_SHARE = 0.01;
const COMMON_MIN_DOCS = 500;

/**
 * Full-text index over one bot's answers (MiniSearch, BM25). Kept in memory
 * and updated in place, so a query costs a lookup, not a rebuild.
 */
export class AnswerIndex {
  private readonly search: MiniSearch<CorpusDoc>;
  private readonly docs = new Map<string, CorpusDoc>();
  private readonly lang = new Map<string, 'fr' | 'en' | null>();
  /** How many documents hold each term: a query leaves out terms so common they cannot discriminate. */
  private readonly df = new Map<string, number>();
  private readonly docTerms = new Map<string, string[]>();

  constructor(private readonly analyzer: Analyzer) {
    this.search = new MiniSearch<CorpusDoc>({
      idField: 'key',
      fields: ['question', 'answer'],
      // Fields arrive analysed (in the document's language): terms separated by spaces.
      tokenize: (t) => t.split(' ').filter(Boolean),
      processTerm: (t) => t,
    });
  }

  get size(): number { return this.docs.size; }

  upsert(doc: CorpusDoc): void {
    if (this.docs.has(doc.key)) this.remove(doc.key);
    this.docs.set(doc.key, doc);
    const lang = guessLanguage(`${doc.question} ${doc.answer}`);
    const terms = [...new Set(this.analyzer.analyse(`${doc.question} ${doc.answer}`, lang).map((t) => t.term))];
    this.docTerms.set(doc.key, terms);
    for (const t of terms) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.lang.set(doc.key, lang);
    this.search.add({
      ...doc, question: this.analyzer.terms(doc.question, lang).join(' '), answer: this.analyzer.terms(doc.answer, lang).join(' '),
    });
  }

  addAll(docs: CorpusDoc[]): void {
    for (const d of docs) this.upsert(d);
  }

  remove(key: string): void {
    if (!this.docs.delete(key)) return;
    this.lang.delete(key);
    for (const t of this.docTerms.get(key) ?? []) {
      const n = (this.df.get(t) ?? 1) - 1;
      if (n > 0) this.df.set(t, n); else this.df.delete(t);
    }
    this.docTerms.delete(key);
    this.search.discard(key);
  }

  query(text: string, limit: number): Suggestion[] {
    const lang = guessLanguage(text);
    const terms = this.analyzer.analyse(text, lang);
    if (terms.length === 0) return [];
    const hits = this.search.search(this.discriminating(terms).join(' '), {
      // Synonym groups span both languages; an answer in the asker's language ranks first.
      boostDocument: lang ? (key) => (this.lang.get(key) === lang ? SAME_LANGUAGE_BOOST : 1) : undefined,
      boost: { question: QUESTION_BOOST },
      combineWith: 'OR',
      // Typos: only a longer word the index does not know is looked up approximately; group tokens never.
      fuzzy: (term) => (term.length >= 6 && !this.df.has(term) && !this.analyzer.synonyms.isCanonicalToken(term) ? 0.2 : false),
      prefix: false,
      tokenize: (q) => q.split(' '),
      processTerm: (t) => t,
    });
    const best = hits[0]?.score ?? 0;
    return hits.slice(0, limit).map((h) => {
      const doc = this.docs.get(String(h.id))!;
      const matched = matchedWords(terms, h.queryTerms);
      return {
        text: doc.answer,
        score: round(0.5 * (matched.length / wordCount(terms)) + 0.5 * (h.score / best)),
        source: doc.kind,
        sourceLabel: doc.question,
        reason: matched,
        refId: doc.refId,
      };
    });
  }

  /**
   * The query terms worth looking up. On a large bot, a term held by more than
   * COMMON_SHARE of the answers adds little to BM25 but costs a pass over all
   * of them; it is left out as long as two rarer terms remain.
   */
  private discriminating(terms: AnalysedTerm[]): string[] {
    const cap = Math.max(COMMON_MIN_DOCS, this.docs.size * COMMON_SHARE);
    const byRarity = terms.map((t) => t.term).sort((a, b) => (this.df.get(a) ?? 0) - (this.df.get(b) ?? 0));
    const kept = byRarity.filter((t) => (this.df.get(t) ?? 0) <= cap);
    if (kept.length >= 2) return kept;
    // Only common terms: the rarest ones, as long as their answers stay within a budget.
    const out: string[] = [];
    let postings = 0;
    for (const t of byRarity) {
      postings += this.df.get(t) ?? 0;
      if (out.length > 0 && postings > cap * 4) break;
      out.push(t);
    }
    return out;
  }
}

function matchedWords(terms: AnalysedTerm[], queryTerms: string[]): string[] {
  const hit = new Set(queryTerms);
  return [...new Set(terms.filter((t) => hit.has(t.term)).map((t) => t.word))];
}

/** A word may give two terms (its French and English stems); coverage counts words. */
function wordCount(terms: AnalysedTerm[]): number {
  return new Set(terms.map((t) => t.word)).size;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * The bot's own retrieval sources, scored against the question: their words
 * in common, blended with the score the bot's retrieval gave them.
 */
export function rankRagSources(analyzer: Analyzer, question: string, sources: RagSource[]): Suggestion[] {
  const terms = analyzer.analyse(question);
  return sources
    .filter((s) => s.content.trim() || s.title.trim())
    .map((s) => {
      const own = new Set(analyzer.analyse(`${s.title} ${s.content}`).map((t) => t.term));
      const matched = [...new Set(terms.filter((t) => own.has(t.term)).map((t) => t.word))];
      const coverage = terms.length ? matched.length / wordCount(terms) : 0;
      const retrieval = s.score === null ? coverage : Math.max(0, Math.min(1, s.score));
      return {
        text: s.content.trim() || s.title.trim(),
        score: round(0.5 * coverage + 0.5 * retrieval),
        source: 'rag_source' as const,
        sourceLabel: s.title,
        reason: matched,
        refId: null,
      };
    });
}

/** One ranked list: best first, the same answer text only once (a learned response beats the conversation it came from). */
export function mergeSuggestions(lists: Suggestion[][], limit: number): Suggestion[] {
  const order: Record<SuggestionSource, number> = { learned_response: 0, past_answer: 1, rag_source: 2 };
  const all = lists.flat().sort((a, b) => b.score - a.score || order[a.source] - order[b.source]);
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const s of all) {
    const key = s.text.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
    if (out.length === limit) break;
  }
  return out;
}
