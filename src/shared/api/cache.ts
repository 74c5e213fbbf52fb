import { z } from 'zod';
import { command } from './define';

/** A run of a search hit's text; `highlighted` = a matched word. Rendered as text, never as HTML. */
export const SegmentSchema = z.object({ text: z.string(), highlighted: z.boolean() });

export const SearchHitSchema = z.object({
  messageId: z.number().int(),
  conversationId: z.number().int(),
  senderType: z.string(),
  createdAt: z.string(),
  segments: z.array(SegmentSchema),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const CacheSettingsSchema = z.object({
  retentionDays: z.number().int().min(1).max(365),
  maxSizeMb: z.number().int().min(10).max(10_000),
});

export const CacheResetSchema = z.object({
  reason: z.enum(['corrupt', 'newer_version']),
  /** Where the unusable file was moved (nothing is deleted). */
  movedTo: z.string(),
  at: z.string(),
});

export const CacheStatusSchema = z.object({
  /** False when the host runs without a cache (it could not be opened): everything then needs the network. */
  available: z.boolean(),
  path: z.string().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  conversations: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  settings: CacheSettingsSchema,
  lastReset: CacheResetSchema.nullable(),
});

/** A support_conversations row as cached (the shared database's columns, kept whole). */
export const CachedConversationSchema = z.looseObject({
  id: z.number().int(),
  agent_id: z.number().int(),
  status: z.string(),
  assigned_admin_id: z.string().nullable(),
  priority: z.string(),
  updated_at: z.string(),
});

export const CachedMessageSchema = z.object({
  id: z.number().int(),
  conversation_id: z.number().int(),
  sender_type: z.string(),
  admin_id: z.string().nullable(),
  content: z.string(),
  created_at: z.string(),
  client_msg_id: z.string().nullable(),
});

export const OutboxEntrySchema = z.object({
  id: z.number().int(),
  kind: z.enum(['reply', 'claim', 'resolve']),
  conversationId: z.number().int(),
  clientMsgId: z.string().nullable(),
  /** A reply's text (null for a take-over or closure). */
  content: z.string().nullable(),
  createdAt: z.string(),
  state: z.enum(['pending', 'rejected']),
  attempts: z.number().int(),
  errorCode: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

export const OutboxCountsSchema = z.object({ pending: z.number().int().nonnegative(), rejected: z.number().int().nonnegative() });

const SendOutcomeSchema = z.object({
  /** sent: the shared database has it; queued: kept in the outbox, sent on reconnect. A refusal is an error. */
  state: z.enum(['sent', 'queued']),
  error: z.string().nullable(),
});

const ConversationId = z.number().int().positive();

export const cacheCommands = {
  /** Full-text search over cached messages (accent- and case-insensitive, prefix words), works offline. */
  'search.messages': command(
    z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
    z.object({ hits: z.array(SearchHitSchema) }),
  ),
  'cache.status': command(z.object({}).strict(), CacheStatusSchema),
  'cache.settings.get': command(z.object({}).strict(), CacheSettingsSchema),
  /** Applies the new retention and size cap at once (prunes). */
  'cache.settings.set': command(CacheSettingsSchema.partial().strict(), CacheSettingsSchema),
  /** Forgets every cached row and fills the cache again from the shared database. `everything` also drops unsent replies and drafts. */
  'cache.wipe': command(z.object({ everything: z.boolean().optional() }).strict(), CacheStatusSchema),
  /** What the console shows before the network answers: cached open conversations and the operator's own. */
  'cache.snapshot': command(z.object({}).strict(), z.object({
    lastSeq: z.number().int().nonnegative(),
    waiting: z.array(CachedConversationSchema),
    mine: z.array(CachedConversationSchema),
    outbox: OutboxCountsSchema,
  })),
  /** One conversation from the cache: its row, its last messages, what is still in the outbox for it and the draft. */
  'cache.conversation': command(z.object({ conversationId: ConversationId }).strict(), z.object({
    conversation: CachedConversationSchema.nullable(),
    messages: z.array(CachedMessageSchema),
    outbox: z.array(OutboxEntrySchema),
    draft: z.string().nullable(),
  })),
  'drafts.get': command(z.object({ conversationId: ConversationId }).strict(),
    z.object({ content: z.string(), updatedAt: z.string() }).nullable()),
  /** Saving '' removes the draft. */
  'drafts.save': command(z.object({ conversationId: ConversationId, content: z.string().max(10_000) }).strict(),
    z.object({ savedAt: z.string() })),
  /** A reply that survives a dropped link: queued with its clientMsgId and sent once, in order. */
  'outbox.reply': command(
    z.object({ conversationId: ConversationId, content: z.string().trim().min(1).max(10_000), clientMsgId: z.string().uuid().optional() }).strict(),
    SendOutcomeSchema.extend({ clientMsgId: z.string() }),
  ),
  /** A take-over that may be queued offline; if it went stale it is refused later with outbox.rejected. */
  'outbox.claim': command(z.object({ conversationId: ConversationId }).strict(), SendOutcomeSchema),
  'outbox.resolve': command(z.object({
    conversationId: ConversationId,
    resolutionType: z.enum(['answered', 'redirected', 'out_of_scope', 'duplicate']),
    notes: z.string().max(5_000).optional(),
    learnedQuestion: z.string().trim().min(1).max(5_000).optional(),
    learnedAnswer: z.string().trim().min(1).max(10_000).optional(),
  }).strict(), SendOutcomeSchema),
  'outbox.list': command(z.object({}).strict(), z.object({ entries: z.array(OutboxEntrySchema) })),
  /** Try now instead of waiting for the next retry. */
  'outbox.retry': command(z.object({}).strict(), OutboxCountsSchema),
  /** The operator has read a refusal: forget it. */
  'outbox.dismiss': command(z.object({ id: z.number().int().positive() }).strict(), OutboxCountsSchema),
};

export const cacheEvents = {
  /** The cache file was unusable and was moved aside; the console tells the operator (it refills from the network). */
  'cache.reset': CacheResetSchema,
  /** Something queued offline was refused on replay (a colleague took the conversation...), with the reason. */
  'outbox.rejected': z.object({
    id: z.number().int(),
    kind: z.enum(['reply', 'claim', 'resolve']),
    conversationId: z.number().int(),
    code: z.string(),
    message: z.string(),
    content: z.string().nullable(),
  }),
  /** How many actions wait in the outbox, for the connection badge. */
  'outbox.changed': OutboxCountsSchema,
  /** Cached rows changed (after a sync or a bootstrap): views that read the cache refresh. */
  'cache.changed': z.object({ entities: z.array(z.string()) }),
};
