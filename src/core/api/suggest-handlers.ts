import { DeskError } from '../../shared/errors';
import type { CoreContext } from '../context';
import { draftReply, llmFromEnv, type LlmConfig } from '../suggest/llm';
import { SuggestService } from '../suggest/service';
import { defaultAnalyzer } from '../suggest/synonyms';
import type { Handlers } from './dispatch';

type SuggestHandlers = Pick<Handlers, 'suggest.forConversation' | 'suggest.draft'>;

const DRAFT_SOURCES = 5;

/** Suggested answers; the LLM draft only when DESK_LLM_URL (or `llm`) configures one. */
export function suggestHandlers(
  ctx: CoreContext,
  llm: LlmConfig | null = llmFromEnv(globalThis.process?.env ?? {}),
): SuggestHandlers {
  const service = new SuggestService(ctx.db, defaultAnalyzer(), ctx.clock);
  ctx.session.onChange(() => service.reset());
  return {
    'suggest.forConversation': async ({ conversationId, limit }) => {
      const { as } = ctx.session.require();
      return { ...(await service.forConversation(conversationId, as, limit)), llm: llm !== null };
    },
    'suggest.draft': async ({ conversationId }) => {
      if (!llm) throw new DeskError('invalid_status', 'no LLM is configured (set DESK_LLM_URL)');
      const { as } = ctx.session.require();
      const { question, suggestions } = await service.forConversation(conversationId, as, DRAFT_SOURCES);
      const draft = await draftReply(llm, question, suggestions);
      return { ...draft, sources: suggestions };
    },
  };
}
