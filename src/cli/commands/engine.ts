import { connect, configFromEnv } from '../../db/connect';
import { startEngineHost } from '../../core/engine/host';
import { systemClock } from '../../core/ports/clock';
import { parse, UsageError } from '../args';

export const summary = 'engine [--database-url URL] [--demo]   the escalation engine alone, no console (for when no desktop is open)';

export async function run(argv: string[]): Promise<number> {
  const flags = parse(argv, { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' }, demo: { type: 'boolean' } });
  const config = configFromEnv(process.env, { databaseUrl: flags['database-url'], dataDir: flags['data-dir'], seedDemoIfEmpty: flags.demo ? true : undefined });
  if (config.supabase && !config.databaseUrl) {
    throw new UsageError('the headless engine needs a direct connection (--database-url or DATABASE_URL): over Supabase it runs inside a signed-in desktop');
  }
  const { db } = await connect(config);
  const log = (level: string, message: string, fields?: Record<string, unknown>) =>
    console.error(`[${level}] ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
  const engine = startEngineHost({ demo: flags.demo === true }, { db, clock: systemClock, log, operatorIdentity: () => null });
  console.log(`Handoff Desk engine running on ${db.kind} database (only the lease holder acts)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await engine.stop();
  await db.close();
  return 0;
}
