import { PGlite } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Identity, SharedDb } from '../core/ports/shared-db';
import { Listeners } from './listeners';
import { FEED_CHANNEL, wakeupOf, type Wakeup } from './feed-wakeup';
import { rpcIn } from './rpc-sql';
import type { SqlExecutor } from './sql-executor';

/**
 * The embedded database: Postgres compiled to WebAssembly, stored in the user
 * data folder, so a new operator gets a working console with no server.
 * It is single-connection and in-process, so NOTIFY reaches only this host.
 */
export class PgliteSharedDb implements SharedDb {
  readonly kind = 'embedded' as const;
  readonly executor: SqlExecutor;
  private wake = new Listeners<Wakeup>();
  private link = new Listeners<[boolean, string | undefined]>();
  private unlisten: Promise<() => Promise<void>> | null = null;

  private constructor(readonly pglite: PGlite) {
    this.executor = {
      query: async (sql, params) => ({ rows: (await pglite.query(sql, params as unknown[])).rows as never[] }),
      transaction: (fn) => pglite.transaction((tx) => fn({
        query: async (sql, params) => ({ rows: (await tx.query(sql, params as unknown[])).rows as never[] }),
        exec: async (sql) => { await tx.exec(sql); },
      })),
    };
  }

  /** dataDir undefined = in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteSharedDb> {
    const pglite = await PGlite.create(dataDir, { extensions: { unaccent } });
    return new PgliteSharedDb(pglite);
  }

  rpc<T>(fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]> {
    return this.executor.transaction((tx) => rpcIn<T>(tx, fn, args, as));
  }

  onWake(listener: (...wakeup: Wakeup) => void): () => void {
    const off = this.wake.add(listener);
    if (!this.unlisten) {
      this.unlisten = this.pglite.listen(FEED_CHANNEL, (payload) => this.wake.emit(...wakeupOf(payload)));
      // Like the other adapters, report the link once listening, so followers catch up from their seq.
      void this.unlisten.then(() => { this.link.emit(true, undefined); this.wake.emit(); }, (err: Error) => this.link.emit(false, err.message));
    }
    return off;
  }

  onLinkChange(listener: (up: boolean, detail?: string) => void): () => void {
    // In-process: the link is up for as long as the database is open.
    return this.link.add(listener);
  }

  async close(): Promise<void> {
    if (this.unlisten) await (await this.unlisten)().catch(() => {});
    await this.pglite.close();
  }
}
