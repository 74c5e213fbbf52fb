import type { Handlers } from './api/dispatch';
import { alertsHandlers } from './api/alerts-handlers';
import { conversationHandlers } from './api/conversation-handlers';
import { presenceHandlers } from './api/presence-handlers';
import { queueHandlers } from './api/queue-handlers';
import type { CoreContext } from './context';
import { PresenceService } from './presence';
import { AlertService } from './alerts/service';
import type { FeedEvent } from './ports/shared-db';
import { queueChangesOf } from './queue/feed-changes';

type ConsoleHandlers = Pick<Handlers,
  | 'queue.list' | 'queue.summary' | 'queue.rows' | 'presence.get' | 'presence.set'
  | 'alerts.acknowledge' | 'alerts.settings' | 'alerts.configure'
  | 'conversation.get' | 'conversation.claim' | 'conversation.release' | 'conversation.setBotEnabled'
  | 'conversation.reply' | 'conversation.resolve' | 'conversation.templates'>;

/** The operator console's part of the core: its handlers, the presence heartbeat and the alert routing. */
export function consoleModule(ctx: CoreContext, opts: { heartbeatMs?: number; repeatMs?: number } = {}) {
  const presence = new PresenceService(ctx.db, ctx.session, ctx.events, ctx.log, opts.heartbeatMs);
  const alerts = new AlertService({
    db: ctx.db, session: ctx.session, events: ctx.events, log: ctx.log,
    presence: () => presence.status, repeatMs: opts.repeatMs,
  });
  const handlers: ConsoleHandlers = {
    ...queueHandlers(ctx),
    ...conversationHandlers(ctx, { claimed: (id) => alerts.noteClaimed(id) }),
    ...presenceHandlers(presence),
    ...alertsHandlers(alerts),
  };
  return {
    handlers, presence, alerts,
    /** Each feed batch: tell the console which rows to patch (ids only; it fetches them with queue.rows). */
    onFeed(batch: FeedEvent[]): void {
      const changes = queueChangesOf(batch);
      if (changes) ctx.events.emit('queue.changed', changes);
    },
    /** Starts the heartbeat and the alert watch; returns the stop. */
    start(): () => void {
      const offs = [presence.start(), alerts.start()];
      return () => offs.forEach((off) => off());
    },
  };
}
