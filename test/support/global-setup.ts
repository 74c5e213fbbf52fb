import pg from 'pg';
import { ADMIN_URL } from './pg';

/**
 * The data-layer suites need the real PostgreSQL. Without it the run fails
 * here, loudly, instead of skipping them and reporting green.
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the test suite and is unreachable at ${ADMIN_URL}: ${(err as Error).message}\n` +
      'Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  } finally {
    await client.end().catch(() => {});
  }
}
