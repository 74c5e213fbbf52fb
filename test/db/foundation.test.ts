import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, loadMigrations } from '../../src/db/migrate';
import { seedDemo, DEMO_OPERATORS } from '../../src/db/demo-seed';
import type { SharedDb } from '../../src/core/ports/shared-db';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { freshPgDatabase, freshPglite } from './../support/pg';

// The same cases on the real PostgreSQL and on the embedded PGlite.
const adapters: Array<[string, () => Promise<{ db: SharedDb & { executor: SqlExecutor }; done(): Promise<void> }>]> = [
  ['postgres', async () => { const f = await freshPgDatabase(); return { db: f.db, done: f.drop }; }],
  ['pglite', async () => { const db = await freshPglite(); return { db, done: () => db.close() }; }],
];

describe.each(adapters)('foundation schema on %s', (_name, open) => {
  let ctx: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    ctx = await open();
    await seedDemo(ctx.db.executor);
  });
  afterAll(async () => { await ctx?.done(); });

  it('records every migration and is idempotent on a second run', async () => {
    const again = await migrate(ctx.db.executor);
    expect(again.applied).toEqual([]);
    expect(again.version).toBe(loadMigrations().at(-1)!.version);
  });

  it('refuses a database migrated by a newer version, with a clear message', async () => {
    const future = 9999;
    await ctx.db.executor.query('insert into desk_schema_migrations(version, name) values ($1, $2)', [future, 'from_the_future']);
    try {
      await expect(migrate(ctx.db.executor)).rejects.toMatchObject({ code: 'database_too_new' });
    } finally {
      await ctx.db.executor.query('delete from desk_schema_migrations where version = $1', [future]);
    }
  });

  it('shows a signed-in operator the demo bots with their queue counts', async () => {
    const marie = { kind: 'operator' as const, operatorId: DEMO_OPERATORS[0].id };
    const rows = await ctx.db.rpc<{ name: string; waiting: number }>('desk_overview', {}, marie);
    expect(rows.map((r) => r.name).sort()).toEqual(['Botlive Commandes', 'Support BTP']);
    expect(rows.every((r) => typeof r.waiting === 'number')).toBe(true);
  });

  it('refuses the operator directory and whoami to anonymous callers', async () => {
    await expect(ctx.db.rpc('desk_operator_directory', {}, { kind: 'anon' })).rejects.toThrow(/permission denied/);
    await expect(ctx.db.rpc('desk_whoami', {}, { kind: 'operator', operatorId: '00000000-0000-4000-8000-0000000000ff' }))
      .rejects.toThrow(/^not_operator/);
  });
});
