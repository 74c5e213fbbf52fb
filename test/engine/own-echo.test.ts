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
 * Every engine write appends events and so wakes the engine itself. Reading
 * those back finds nothing to do: the engine must read the feed only when
 * someone else wrote, and still handle everything they wrote.
 */
describe('the engine and the echo of its own writes', () => {
  let f: Awaited<ReturnType<typeof freshPgDatabase>>;
  let db: PgSharedDb;
  let engine: EngineRunner;
  let recording = false;
  const pages: number[][] = [];
  const own: Array<[number, number]> = [];

  beforeAll(async () => {
    f = await freshPgDatabase('desk_engine_echo');
    db = f.db;
    await seedDemo(db.executor);
    await onlineWithRoom(db.executor, MARIE);
    const watched: SharedDb = {
      kind: db.kind,
      rpc: async <T>(fn: string, args: Record<string, unknown>, as: typeof SERVICE) => {
        const out = await db.rpc<T>(fn, args, as);
        if (fn === 'engine_apply') {
          const { first_seq, last_seq } = out[0] as { first_seq: number | null; last_seq: number | null };
          if (first_seq != null && last_seq != null) own.push([first_seq, last_seq]);
        }
        if (fn === 'desk_events_since' && recording) pages.push((out as Array<{ seq: number }>).map((e) => e.seq));
        return out;
      },
      onWake: (l) => db.onWake(l),
      onLinkChange: (l) => db.onLinkChange(l),
      close: async () => {},
    };
    let up = false;
    const offLink = db.onLinkChange((u) => { if (u) up = true; });
    engine = new EngineRunner({ db: watched, identity: () => SERVICE, clock: systemClock, holder: 'echo', sweepMs: 600_000, log: () => {} });
    engine.start();
    await waitFor(async () => engine.isLeader && up);
    offLink();
    // The start-up reads (lease taken, link up) are reads for reasons other than a write.
    await engine.drain();
    recording = true;
  });
  afterAll(async () => { await engine?.stop(); await f?.drop(); });

  const escalate = (session: string) => lowScoreConversation(db, session);
  const assigned = async (ids: number[]) => (await db.executor.query<{ n: number }>(
    `select count(*)::int n from support_conversations where id = any($1::bigint[]) and assigned_admin_id = $2`, [ids, MARIE])).rows[0].n === ids.length;

  it('never reads back its own events, takes others\' from their wake-ups, one by one or in a burst, and escalates them all', async () => {
    const one: number[] = [];
    for (let i = 0; i < 5; i++) {
      one.push(await escalate(`one-${i}`));
      await waitFor(() => assigned(one));
    }
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => escalate(`burst-${i}`)));
    await waitFor(() => assigned(burst));
    // A later write by someone else is still read and handled.
    const last = await escalate('last');
    await waitFor(() => assigned([last]));

    expect(own.length).toBeGreaterThan(0);
    const isOwn = (seq: number) => own.some(([a, b]) => seq >= a && seq <= b);
    expect(pages.filter((p) => !p.some((seq) => !isOwn(seq)))).toEqual([]);
    // Others' events come with their wake-ups, so they need (almost) no read either.
    expect(pages.length).toBeLessThan(4);
  });
});
