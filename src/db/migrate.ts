import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeskError } from '../shared/errors';
import type { SqlExecutor } from './sql-executor';

export interface Migration { version: number; name: string; sql: string }

const here = dirname(fileURLToPath(import.meta.url));
/** Where the SQL files live: beside this module in the source tree, copied beside the bundle in a build. */
export const MIGRATIONS_DIR = join(here, 'migrations');

/**
 * Reads `NNNN_name.sql` files in ascending order. Numbers are grouped by area
 * (0001-0009 schema and SQL API, 0010s engine, 0020s suggestions, 0030s
 * console, 0040s cache, 0050s later revisions of functions defined earlier), so
 * gaps are expected; a duplicate number is a packaging bug.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const version = Number(file.slice(0, 4));
    if (seen.has(version)) throw new Error(`two migrations share the number ${file.slice(0, 4)}`);
    seen.add(version);
    return { version, name: file.slice(5, -4), sql: readFileSync(join(dir, file), 'utf8') };
  });
}

export interface MigrationReport { applied: string[]; version: number }

// Any fixed number works; it only has to be the same for every host that migrates this database.
const MIGRATION_LOCK = 7_204_113;

/**
 * Applies pending migrations, forward only, each recorded in
 * desk_schema_migrations. Many hosts may start at once: a transaction-level
 * advisory lock lets one migrate while the others wait and then find nothing
 * to do. A database migrated by a newer version is refused, never downgraded.
 */
export async function migrate(db: SqlExecutor, migrations = loadMigrations()): Promise<MigrationReport> {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`create table if not exists public.desk_schema_migrations (
      version int primary key, name text not null, applied_at timestamptz not null default now())`);
    const { rows } = await tx.query<{ v: number | null }>('select max(version) as v from public.desk_schema_migrations');
    const current = Number(rows[0]?.v ?? 0);
    if (current > latest) {
      throw new DeskError(
        'database_too_new',
        `This database was set up by a newer Handoff Desk (schema ${current}, this version knows ${latest}). Update Handoff Desk; the database was not changed.`,
        { current, latest },
      );
    }
    const applied: string[] = [];
    for (const m of migrations.filter((m) => m.version > current)) {
      await tx.exec(m.sql);
      await tx.query('insert into public.desk_schema_migrations(version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
    }
    return { applied, version: Math.max(current, latest) };
  });
}
