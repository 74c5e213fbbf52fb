/**
 * Folds what customers actually type onto one spelling before any matching:
 * case, accents, stretched letters ("humaaain"), apostrophes, and the SMS
 * spellings and usual misspellings of the few words a handover request needs.
 */

// Whole-token rewrites (after case and accent folding). Values may be several words.
const TOKEN_MAP: Record<string, string> = {
  // French SMS / fast typing
  qqn: "quelqu'un", qqun: "quelqu'un", qq1: "quelqu'un", kelkun: "quelqu'un", quelquun: "quelqu'un", kelkin: "quelqu'un",
  quelqun: "quelqu'un", quelq1: "quelqu'un", quelqu1: "quelqu'un",
  jveux: 'je veux', jvx: 'je veux', jve: 'je veux', jvoudrais: 'je voudrais', jaimerais: "j'aimerais", jvoudrai: 'je voudrais',
  veu: 'veux', veut: 'veux', voudrai: 'voudrais', vx: 'veux',
  parle: 'parler', parlez: 'parler', parlee: 'parler', parlais: 'parler', paler: 'parler',
  svp: "s'il vous plait", stp: "s'il te plait", slvp: "s'il vous plait",
  pr: 'pour', pk: 'pourquoi', pq: 'pourquoi', ac: 'avec', avc: 'avec', ds: 'dans', bcp: 'beaucoup', tt: 'tout',
  pa: 'pas', jpeux: 'je peux', jpe: 'je peux', peu: 'peux', ya: 'il y a', dmd: 'demande',
  conseille: 'conseiller', conseiler: 'conseiller', conseile: 'conseiller',
  consellier: 'conseiller', conseillier: 'conseiller', conseillere: 'conseiller', conseilleres: 'conseiller', conseillers: 'conseiller',
  conseilller: 'conseiller', conselier: 'conseiller', consseiller: 'conseiller',
  humin: 'humain', humen: 'humain', humian: 'humain', hmain: 'humain', humains: 'humain', umain: 'humain', humainn: 'humain',
  humaine: 'humain', humaines: 'humain',
  operateur: 'operateur', operatrice: 'operateur', operateurs: 'operateur', oprateur: 'operateur',
  persone: 'personne', personnes: 'personne', perssone: 'personne', pesonne: 'personne',
  vrais: 'vrai', vraie: 'vrai', vraies: 'vrai', reel: 'reelle', reele: 'reelle',
  // English SMS / misspellings
  wanna: 'want to', wana: 'want to', gimme: 'give me', plz: 'please', pls: 'please', plez: 'please', pleaz: 'please',
  u: 'you', ur: 'your', r: 'are', ppl: 'people', sb: 'somebody', smb: 'somebody', sm1: 'someone', some1: 'someone',
  sum1: 'someone', somone: 'someone', soemone: 'someone', dont: "don't", cant: "can't", wont: "won't", im: "i'm",
  humn: 'human', humna: 'human', hooman: 'human', huma: 'human', humans: 'human', hman: 'human',
  spk: 'speak', tlk: 'talk', tak: 'talk', agnt: 'agent', agen: 'agent', agents: 'agent', reps: 'rep',
  representitive: 'representative', represenative: 'representative', reprensentative: 'representative', represntative: 'representative',
  talk2: 'talk to', speak2: 'speak to', persn: 'person', peson: 'person', preson: 'person', persons: 'person',
  operater: 'operator', oprator: 'operator',
};

/** Lower case, no accents, letters stretched 3+ times cut back to one, straight apostrophes, single spaces. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/([a-z])\1{2,}/g, '$1')
    .replace(/[^a-z0-9' ?!.,;:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a folded text into tokens, keeping sentence punctuation as its own token (it bounds negation). */
export function tokenize(folded: string): string[] {
  return folded.match(/[a-z0-9']+|[?!.,;:]/g) ?? [];
}

/** Elisions ("l'agent", "j'veux") are split so the noun stays matchable. */
function splitElision(token: string): string[] {
  const m = /^(j|l|d|qu|n|m|t|s|c)'(.+)$/.exec(token);
  if (!m || token === "quelqu'un") return [token];
  const head = m[1] === 'j' ? 'je' : m[1] === 'n' ? 'ne' : `${m[1]}'`;
  return [head, ...normalizeTokens([m[2]])];
}

function normalizeTokens(tokens: string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const mapped = TOKEN_MAP[t];
    if (mapped !== undefined) { out.push(...mapped.split(' ')); continue; }
    if (t.includes("'")) { out.push(...splitElision(t)); continue; }
    out.push(t);
  }
  return out;
}

/** The full pipeline: fold, tokenize, rewrite SMS spellings and misspellings. */
export function normalize(text: string): string[] {
  return normalizeTokens(tokenize(foldText(text)));
}
