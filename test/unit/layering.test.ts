import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

describe('layer rule (DESIGN.md §2)', () => {
  it.each([
    ['src/core/engine/x.ts', "import { app } from 'electron';", /only main\/ and preload\//],
    ['src/renderer/x.ts', "import pg from 'pg';", /only db\//],
    ['src/renderer/x.ts', "import { readFileSync } from 'node:fs';", /never imports Node/],
    ['src/renderer/x.ts', "import { createCore } from '../core/create-core';", /shared\/ only/],
    ['src/core/x.ts', "import { PgSharedDb } from '../db/pg-adapter';", /ports only/],
    ['src/core/x.ts', "import Database from 'better-sqlite3';", /only cache\//],
    ['src/shared/x.ts', "import { Session } from '../core/session';", /imports nothing of ours/],
    ['src/db/x.ts', "import Database from 'better-sqlite3';", /only cache\//],
    ['src/renderer/x.ts', "import { PRESENCE_STATUSES } from '../shared/domain';", /import only types from the zod schema modules/],
  ])('refuses %s: %s', async (file, code, message) => {
    const errors = await importErrors(file, code);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each([
    ['src/main/x.ts', "import { app } from 'electron';"],
    ['src/db/x.ts', "import pg from 'pg';"],
    ['src/cache/x.ts', "import Database from 'better-sqlite3';"],
    ['src/core/x.ts', "import { commands } from '../shared/contract';"],
    ['src/renderer/x.ts', "import type { CommandName } from '../shared/contract';"],
    ['src/renderer/x.ts', "import { PRESENCE_STATUSES } from '../shared/values';"],
    ['src/server/x.ts', "import { createCore } from '../core/create-core';"],
  ])('allows %s: %s', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([]);
  });
});
