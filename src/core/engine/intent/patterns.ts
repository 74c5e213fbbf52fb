/**
 * Hand-written rules for "the customer wants a human", over normalised tokens
 * (normalize.ts). A request needs a request word governing a human noun with
 * only small words in between ("parler à un conseiller", "talk to a real
 * person"), so questions about agents, bots named "Agent X" or human
 * resources do not match. A negation earlier in the same clause ("pas besoin
 * d'un conseiller", "I don't want a person") turns a match into a refusal.
 */

export interface PatternHit {
  /** 'request' = asks for a human; 'negated' = explicitly does not. */
  kind: 'request' | 'negated';
  rule: 'cue' | 'short' | 'after';
  matched: string[];
}

const HUMAN = new Set([
  'humain', 'conseiller', 'agent', 'operateur', "quelqu'un", 'responsable', 'support', 'vendeur', 'gerant',
  'human', 'person', 'someone', 'somebody', 'anyone', 'representative', 'rep', 'operator', 'staff', 'manager',
  'advisor', 'adviser', 'employee', 'expert', 'sav', 'people', 'personne', 'equipe', 'team', 'supervisor', 'superviseur',
]);
// Nouns that are a human only next to a partner word: "service client", "customer service", "vrai personne".
const PAIRED: Array<[string, string]> = [
  ['service', 'client'], ['customer', 'service'], ['customer', 'support'], ['customer', 'care'], ['service', 'apres'],
];
const CUES = new Set([
  'parler', 'discuter', 'echanger', 'contacter', 'joindre', 'avoir', 'veux', 'voudrais', 'aimerais', 'besoin', 'passer',
  'passez', 'passe', 'mettre', 'mettez', 'mets', 'transferer', 'transferez', 'transfere', 'appeler', 'rappeler', 'relation',
  'faut', 'prefere', 'preferer', 'exige', 'demande', 'demander', 'donnez', 'trouver', 'rejoindre', 'adresser', 'ecrire',
  'speak', 'talk', 'chat', 'connect', 'contact', 'transfer', 'through', 'get', 'want', 'need', 'give', 'reach', 'call', 'prefer',
  'rather', 'escalate', 'forward', 'connected', 'transferred', 'transfere', 'reclame', 'echange', 'have', 'help', 'aide', 'see', 'request', 'requesting', 'contacting', 'speaking', 'talking', 'contacted', 'touch',
]);
// Small words allowed between a cue and its noun.
const FILLERS = new Set([
  'a', 'au', 'aux', 'avec', 'un', 'une', 'le', 'la', 'les', "l'", 'des', 'du', 'de', "d'", 'en', 'moi', 'me', "m'", 'vrai',
  'reelle', 'physique', 'directement', 'maintenant', 'tout', 'suite', 'vite', 'rapidement', 'urgence', 'votre', 'vos',
  'ton', 'tes', 'un', 'seul', 'vraiment', 'parler', 'discuter', 'etre', 'mis', 'mise', 'enfin', 'juste', 'simplement',
  'to', 'with', 'an', 'the', 'some', 'real', 'live', 'actual', 'directly', 'now', 'please', 'your', 'one', 'of', 'just',
  'speak', 'talk', 'chat', 'a', 'in', 'touch', 'right', 'away', 'asap', 'immediately', 'for', 'living', 'actually',
  'really', 'proper', 'member', 'membre', 'vers', 'this', 'cela', 'ca', 'humain', 'human', 'telephonique', 'on', 'line', 'contact', 'from', 'here', 'et', 'and', 'via', 'by', 'qualified', 'competent', 'competente',
]);
const POLITE = new Set([
  'bonjour', 'bonsoir', 'salut', 'hello', 'hi', 'hey', 'svp', "s'il", 'vous', 'te', 'plait', 'please', 'merci', 'thanks',
  'urgent', 'maintenant', 'now', 'oui', 'yes', 'ok', 'un', 'une', 'a', 'an', 'the', 'le', 'la', "l'", 'vrai', 'real',
  'live', 'reelle', 'physique', '!', '?', '.', ',', 'asap', 'vite', 'quickly', 'allo', 'svp', 'juste', 'just', 'again',
  'encore', 'je', 'veux', 'i', 'want', 'need', 'du', 'de', 'au', 'avec', 'to',
]);
const NEGATIONS = new Set(['ne', 'pas', 'jamais', 'sans', 'aucun', 'aucune', 'plus', 'non', 'no', 'not', "don't", "doesn't",
  "didn't", 'never', 'without', 'nor', 'ni', "won't", 'nobody', 'none', 'inutile']);
