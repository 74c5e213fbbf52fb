import { DeskError } from '../shared/errors';
import { UsageError } from './args';

interface Subcommand { summary: string; run(argv: string[]): Promise<number> }

// Loaded on demand so `desk intent` does not pay for the console's dependencies.
const subcommands: Record<string, () => Promise<Subcommand>> = {
  serve: () => import('./commands/serve'),
  migrate: () => import('./commands/migrate'),
  'seed-demo': () => import('./commands/seed-demo'),
  evaluate: () => import('./commands/evaluate'),
  intent: () => import('./commands/intent'),
  engine: () => import('./commands/engine'),
};

async function usage(): Promise<string> {
  const lines = await Promise.all(Object.values(subcommands).map(async (load) => `  desk ${(await load()).summary}`));
  return `Usage:\n${lines.join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const load = subcommands[name];
  if (!load) {
    console.error(`desk: unknown command "${name}"\n${await usage()}`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError) { console.error(`desk ${name}: ${err.message}`); return 2; }
    if (err instanceof DeskError) { console.error(`desk ${name}: ${err.code}: ${err.message}`); return 1; }
    console.error(`desk ${name}: ${(err as Error).stack ?? err}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
