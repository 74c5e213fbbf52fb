import { describe, expect, it } from 'vitest';
import { feedEventOf, wakeupOf } from '../../src/db/feed-wakeup';

const row = { seq: 41, kind: 'insert', entity: 'support_messages', id: '7', operator_scope: 1, at: '2026-11-22T08:00:00+00:00' };

describe('wake-ups that carry the event', () => {
  it('reads the JSON a NOTIFY carries, and a bare seq from an older trigger', () => {
    expect(wakeupOf(JSON.stringify(row))).toEqual([41, row]);
    expect(wakeupOf('41')).toEqual([41]);
  });

  it('takes Supabase realtime rows whose bigints arrive as strings', () => {
    expect(feedEventOf({ ...row, seq: '41', operator_scope: '1', id: 7 })).toEqual(row);
    expect(feedEventOf({ ...row, operator_scope: null })).toEqual({ ...row, operator_scope: null });
  });

  it('treats anything malformed as a plain wake-up, so the follower reads the feed instead', () => {
    for (const bad of ['', 'not json', '{"seq": "x"}', JSON.stringify({ ...row, kind: 3 }), JSON.stringify({ ...row, seq: -1 }),
      JSON.stringify({ ...row, operator_scope: 'all' }), JSON.stringify({ ...row, id: null }), undefined, 42]) {
      expect(wakeupOf(bad)).toEqual([]);
    }
  });
});
