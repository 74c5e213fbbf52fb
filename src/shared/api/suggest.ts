import { z } from 'zod';
import { command } from './define';

export const SuggestionSchema = z.object({
  text: z.string(),
  /** 0..1 */
  score: z.number().min(0).max(1),
  source: z.enum(['learned_response', 'rag_source', 'past_answer']),
  /** The question it answered, or the retrieval source's title. */
  sourceLabel: z.string(),
  /** The customer's words that matched. */
  reason: z.array(z.string()),
  /** The learned response or conversation it comes from (null for a retrieval source). */
  refId: z.number().int().nullable(),
});
export type SuggestionData = z.infer<typeof SuggestionSchema>;

export const DraftSchema = z.object({
  text: z.string(),
  model: z.string(),
  /** Exactly the suggestions the draft was allowed to use, numbered as the draft cites them ([1], [2]...). */
  sources: z.array(SuggestionSchema),
});

const ConversationRef = z.object({ conversationId: z.number().int().positive() }).strict();

export const suggestCommands = {
  /** Ranked answers for the customer's open question: learned responses, the bot's retrieval sources, past answers. */
  'suggest.forConversation': command(
    ConversationRef.extend({ limit: z.number().int().min(1).max(10).default(5) }).strict(),
    z.object({
      /** The customer text the suggestions answer. */
      question: z.string(),
      suggestions: z.array(SuggestionSchema),
      /** Whether an LLM is configured, so the console can offer a draft. */
      llm: z.boolean(),
    }),
  ),
  /** An LLM-written reply grounded only in the suggestions; invalid_status when no LLM is configured. */
  'suggest.draft': command(ConversationRef, DraftSchema),
};
