import { PgSharedDb } from '../../db/pg-adapter';
import { migrate } from '../../db/migrate';
import { parse, UsageError } from '../args';

export const summary = 'migrate --database-url URL   apply the SQL migrations to a Postgres server';

export async function run(argv: string[]): Promise<number> {
  const flags = parse(argv, { 'database-url': { type: 'string' } });
  const url = flags['database-url'] ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('migrate needs --database-url URL (or DATABASE_URL)');
  const db = new PgSharedDb({ connectionString: url, poolSize: 1 });
  try {
    const report = await migrate(db.executor);
    console.log(report.applied.length ? `applied ${report.applied.join(', ')}` : 'already up to date');
    console.log(`schema version ${report.version}`);
    return 0;
  } finally {
    await db.close();
  }
}
