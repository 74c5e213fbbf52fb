import type { Segment } from '../core/ports/local-cache';

/**
 * Private-use characters mark the matched words in FTS5 snippets. They are
 * stripped from cached text (stripMarkers), so a customer cannot forge a
 * highlight, and the console gets segments, never markup to inject.
 */
export const OPEN = '\uE000';
export const CLOSE = '\uE001';
const MARKERS = /[\uE000\uE001]/g;

export function stripMarkers(text: string): string {
  return text.replace(MARKERS, '');
}

const MAX_TERMS = 8;

/**
 * Turns what the operator typed into an FTS5 query: words only (FTS5 syntax
 * in the input is treated as text), every word required, the last one as a
 * prefix, as in a search box that finds while you type ("factur" finds
 * "facture"). Only the last: a prefix term reads its whole doclist, which
 * costs milliseconds per word on a common word. Accents and case are folded
 * by the tokenizer on both sides. Null when there is nothing to look for.
 */
export function toFtsQuery(input: string): string | null {
  const words = (input.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TERMS);
  if (words.length === 0) return null;
  const last = words.length - 1;
  // A one-letter prefix matches half the index: keep it exact.
  return words.map((w, i) => (i === last && w.length >= 2 ? `"${w}"*` : `"${w}"`)).join(' ');
}

/** Splits a snippet carrying OPEN/CLOSE marks into plain-text segments. */
export function toSegments(marked: string): Segment[] {
  const out: Segment[] = [];
  let highlighted = false;
  let text = '';
  const flush = () => {
    if (!text) return;
    const last = out[out.length - 1];
    if (last && last.highlighted === highlighted) last.text += text;
    else out.push({ text, highlighted });
    text = '';
  };
  for (const ch of marked) {
    if (ch === OPEN || ch === CLOSE) {
      flush();
      highlighted = ch === OPEN;
    } else {
      text += ch;
    }
  }
  flush();
  return out;
}
