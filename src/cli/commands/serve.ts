import { connect, configFromEnv } from '../../db/connect';
import { createCore } from '../../core/create-core';
import { openHostCache } from '../../cache/host';
import { ensureConsoleBuilt } from '../../server/renderer-build';
import { startHttpHost } from '../../server/http-host';
import { parse, UsageError } from '../args';

export const summary =
  'serve [--port N] [--data-dir DIR] [--database-url URL] [--operator EMAIL] [--demo]   the console in a browser';

export async function run(argv: string[]): Promise<number> {
  const flags = parse(argv, {
    port: { type: 'string' }, 'data-dir': { type: 'string' }, 'database-url': { type: 'string' },
    operator: { type: 'string' }, demo: { type: 'boolean' },
  });
  const port = flags.port === undefined ? 4780 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got ${flags.port}`);

  const config = configFromEnv(process.env, {
    databaseUrl: flags['database-url'], dataDir: flags['data-dir'], seedDemoIfEmpty: flags.demo ? true : undefined,
  });
  const { staticDir, firstScreen } = await ensureConsoleBuilt();
  const { db, auth } = await connect(config);
  const log = (level: string, message: string, fields?: Record<string, unknown>) =>
    console.error(`[${level}] ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
  const cache = openHostCache(config.dataDir, log);
  // Every host runs the engine (only the lease holder acts); the demo bot runs with --demo and in the embedded default.
  const demo = flags.demo === true || (!config.databaseUrl && !config.supabase);
  const core = createCore({ db, auth, log, operatorEmail: flags.operator, cache, engine: { demo } });
  await core.start();
  const host = await startHttpHost({ core, staticDir, firstScreen, port, log: (m) => log('warn', m) });
  console.log(`Handoff Desk console: ${host.url}`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await core.stop();
  await db.close();
  cache.close();
  return 0;
}