// "je n'arrive pas à joindre un conseiller", "I can't reach anyone": not a refusal but a complaint, i.e. a request.
const INABILITY = new Set(['arrive', 'arrivons', 'arriver', 'reussis', 'reussi', 'parviens', 'peux', 'pouvons', 'able',
  'manage', 'managed', 'unable', 'could', 'can', 'possible', 'moyen']);
const CLAUSE_BREAK = new Set(['.', ',', ';', '!', '?', ':', 'mais', 'but', 'however', 'cependant', 'alors', 'so', 'donc']);
// A human noun followed by one of these is a thing, not a person: "agent IA", "ressources humaines" handled below.
const NOT_A_PERSON_AFTER = new Set(['ia', 'ai', 'virtuel', 'virtual', 'conversationnel', 'immobilier', 'nettoyant',
  'cleaning', 'secret', 'resources', 'ressources', 'rights', 'error', 'nature', 'body', 'x', 'x3', 'pro', 'bot', 'robot',
  'smith', '007', 'orange', 'ops', 'sdk', 'api', 'touch']);
const NOT_A_PERSON_BEFORE = new Set(['ressources', 'robot', 'bot', 'this', 'ce', 'cet', 'cette', 'chaque', 'each', 'every',
  'combien', 'many', 'which', 'quel', 'quels', 'ces', 'these', 'those']);
// A noun followed by these asks for a person too: "un humain peut m'aider ?", "is there someone I can talk to".
const AVAILABLE = new Set(['disponible', 'disponibles', 'available', 'joignable', 'there', 'around', 'here', 'ici', 'online']);
const AFTER_VERBS = new Set(['aider', 'help', 'parler', 'talk', 'speak', 'repondre', 'rappeler', 'call', 'appeler',
  'contacter', 'contact', 'chat', 'occuper', 'handle', 'reprendre', 'prendre', 'look', 'regarder']);
const MODALS = new Set(['peut', 'peuvent', 'pourrait', 'pourrais', 'puisse', 'can', 'could', 'will', 'would']);
// A French auxiliary or "deja" before the verb: "j'ai parle a un conseiller" tells a story, it asks for nothing.
const PRESENT_WITH_AUX = new Set(['besoin', 'envie', 'faut']);
const ARTICLES = new Set(['the', 'a', 'le', 'la', 'un', 'une', 'this', 'my', 'your']);
const PAST = new Set(['ai', 'avais', 'avons', 'avez', 'as', 'ont', 'deja', 'already']);

function isHumanAt(tokens: string[], i: number): number {
  const t = tokens[i];
  for (const [a, b] of PAIRED) if (t === a && tokens[i + 1] === b) return 2;
  if (!HUMAN.has(t)) return 0;
  if (NOT_A_PERSON_AFTER.has(tokens[i + 1] ?? '')) return 0;
  if (NOT_A_PERSON_BEFORE.has(tokens[i - 1] ?? '')) return 0;
  // "personne" alone is also "nobody": count it only as "une personne" / "une vraie personne".
  if (t === 'personne' && !['une', 'vrai', 'reelle', 'physique'].includes(tokens[i - 1] ?? '')) return 0;
  // "un support pour ma tele" is a thing; "le support", "customer support" is a team.
  if (t === 'support' && !['le', 'au', 'du', 'the', 'your', 'votre', 'customer'].includes(tokens[i - 1] ?? '')) return 0;
  return 1;
}

