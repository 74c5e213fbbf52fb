import { createDispatcher, EventHub, type Handlers, type Log } from './api/dispatch';
import { sessionHandlers } from './api/session-handlers';
import { consoleModule } from './console-module';
import type { CoreContext } from './context';
import type { Authenticator } from './ports/auth';
import { systemClock, type Clock } from './ports/clock';
import type { SharedDb } from './ports/shared-db';
import { Session } from './session';
import { FeedSync } from './sync/feed';
import type { LocalCache } from './ports/local-cache';
import { offlineModule } from './sync/offline';
import { cacheHandlers } from './api/cache-handlers';
import { startEngineHost, type EngineHostOptions } from './engine/host';
import { suggestHandlers } from './api/suggest-handlers';
import { trainingHandlers } from './api/training-handlers';

export interface CoreOptions {
  db: SharedDb;
  auth: Authenticator;
  clock?: Clock;
  log?: Log;
  /** Sign this operator in at start (direct or embedded database only). */
  operatorEmail?: string;
  /** The offline cache (src/cache); absent = everything needs the network. */
  cache?: LocalCache;
  /** Run the escalation engine in this host (only the lease holder acts), optionally with the demo bot. */
  engine?: EngineHostOptions;
}

/** How long the engine waits at start for the console's first queue read before starting anyway. */
const FIRST_SCREEN_GRACE_MS = 1_500;
/** After that read the page still has to run its scripts and paint the list; the engine gives it this long. */
const FIRST_PAINT_MS = 500;

/**
 * The host-agnostic core: one handler map, one event hub, the feed. Electron
 * and the Node host both build exactly this and only move its messages.
 */
export function createCore(opts: CoreOptions) {
  const clock = opts.clock ?? systemClock;
  const log: Log = opts.log ?? (() => {});
  const events = new EventHub();
  const session = new Session(opts.db, opts.auth);

  const offline = opts.cache
    ? offlineModule({ cache: opts.cache, db: opts.db, session, clock, events, log, newId: () => crypto.randomUUID() })
    : null;

  const feed = new FeedSync({
    db: opts.db,
    clock,
    identity: offline ? offline.feedIdentity : () => session.identity(),
    startSeq: opts.cache?.feed.lastSeq(),
    onEvents: (batch) => {
      offline?.record(batch);
      const kinds = [...new Set(batch.map((e) => e.entity))];
      events.emit('feed.changed', { seq: batch[batch.length - 1].seq, kinds });
      consoleParts.onFeed(batch);
    },
    onState: (state) => {
      events.emit('connection.changed', state);
      offline?.onConnection(state);
    },
  });

  const ctx: CoreContext = { db: opts.db, session, clock, events, log, connection: () => feed.connection, offline: offline?.api };
  /** Adopt (or refill) the cache for whoever is signed in, then follow the feed from where the cache is. */
  const resync = () => {
    if (!offline) return void feed.pull();
    void offline.signedIn()
      .then((seq) => { feed.resetTo(seq); return feed.pull(); })
      .catch((err) => log('error', 'offline cache sync failed', { error: err instanceof Error ? err.message : String(err) }));
  };

  const consoleParts = consoleModule(ctx);
  let stopConsole = () => {};
  let engine: ReturnType<typeof startEngineHost> | null = null;
  let stopped = false;
  /**
   * The engine waits for the console's first queue read (or a short grace):
   * taking the lead replays the feed's recent window, and on a small machine
   * that competed with the very read an operator opening the app waits for.
   */
  let firstScreen = () => {};
  const firstScreenShown = new Promise<void>((resolve) => { firstScreen = resolve; });
  let painting = false;
  /** Once, after the first queue read: the paint's head start, not a timer per read. */
  const paintSoon = () => {
    if (painting) return;
    painting = true;
    setTimeout(firstScreen, FIRST_PAINT_MS).unref?.();
  };
  const listQueue = consoleParts.handlers['queue.list'];
  const handlers: Handlers = {
    ...sessionHandlers(ctx),
    ...consoleParts.handlers,
    'queue.list': (input) => listQueue(input).finally(paintSoon),
    ...cacheHandlers(ctx, offline, resync),
    ...suggestHandlers(ctx),
    ...trainingHandlers(ctx),
  };

  session.onChange(() => {
    events.emit('session.changed', { operator: session.operator, signIn: session.method, connection: feed.connection });
    resync();
  });

  return {
    ctx,
    events,
    invoke: createDispatcher(handlers, log),
    async start() {
      if (opts.operatorEmail) await session.signIn(opts.operatorEmail);
      if (opts.cache?.reset) events.emit('cache.reset', opts.cache.reset);
      feed.start();
      stopConsole = consoleParts.start();
      setTimeout(firstScreen, FIRST_SCREEN_GRACE_MS).unref?.();
      const engineOpts = opts.engine;
      if (engineOpts) {
        void firstScreenShown.then(() => {
          if (!stopped) engine = startEngineHost(engineOpts, { db: opts.db, clock, log, operatorIdentity: () => session.identity() });
        });
      }
    },
    async stop() {
      stopped = true;
      await engine?.stop();
      stopConsole();
      offline?.stop();
      feed.stop();
    },
  };
}

export type Core = ReturnType<typeof createCore>;
