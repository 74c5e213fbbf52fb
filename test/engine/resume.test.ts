import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineRunner } from '../../src/core/engine/engine-runner';
import { systemClock } from '../../src/core/ports/clock';
import type { SharedDb } from '../../src/core/ports/shared-db';
import { DEMO_OPERATORS, seedDemo } from '../../src/db/demo-seed';
import type { PgSharedDb } from '../../src/db/pg-adapter';
import { freshPgDatabase } from '../support/pg';
import { waitFor } from '../support/wait';
import { lowScoreConversation, onlineWithRoom } from '../support/engine';

const SERVICE = { kind: 'service' as const };
const MARIE = DEMO_OPERATORS[0].id;

/**
 * When the leader's desktop closes, the next leader must be able to handle a
 * new escalation at once: it resumes after what the last leader recorded as
 * handled, instead of replaying the feed's whole recent window first.
 */
describe('a new engine leader resumes where the last one got to', () => {
  let f: Awaited<ReturnType<typeof freshPgDatabase>>;
  let db: PgSharedDb;
  beforeAll(async () => {
    f = await freshPgDatabase('desk_engine_resume');
    db = f.db;
    await seedDemo(db.executor);
    await onlineWithRoom(db.executor, MARIE);
  });
  afterAll(async () => { await f?.drop(); });

  const escalate = (session: string) => lowScoreConversation(db, session);
  const assigned = async (id: number) => (await db.executor.query<{ a: string | null }>(
    'select assigned_admin_id a from support_conversations where id = $1', [id])).rows[0].a === MARIE;

  it('records its progress, and the next leader reads the feed only from there', async () => {
    const first = new EngineRunner({ db, identity: () => SERVICE, clock: systemClock, holder: 'desktop-a', renewMs: 100, log: () => {} });
    first.start();
    await waitFor(async () => first.isLeader);
    const before = await Promise.all([1, 2, 3].map((i) => escalate(`a-${i}`)));
    await waitFor(async () => (await Promise.all(before.map(assigned))).every(Boolean));
    await waitFor(async () => (await db.rpc<number>('engine_handled_seq', {}, SERVICE))[0] >= first.lastSeq && first.lastSeq > 0);
    const handled = first.lastSeq;
    await first.stop(true);

    const readsFrom: number[] = [];
    const watched: SharedDb = {
      kind: db.kind,
      rpc: (fn, args, as) => {
        if (fn === 'desk_events_since') readsFrom.push(Number(args.p_seq));
        return db.rpc(fn, args, as);
      },
      onWake: (l) => db.onWake(l),
      onLinkChange: (l) => db.onLinkChange(l),
      close: async () => {},
    };
    const next = new EngineRunner({ db: watched, identity: () => SERVICE, clock: systemClock, holder: 'desktop-b', log: () => {} });
    next.start();
    try {
      await waitFor(async () => next.isLeader);
      await next.drain();
      expect(readsFrom.length).toBeGreaterThan(0);
      expect(Math.min(...readsFrom)).toBeGreaterThanOrEqual(handled);
      const later = await escalate('b-1');
      await waitFor(() => assigned(later));
    } finally {
      await next.stop(true);
    }
  });

  it('refuses progress from a holder whose lease has passed to someone else', async () => {
    const [token] = await db.rpc<number>('engine_acquire_lease', { p_name: 'other', p_holder: 'x', p_ttl_seconds: 30 }, SERVICE);
    await db.rpc('engine_note_progress', { p_token: token, p_seq: 5, p_lease: 'other' }, SERVICE);
    await expect(db.rpc('engine_note_progress', { p_token: token - 1, p_seq: 9, p_lease: 'other' }, SERVICE)).rejects.toThrow(/lease_lost/);
    await expect(db.rpc('engine_note_progress', { p_token: token, p_seq: -1, p_lease: 'other' }, SERVICE)).rejects.toThrow(/invalid_input/);
    expect((await db.rpc<number>('engine_handled_seq', { p_lease: 'other' }, SERVICE))[0]).toBe(5);
  });
});
