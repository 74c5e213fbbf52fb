import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SharedDb } from '../../src/core/ports/shared-db';
import { seedDemo } from '../../src/db/demo-seed';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { freshPgDatabase, freshPglite } from '../support/pg';
import { waitFor } from '../support/wait';

const SERVICE = { kind: 'service' as const };

// The engine skips wake-ups for its own writes by their seq, so both direct transports must deliver it.
const suites: Array<[string, () => Promise<{ db: SharedDb; executor: SqlExecutor; drop(): Promise<void> }>]> = [
  ['PostgreSQL', async () => { const f = await freshPgDatabase('desk_wake_seq'); return { db: f.db, executor: f.db.executor, drop: f.drop }; }],
  ['PGlite', async () => { const db = await freshPglite(); return { db, executor: db.executor, drop: () => db.close() }; }],
];

describe.each(suites)('wake-ups on %s', (_name, open) => {
  let h: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => { h = await open(); await seedDemo(h.executor); });
  afterAll(async () => { await h?.drop(); });

  it('carry the seq of every event a write appended, in feed order', async () => {
    const seqs: Array<number | undefined> = [];
    const off = h.db.onWake((seq) => seqs.push(seq));
    try {
      // The first wake-up (listening started) has no seq: the caller must pull.
      await waitFor(async () => seqs.length > 0);
      const [head] = await h.db.rpc<number>('desk_feed_head', {}, SERVICE);
      const [c] = await h.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: 'wake-seq' }, SERVICE);
      await h.db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'user', p_content: 'Bonjour' }, SERVICE);
      const events = await h.db.rpc<{ seq: number }>('desk_events_since', { p_seq: head, p_limit: 500 }, SERVICE);
      expect(events.length).toBeGreaterThan(0);
      const want = events.map((e) => e.seq);
      await waitFor(async () => want.every((s) => seqs.includes(s)));
      expect(seqs.filter((s): s is number => s !== undefined && s > head)).toEqual(want);
    } finally {
      off();
    }
  });
});
