import { DeskError } from '../../shared/errors';
import type { OutboxEntry } from '../../shared/api/cache';
import type { CoreContext } from '../context';
import type { LocalCache, OutboxItem } from '../ports/local-cache';
import type { OfflineModule } from '../sync/offline';
import type { SendOutcome } from '../sync/outbox';
import type { Handlers } from './dispatch';

type CacheHandlers = Pick<Handlers,
  | 'search.messages' | 'cache.status' | 'cache.settings.get' | 'cache.settings.set' | 'cache.wipe'
  | 'cache.snapshot' | 'cache.conversation' | 'drafts.get' | 'drafts.save'
  | 'outbox.reply' | 'outbox.claim' | 'outbox.resolve' | 'outbox.list' | 'outbox.retry' | 'outbox.dismiss'>;

function entryOf(i: OutboxItem): OutboxEntry {
  return {
    id: i.id, kind: i.kind, conversationId: i.conversationId, clientMsgId: i.clientMsgId,
    content: typeof i.payload.content === 'string' ? i.payload.content : null,
    createdAt: i.createdAt, state: i.state, attempts: i.attempts, errorCode: i.errorCode, lastError: i.lastError,
  };
}

/** A refusal answers the command as an error; sent or queued is a result. */
function outcome(o: SendOutcome) {
  if (o.state === 'rejected') throw o.error;
  return { state: o.state, error: o.state === 'queued' ? o.error : null };
}

/**
 * The cache's commands. `offline` is null on a host that could not open a
 * cache: reads then answer empty and writes say why.
 */
export function cacheHandlers(ctx: CoreContext, offline: OfflineModule | null, afterWipe: () => void): CacheHandlers {
  const need = (): LocalCache => {
    if (!offline) throw new DeskError('internal', 'this host has no offline cache');
    return offline.api.cache;
  };
  const me = () => ctx.session.require().operator.id;
  const status = () => {
    if (!offline) {
      return { available: false, path: null, sizeBytes: 0, lastSeq: 0, conversations: 0, messages: 0,
        settings: { retentionDays: 30, maxSizeMb: 200 }, lastReset: null };
    }
    const c = offline.api.cache;
    return {
      available: true, path: c.path, sizeBytes: c.sizeBytes(), lastSeq: c.feed.lastSeq(),
      conversations: c.conversations.count(), messages: c.messages.count(), settings: c.settings.get(),
      lastReset: c.lastReset(),
    };
  };
  const counts = () => need().outbox.counts(me());

  return {
    'search.messages': async ({ query, limit }) => {
      ctx.session.require();
      return { hits: offline ? offline.api.cache.search(query, limit) : [] };
    },
    'cache.status': async () => status(),
    'cache.settings.get': async () => need().settings.get(),
    'cache.settings.set': async (patch) => {
      const c = need();
      const next = c.settings.set(patch);
      c.prune(ctx.clock.now());
      return next;
    },
    'cache.wipe': async ({ everything }) => {
      need().wipe({ everything });
      afterWipe();
      return status();
    },
    'cache.snapshot': async () => {
      const c = need();
      const id = me();
      return {
        lastSeq: c.feed.lastSeq(),
        waiting: c.conversations.list({ status: ['escalated'] }).filter((x) => x.assigned_admin_id === null),
        mine: c.conversations.list({ status: ['human_handling'], assignedTo: id }),
        outbox: c.outbox.counts(id),
      };
    },
    'cache.conversation': async ({ conversationId }) => {
      const c = need();
      const id = me();
      const queued = [...c.outbox.pending(id), ...c.outbox.rejected(id)].filter((i) => i.conversationId === conversationId);
      return {
        conversation: c.conversations.get(conversationId),
        messages: c.messages.forConversation(conversationId, 500),
        outbox: queued.sort((a, b) => a.id - b.id).map(entryOf),
        draft: c.drafts.get(id, conversationId)?.content ?? null,
      };
    },
    'drafts.get': async ({ conversationId }) => need().drafts.get(me(), conversationId),
    'drafts.save': async ({ conversationId, content }) => {
      const savedAt = ctx.clock.now().toISOString();
      need().drafts.save(me(), conversationId, content, savedAt);
      return { savedAt };
    },
    'outbox.reply': async ({ conversationId, content, clientMsgId }) => {
      need();
      const o = await offline!.api.outbox.reply(conversationId, content, clientMsgId);
      // The draft has become a reply: it is in the outbox now, so the composer starts empty.
      offline!.api.cache.drafts.save(me(), conversationId, '', ctx.clock.now().toISOString());
      return { ...outcome(o), clientMsgId: o.clientMsgId };
    },
    'outbox.claim': async ({ conversationId }) => {
      need();
      return outcome(await offline!.api.outbox.claim(conversationId));
    },
    'outbox.resolve': async ({ conversationId, ...args }) => {
      need();
      return outcome(await offline!.api.outbox.resolve(conversationId, args));
    },
    'outbox.list': async () => {
      const c = need();
      const id = me();
      return { entries: [...c.outbox.pending(id), ...c.outbox.rejected(id)].sort((a, b) => a.id - b.id).map(entryOf) };
    },
    'outbox.retry': async () => {
      need();
      await offline!.api.outbox.flush();
      return counts();
    },
    'outbox.dismiss': async ({ id }) => {
      need().outbox.dismiss(id);
      const c = counts();
      ctx.events.emit('outbox.changed', c);
      return c;
    },
  };
}
