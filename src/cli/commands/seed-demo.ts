import { connect, configFromEnv } from '../../db/connect';
import { seedDemo } from '../../db/demo-seed';
import { parse } from '../args';

export const summary = 'seed-demo [--database-url URL] [--data-dir DIR]   demo bots, knowledge, templates, operators';

export async function run(argv: string[]): Promise<number> {
  const flags = parse(argv, { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } });
  const config = configFromEnv(process.env, { databaseUrl: flags['database-url'], dataDir: flags['data-dir'], seedDemoIfEmpty: false });
  const { db, executor } = await connect(config);
  try {
    if (!executor) throw new Error('seed-demo needs a direct or embedded database (not Supabase)');
    await seedDemo(executor);
    console.log('demo workspace ready: operators marie@example.com (supervisor) and pierre@example.com');
    return 0;
  } finally {
    await db.close();
  }
}
