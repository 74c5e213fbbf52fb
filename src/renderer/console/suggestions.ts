import type { CommandInput, CommandName } from '../../shared/contract';
import { bridge } from '../bridge/desk';

/** kind: where it comes from (learned_response | rag_source | past_answer); source: its title or question. */
export interface Suggestion { text: string; score: number | null; source: string | null; kind: string | null }

const SUGGEST = 'suggest.forConversation';

function str(v: unknown): string | null { return typeof v === 'string' && v.trim() ? v : null; }
function num(v: unknown): number | null { return typeof v === 'number' && Number.isFinite(v) ? v : null; }

/** Reads the suggestions service's answer without assuming more than "a list of texts with a score and a source". */
export function parseSuggestions(value: unknown): Suggestion[] {
  const list = Array.isArray(value) ? value
    : Array.isArray((value as { suggestions?: unknown })?.suggestions) ? (value as { suggestions: unknown[] }).suggestions : [];
  const out: Suggestion[] = [];
  for (const raw of list) {
    const s = (raw ?? {}) as Record<string, unknown>;
    const text = str(s.text) ?? str(s.answer) ?? str(s.content);
    if (!text) continue;
    const sources = Array.isArray(s.sources) ? s.sources as Array<Record<string, unknown>> : [];
    const source = str(s.sourceLabel) ?? str(s.title) ?? str(sources[0]?.title) ?? str(sources[0]?.name)
      ?? (typeof s.source === 'object' && s.source ? str((s.source as Record<string, unknown>).title) : null);
    out.push({ text, score: num(s.score) ?? num(s.confidence), source, kind: str(s.source) });
  }
  return out;
}

/**
 * The suggestions engineer's command (suggest.forConversation). Called by name
 * so the console works before and after that service lands: null = unavailable.
 */
export async function fetchSuggestions(conversationId: number): Promise<Suggestion[] | null> {
  const r = await bridge().invoke(SUGGEST as CommandName, { conversationId, limit: 3 } as unknown as CommandInput<CommandName>);
  if (!r.ok) return r.error.code === 'unknown_command' ? null : [];
  return parseSuggestions(r.value);
}
