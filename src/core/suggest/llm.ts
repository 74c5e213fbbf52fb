import { DeskError } from '../../shared/errors';
import type { Suggestion } from './retrieval';

/** An OpenAI-compatible chat endpoint (OpenAI, a local Ollama, vLLM...). Off unless DESK_LLM_URL is set. */
export interface LlmConfig {
  /** Base URL, e.g. http://127.0.0.1:11434/v1 ; /chat/completions is appended. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

export function llmFromEnv(env: Record<string, string | undefined>): LlmConfig | null {
  const url = env.DESK_LLM_URL?.trim();
  if (!url) return null;
  return {
    url: url.replace(/\/+$/, ''),
    model: env.DESK_LLM_MODEL?.trim() || 'llama3.1',
    apiKey: env.DESK_LLM_API_KEY?.trim() || undefined,
    timeoutMs: Number(env.DESK_LLM_TIMEOUT_MS) > 0 ? Number(env.DESK_LLM_TIMEOUT_MS) : 20_000,
  };
}

const SYSTEM = [
  'You write the reply a support operator will send to a customer.',
  'Use ONLY the numbered sources below. Do not add facts, prices, delays or steps that are not in them.',
  'If the sources do not answer the question, say in one sentence that you will check and come back.',
  'Answer in the language of the customer, briefly, and cite the sources you used like [1].',
].join(' ');

/** The prompt: the customer's question and the suggestions as numbered sources, nothing else. */
export function draftMessages(question: string, sources: Suggestion[]) {
  const list = sources.map((s, i) => `[${i + 1}] (${s.sourceLabel})\n${s.text}`).join('\n\n');
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Sources:\n${list || '(none)'}\n\nCustomer question:\n${question}` },
  ];
}

/** Asks the endpoint for a grounded draft; any failure is a typed error, never a hang (timeout). */
export async function draftReply(cfg: LlmConfig, question: string, sources: Suggestion[]): Promise<{ text: string; model: string }> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), cfg.timeoutMs);
  try {
    const res = await fetch(`${cfg.url}/chat/completions`, {
      method: 'POST',
      signal: ctrl.signal,
      headers: { 'content-type': 'application/json', ...(cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {}) },
      body: JSON.stringify({ model: cfg.model, temperature: 0.2, messages: draftMessages(question, sources) }),
    });
    if (!res.ok) throw new DeskError('offline', `LLM endpoint answered ${res.status}`);
    const body = (await res.json()) as { model?: string; choices?: Array<{ message?: { content?: string } }> };
    const text = body.choices?.[0]?.message?.content?.trim();
    if (!text) throw new DeskError('internal', 'LLM endpoint returned no text');
    return { text, model: body.model ?? cfg.model };
  } catch (err) {
    if (err instanceof DeskError) throw err;
    throw new DeskError('offline', `LLM endpoint unreachable: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}
