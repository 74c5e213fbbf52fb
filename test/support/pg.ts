import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { PgSharedDb } from '../../src/db/pg-adapter';
import { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { migrate } from '../../src/db/migrate';

/** The test server of DESIGN.md §7. PG_TEST_URL overrides it (a database the tests may create databases in). */
export const ADMIN_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh, migrated database on the real PostgreSQL for one suite, dropped at
 * the end. Suites never share data, so they can run in parallel.
 */
export async function freshPgDatabase(prefix = 'desk_test'): Promise<{ url: string; db: PgSharedDb; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const db = new PgSharedDb({ connectionString: url, poolSize: 10, backoff: { initial: 50, max: 500 } });
  await migrate(db.executor);
  return {
    url, db,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      try { await a.query(`drop database if exists ${name} with (force)`); } finally { await a.end(); }
    },
  };
}

/** A migrated in-memory PGlite for one suite. */
export async function freshPglite(): Promise<PgliteSharedDb> {
  const db = await PgliteSharedDb.open();
  await migrate(db.executor);
  return db;
}
