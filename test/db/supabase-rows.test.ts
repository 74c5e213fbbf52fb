import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/supabase-adapter';

// PostgREST shapes results by return type; the port promises one JSON value per row whatever the adapter.
describe('Supabase rpc results read like direct calls', () => {
  it('keeps sets, wraps one composite, and gives [null] for a null scalar or void', () => {
    expect(rowsOf([{ seq: 1 }, { seq: 2 }])).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(rowsOf([])).toEqual([]);
    expect(rowsOf({ id: 7, status: 'human_handling' })).toEqual([{ id: 7, status: 'human_handling' }]);
    expect(rowsOf(42)).toEqual([42]);
    expect(rowsOf(null)).toEqual([null]);
  });
});
