import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thin wrapper so every subcommand reports a bad flag the same way: one line, exit code 2. */
export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
