import { DeskError } from '../../shared/errors';
import type { Identity, SharedDb } from '../ports/shared-db';
import type { Clock } from '../ports/clock';
import { AnswerIndex, mergeSuggestions, rankRagSources, type CorpusDoc, type RagSource, type Suggestion } from './retrieval';
import type { Analyzer } from './text';

interface MessageRow { agent_id: number; status: string; sender_type: string; content: string; ai_context: unknown }
interface CorpusRow { kind: CorpusDoc['kind']; ref_id: number; question: string; answer: string; active: boolean; changed_at: string }

// Rows whose transaction started before our last read can commit with an older
// updated_at; re-reading a short overlap catches them (upserts are idempotent).
const SYNC_OVERLAP_MS = 10_000;
// Deletions leave no row to notice: rebuild from scratch now and then.
const FULL_RELOAD_MS = 10 * 60_000;

interface BotIndex { index: AnswerIndex; syncedTo: string | null; builtAt: number; syncing: Promise<void> | null }

/**
 * Suggestions for an open conversation. Each bot's corpus (approved learned
 * responses and operators' answers in resolved conversations) lives in an
 * in-memory index, caught up incrementally from suggest_corpus on each
 * request; the bot's own retrieval sources come with the conversation.
 */
export class SuggestService {
  private bots = new Map<string, BotIndex>();

  constructor(private readonly db: SharedDb, private readonly analyzer: Analyzer, private readonly clock: Clock) {}

  /** Forget every index (the signed-in operator changed, and with them what RLS lets us read). */
  reset(): void { this.bots.clear(); }

  async forConversation(conversationId: number, as: Identity, limit: number): Promise<{ question: string; suggestions: Suggestion[] }> {
    const messages = await this.db.rpc<MessageRow>('suggest_conversation', { p_conversation_id: conversationId }, as);
    if (messages.length === 0) throw new DeskError('not_found', `conversation ${conversationId} does not exist or has no messages`);
    const agentId = Number(messages[0].agent_id);
    const question = openQuestion(messages);
    const index = await this.indexFor(agentId, as);
    const lists = [
      index.query(question, limit),
      rankRagSources(this.analyzer, question, ragSourcesOf(messages)),
    ];
    return { question, suggestions: mergeSuggestions(lists, limit) };
  }

  private async indexFor(agentId: number, as: Identity): Promise<AnswerIndex> {
    const key = `${as.kind === 'operator' ? as.operatorId : as.kind}:${agentId}`;
    const now = this.clock.now().getTime();
    let bot = this.bots.get(key);
    if (!bot || now - bot.builtAt > FULL_RELOAD_MS) {
      bot = { index: new AnswerIndex(this.analyzer), syncedTo: null, builtAt: now, syncing: null };
      this.bots.set(key, bot);
    }
    // Concurrent requests share one catch-up instead of each reading the corpus.
    bot.syncing ??= this.catchUp(bot, agentId, as).finally(() => { bot.syncing = null; });
    await bot.syncing;
    return bot.index;
  }

  private async catchUp(bot: BotIndex, agentId: number, as: Identity): Promise<void> {
    const since = bot.syncedTo ? new Date(new Date(bot.syncedTo).getTime() - SYNC_OVERLAP_MS).toISOString() : null;
    const rows = await this.db.rpc<CorpusRow>('suggest_corpus', { p_agent_id: agentId, p_since: since }, as);
    for (const r of rows) {
      const key = `${r.kind === 'learned_response' ? 'lr' : 'pa'}:${r.ref_id}`;
      if (r.active && r.question.trim() && r.answer.trim()) {
        bot.index.upsert({ key, kind: r.kind, refId: Number(r.ref_id), question: r.question, answer: r.answer });
      } else {
        bot.index.remove(key);
      }
      if (!bot.syncedTo || r.changed_at > bot.syncedTo) bot.syncedTo = r.changed_at;
    }
  }
}

/** The customer's messages since the last operator reply (the question still open), else their last message. */
export function openQuestion(messages: Array<{ sender_type: string; content: string }>): string {
  const out: string[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.sender_type === 'admin') break;
    if (m.sender_type === 'user') out.unshift(m.content);
  }
  if (out.length) return out.slice(-3).join('\n');
  return [...messages].reverse().find((m) => m.sender_type === 'user')?.content ?? '';
}

/** ai_context.rag_results of the latest AI message that has some ({title, content|text|snippet, score}). */
export function ragSourcesOf(messages: Array<{ sender_type: string; ai_context: unknown }>): RagSource[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const ctx = messages[i].sender_type === 'ai' ? messages[i].ai_context : null;
    const results = ctx && typeof ctx === 'object' ? (ctx as { rag_results?: unknown }).rag_results : null;
    if (!Array.isArray(results) || results.length === 0) continue;
    return results.flatMap((r): RagSource[] => {
      if (!r || typeof r !== 'object') return [];
      const o = r as Record<string, unknown>;
      const title = typeof o.title === 'string' ? o.title : '';
      const content = [o.content, o.text, o.snippet].find((v) => typeof v === 'string') as string | undefined;
      const score = typeof o.score === 'number' && Number.isFinite(o.score) ? o.score : null;
      return title || content ? [{ title, content: content ?? '', score }] : [];
    });
  }
  return [];
}
