import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase } from '../support/pg';
import { PROJECT_ROOT } from '../support/desk-host';
import pg from 'pg';

function desk(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'desk.js'), ...args], {
    cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 60_000,
  });
}

describe('the desk command', () => {
  let target: Awaited<ReturnType<typeof freshPgDatabase>>;
  let emptyUrl: string;
  beforeAll(async () => {
    target = await freshPgDatabase('desk_cli');
    // A second, empty database for `migrate` to set up from nothing.
    emptyUrl = target.url.replace(/\/(\w+)$/, '/$1_empty');
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`create database ${new URL(emptyUrl).pathname.slice(1)}`);
    await admin.end();
  });
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`drop database if exists ${new URL(emptyUrl).pathname.slice(1)} with (force)`);
    await admin.end();
    await target.drop();
  });

  it('explains itself and refuses unknown commands and flags with exit code 2', () => {
    const unknown = desk(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('desk serve');
    const badFlag = desk(['serve', '--no-such-flag']);
    expect(badFlag.status).toBe(2);
    expect(badFlag.stderr).toMatch(/desk serve: .*no-such-flag/);
  });

  it('migrates a Postgres server, then finds nothing to do the second time', () => {
    const first = desk(['migrate', '--database-url', emptyUrl]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/applied 0001_identity/);
    const second = desk(['migrate', '--database-url', emptyUrl]);
    expect(second.stdout).toContain('already up to date');
    expect(second.status).toBe(0);
  });

  it('seeds the demo workspace idempotently', async () => {
    for (let i = 0; i < 2; i++) expect(desk(['seed-demo', '--database-url', target.url]).status).toBe(0);
    const { rows } = await target.db.executor.query<{ email: string }>('select email from operators order by email');
    expect(rows.map((r) => r.email)).toEqual(['marie@example.com', 'pierre@example.com']);
  });
});