/** The negation word governing the clause before `at`, unless it negates an ability ("je n'arrive pas a joindre"). */
function negatedBefore(tokens: string[], at: number): string | null {
  let negation: string | null = null;
  for (let j = at - 1; j >= 0 && j >= at - 6; j--) {
    const t = tokens[j];
    if (CLAUSE_BREAK.has(t)) break;
    if (INABILITY.has(t)) return null;
    if (NEGATIONS.has(t)) negation ??= t;
  }
  return negation;
}

/** The first rule that fires on these tokens, or null. */
export function matchPatterns(tokens: string[]): PatternHit | null {
  let negated: PatternHit | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const width = isHumanAt(tokens, i);
    if (!width) continue;
    const noun = tokens.slice(i, i + width).join(' ');
    // cue ... fillers ... noun
    for (let j = i - 1; j >= 0 && j >= i - 7; j--) {
      const t = tokens[j];
      if (CUES.has(t)) {
        // "j'ai besoin" is present tense; "j'ai parle" is a story.
        if (!PRESENT_WITH_AUX.has(t) && (PAST.has(tokens[j - 1] ?? '') || PAST.has(tokens[j - 2] ?? ''))) break;
        // "the contact person" is a noun, "contact a human" a request.
        if (ARTICLES.has(tokens[j - 1] ?? '') && t === 'contact') break;
        const neg = negatedBefore(tokens, j);
        const hit: PatternHit = { kind: neg ? 'negated' : 'request', rule: 'cue', matched: [...(neg ? [neg] : []), t, noun] };
        if (!neg) return hit;
        negated ??= hit;
        break;
      }
      if (!FILLERS.has(t)) break;
    }
    // noun ... "disponible" / "can help" / "I can talk to"
    let modal = MODALS.has(tokens[i - 1] ?? '') || MODALS.has(tokens[i - 2] ?? '');
    for (let j = i + width; j < tokens.length && j <= i + width + 4; j++) {
      const t = tokens[j];
      if (CLAUSE_BREAK.has(t)) break;
      if (MODALS.has(t)) modal = true;
      if (AVAILABLE.has(t) || (modal && AFTER_VERBS.has(t))) {
        const neg = negatedBefore(tokens, i);
        const hit: PatternHit = { kind: neg ? 'negated' : 'request', rule: 'after', matched: [...(neg ? [neg] : []), noun, t] };
        if (!neg) return hit;
        negated ??= hit;
        break;
      }
    }
  }
  if (negated) return negated;
  // A clause that is only a human noun and politeness: "un humain svp", "agent!", "stop the bot, human please".
  for (const clause of clauses(tokens)) {
    const nounAt = clause.findIndex((_, i) => isHumanAt(clause, i) > 0);
    if (nounAt < 0) continue;
    const width = isHumanAt(clause, nounAt);
    const rest = clause.filter((_, i) => i < nounAt || i >= nounAt + width);
    if (rest.every((t) => POLITE.has(t) || FILLERS.has(t) || HUMAN.has(t)) && rest.length <= 6) {
      const neg = rest.find((t) => NEGATIONS.has(t));
      return { kind: neg ? 'negated' : 'request', rule: 'short', matched: clause.slice(nounAt, nounAt + width) };
    }
  }
  return null;
}

function clauses(tokens: string[]): string[][] {
  const out: string[][] = [[]];
  for (const t of tokens) {
    if (CLAUSE_BREAK.has(t)) { if (out[out.length - 1].length) out.push([]); } else out[out.length - 1].push(t);
  }
  return out.filter((c) => c.length > 0);
}

/** Whether the message names a person at all; without one the classifier alone may not call it a request. */
export function mentionsPerson(tokens: string[]): boolean {
  return tokens.some((_, i) => isHumanAt(tokens, i) > 0 || ['personne', 'humain', 'human', 'person'].includes(tokens[i]));
}
