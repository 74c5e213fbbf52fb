import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/create-core';
import { seedDemo } from '../../src/db/demo-seed';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { freshPglite } from '../support/pg';
import { waitFor } from '../support/wait';

/** An operator opening the app waits for the queue; the engine's start-up replay waits for it in turn. */
describe('host start-up order', () => {
  let db: PgliteSharedDb;
  let core: Core;
  beforeAll(async () => { db = await freshPglite(); await seedDemo(db.executor); });
  afterAll(async () => { await core?.stop(); await db.close(); });

  const holder = async () => (await db.executor.query<{ holder: string | null }>(
    `select holder from engine_leases where name = 'engine'`)).rows[0]?.holder ?? null;

  it('the engine starts once the console has its first queue read, and the page has had a moment to paint it', async () => {
    core = createCore({ db, auth: pickAuthenticator(db), operatorEmail: 'marie@example.com', engine: { demo: false } });
    await core.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(await holder()).toBeNull();
    expect(await core.invoke('queue.list', { tab: 'waiting', limit: 60 })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(await holder()).toBeNull();
    await waitFor(async () => (await holder()) !== null, 10_000, 'the engine taking the lead');
  });
});
