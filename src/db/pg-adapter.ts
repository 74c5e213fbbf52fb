import pg from 'pg';
import type { Identity, SharedDb } from '../core/ports/shared-db';
import { FEED_CHANNEL, wakeupOf, type Wakeup } from './feed-wakeup';
import { Listeners } from './listeners';
import { buildInlineRpc } from './rpc-sql';
import type { SqlExecutor, SqlTx } from './sql-executor';

// bigint ids stay numbers in JSON (to_jsonb) already; int8 columns read directly are parsed too.
pg.types.setTypeParser(20, (v) => Number(v));

function txOf(client: pg.PoolClient | pg.Client): SqlTx {
  return {
    query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[])).rows }),
    exec: async (sql) => { await client.query(sql); },
  };
}

/**
 * Runs fn on a checked-out client. A link cut while the client is out is an
 * 'error' event on it: unheard, it would crash the host. On failure the
 * transaction is rolled back, and a client that cannot even roll back is dead:
 * destroyed rather than handed to the next caller.
 */
async function onClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (err) {
    await client.query('rollback').catch((e: Error) => { broken = e; });
    throw err;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

/**
 * One query string on a checked-out client, with no transaction of ours
 * around it. An error the server reports ends the string's implicit
 * transaction by itself, so the connection is clean and goes back to the
 * pool; a cut link or an error that ended the session destroys it.
 */
async function queryOnce(pool: pg.Pool, sql: string): Promise<unknown> {
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    return await client.query(sql);
  } catch (err) {
    // FATAL and PANIC end the session (terminated backend, shutdown): that connection is gone too.
    if (!(err instanceof pg.DatabaseError) || err.severity === 'FATAL' || err.severity === 'PANIC') broken = err as Error;
    throw err;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}

export function pgExecutor(pool: pg.Pool): SqlExecutor {
  return {
    query: async (sql, params) => ({ rows: (await pool.query(sql, params as unknown[])).rows }),
    transaction: (fn) => onClient(pool, async (client) => {
      await client.query('begin');
      const out = await fn(txOf(client));
      await client.query('commit');
      return out;
    }),
  };
}

export interface PgAdapterOptions {
  connectionString: string;
  poolSize?: number;
  /** Reconnect delays for the LISTEN connection, in ms; doubles up to the max. */
  backoff?: { initial: number; max: number };
}

/**
 * A Postgres server. Queries go through a pool; wake-ups come from LISTEN on
 * one dedicated connection that reconnects with backoff. Every reconnect is
 * reported as a link change so the sync layer catches up from its last seq.
 */
export class PgSharedDb implements SharedDb {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly executor: SqlExecutor;
  private wake = new Listeners<Wakeup>();
  private link = new Listeners<[boolean, string | undefined]>();
  private listener: pg.Client | null = null;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private delay: number;
  private publishing: Promise<void> | null = null;
  private publishNext: Promise<void> | null = null;

  constructor(private opts: PgAdapterOptions) {
    // Idle connections are kept for minutes, not pg's default 10 s: a new one costs a connect and
    // recompiling the SQL functions' plans, which the first escalation after a quiet spell would pay.
    this.pool = new pg.Pool({ connectionString: opts.connectionString, max: opts.poolSize ?? 5, idleTimeoutMillis: 300_000, allowExitOnIdle: true });
    // An idle client dying (server restart) must not crash the host; the next query reconnects.
    this.pool.on('error', () => {});
    this.executor = pgExecutor(this.pool);
    this.delay = opts.backoff?.initial ?? 250;
  }

  async rpc<T>(fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]> {
    const sql = buildInlineRpc(fn, args, as);
    const results = (await queryOnce(this.pool, sql)) as unknown as Array<pg.QueryResult<{ v: T; deferred: boolean }>>;
    const call = results[results.length - 1];
    // The promise of desk.publish_after_commit, kept right after the answer: the caller has its result at
    // commit, as before, and everyone else gets the events a publish later. close() waits for it.
    if (call.rows[0]?.deferred) void this.publish();
    return call.rows.map((r) => r.v);
  }

  /**
   * Moves committed deferred events into the feed (desk_feed_publish, 0056).
   * One run at a time per host: calls that commit while a run is under way
   * share the next run, which starts after their commits, so 50 take-overs
   * at once cost a few publishes, not 50 queued on the feed lock. A failure
   * is not the call's: its events wait in the inbox for the next publish or
   * any desktop's next heartbeat.
   */
  private publish(): Promise<void> {
    if (this.publishing) return (this.publishNext ??= this.publishing.then(() => this.publish()));
    const run = this.pool.query('select public.desk_feed_publish()').then(() => {}, () => {});
    this.publishing = run.finally(() => { this.publishing = null; this.publishNext = null; });
    return this.publishing;
  }

  onWake(listener: (...wakeup: Wakeup) => void): () => void {
    const off = this.wake.add(listener);
    if (!this.listener && !this.retryTimer) void this.connectListener();
    return off;
  }

  onLinkChange(listener: (up: boolean, detail?: string) => void): () => void {
    return this.link.add(listener);
  }

  private async connectListener(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.opts.connectionString });
    const fail = (err: Error) => {
      if (this.listener === client) this.listener = null;
      client.removeAllListeners();
      client.end().catch(() => {});
      if (this.closed) return;
      this.link.emit(false, err.message);
      this.retryTimer = setTimeout(() => { this.retryTimer = null; void this.connectListener(); }, this.delay);
      this.delay = Math.min(this.delay * 2, this.opts.backoff?.max ?? 10_000);
    };
    client.on('error', fail);
    client.on('end', () => { if (this.listener === client) fail(new Error('connection ended')); });
    client.on('notification', (n) => this.wake.emit(...wakeupOf(n.payload)));
    try {
      await client.connect();
      await client.query(`listen ${FEED_CHANNEL}`);
      if (this.closed) { await client.end(); return; }
      this.listener = client;
      this.delay = this.opts.backoff?.initial ?? 250;
      this.link.emit(true, undefined);
      // Anything committed while we were away is pulled by the catch-up this wake-up triggers.
      this.wake.emit();
    } catch (err) {
      fail(err as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const l = this.listener;
    this.listener = null;
    if (l) { l.removeAllListeners(); l.on('error', () => {}); await l.end().catch(() => {}); }
    await (this.publishNext ?? this.publishing);
    await this.pool.end().catch(() => {});
  }
}
