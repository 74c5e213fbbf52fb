import { createDispatcher, EventHub, type Handlers, type Log } from './api/dispatch';
import { sessionHandlers } from './api/session-handlers';
import { consoleModule } from './alerts/console-module';
import type { CoreContext } from './context';
import type { Authenticator } from './ports/auth';
import { systemClock, type Clock } from './ports/clock';
import type { SharedDb } from './ports/shared-db';
import { Session } from './session';
import { FeedSync } from './sync/feed';

export interface CoreOptions {
  db: SharedDb;
  auth: Authenticator;
  clock?: Clock;
  log?: Log;
  /** Sign this operator in at start (direct or embedded database only). */
  operatorEmail?: string;
}

/**
 * The host-agnostic core: one handler map, one event hub, the feed. Electron
 * and the Node host both build exactly this and only move its messages.
 */
export function createCore(opts: CoreOptions) {
  const clock = opts.clock ?? systemClock;
  const log: Log = opts.log ?? (() => {});
  const events = new EventHub();
  const session = new Session(opts.db, opts.auth);

  const feed = new FeedSync({
    db: opts.db,
    clock,
    identity: () => session.identity(),
    onEvents: (batch) => {
      const kinds = [...new Set(batch.map((e) => e.entity))];
      events.emit('feed.changed', { seq: batch[batch.length - 1].seq, kinds });
    },
    onState: (state) => events.emit('connection.changed', state),
  });

  const ctx: CoreContext = { db: opts.db, session, clock, events, log, connection: () => feed.connection };

  const consoleParts = consoleModule(ctx);
  let stopConsole = () => {};
  const handlers: Handlers = {
    ...sessionHandlers(ctx),
    ...consoleParts.handlers,
  };

  session.onChange(() => {
    events.emit('session.changed', { operator: session.operator, signIn: session.method, connection: feed.connection });
    void feed.pull();
  });

  return {
    ctx,
    events,
    invoke: createDispatcher(handlers, log),
    async start() {
      if (opts.operatorEmail) await session.signIn(opts.operatorEmail);
      feed.start();
      stopConsole = consoleParts.start();
    },
    async stop() {
      stopConsole();
      feed.stop();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
