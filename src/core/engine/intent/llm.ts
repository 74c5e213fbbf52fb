import { detectIntent, DEFAULT_INTENT_THRESHOLD, type IntentResult } from './detector';

/** An OpenAI-compatible chat completions endpoint (OpenAI, a local Ollama...). Off unless DESK_LLM_URL is set. */
export interface LlmConfig { url: string; model: string; apiKey?: string; timeoutMs: number }

export function llmConfigFromEnv(env: Record<string, string | undefined>): LlmConfig | null {
  if (!env.DESK_LLM_URL) return null;
  return {
    url: env.DESK_LLM_URL,
    model: env.DESK_LLM_MODEL ?? 'gpt-3.5-turbo',
    apiKey: env.DESK_LLM_API_KEY || undefined,
    timeoutMs: Number(env.DESK_LLM_TIMEOUT_MS) > 0 ? Number(env.DESK_LLM_TIMEOUT_MS) : 3000,
  };
}

const PROMPT = `You classify one customer message sent to a support chatbot (French or English).
Does the customer ask to be handed over to a human (agent, advisor, operator, real person, customer service)?
Questions about AI agents, products named "agent" or "robot", human resources, or past conversations are not requests.
A refusal ("pas besoin d'un conseiller", "I don't want a person") is not a request.
Answer with JSON only: {"handover_needed": boolean, "confidence": number between 0 and 1, "reason": short string}`;

function endpoint(url: string): string {
  return /\/chat\/completions\/?$/.test(url) ? url : `${url.replace(/\/+$/, '')}/chat/completions`;
}

async function askLlm(text: string, cfg: LlmConfig, threshold: number): Promise<IntentResult> {
  const res = await fetch(endpoint(cfg.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {}) },
    body: JSON.stringify({
      model: cfg.model, temperature: 0,
      messages: [{ role: 'system', content: PROMPT }, { role: 'user', content: text.slice(0, 2000) }],
    }),
    signal: AbortSignal.timeout(cfg.timeoutMs),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
  const content = body.choices?.[0]?.message?.content ?? '';
  // Models like to wrap JSON in prose or a code fence: take the first object.
  const json = /\{[\s\S]*\}/.exec(content)?.[0];
  if (!json) throw new Error('no JSON in the answer');
  const out = JSON.parse(json) as { handover_needed?: unknown; confidence?: unknown; reason?: unknown };
  if (typeof out.handover_needed !== 'boolean' || typeof out.confidence !== 'number' || out.confidence < 0 || out.confidence > 1) {
    throw new Error('answer is not {handover_needed, confidence}');
  }
  // The model's confidence is in its own answer; turn it into "confidence that a human is wanted".
  const confidence = Math.round((out.handover_needed ? out.confidence : 1 - out.confidence) * 1000) / 1000;
  return {
    wants_human: confidence >= threshold, confidence, threshold, matched: [], rule: 'llm', negated: false,
    classifier_probability: confidence, model_used: cfg.model, reason: typeof out.reason === 'string' ? out.reason.slice(0, 300) : 'llm',
  };
}

/**
 * Seed 003's "AI first, patterns as fallback": with an LLM configured, ask it;
 * on any failure or timeout answer with the local detector and say why.
 */
export async function classifyIntent(text: string, cfg: LlmConfig | null, threshold = DEFAULT_INTENT_THRESHOLD): Promise<IntentResult> {
  if (!cfg) return detectIntent(text, threshold);
  try {
    return await askLlm(text, cfg, threshold);
  } catch (err) {
    const local = detectIntent(text, threshold);
    const why = err instanceof Error ? (err.name === 'TimeoutError' ? 'timeout' : err.message) : String(err);
    return { ...local, model_used: `${local.model_used} (llm fallback: ${why})` };
  }
}
