import { DeskError } from '../shared/errors';
import type { Identity } from '../core/ports/shared-db';
import type { SqlTx } from './sql-executor';

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** `fn(name => value, …)` for the arguments given, names checked; `value` renders each value as SQL. */
function callOf(fn: string, args: Record<string, unknown>, value: (v: unknown) => string): string {
  if (!IDENT.test(fn)) throw new DeskError('invalid_input', `bad function name: ${fn}`);
  const named = Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => {
      if (!IDENT.test(name)) throw new DeskError('invalid_input', `bad argument name: ${name}`);
      return `${name} => ${value(v)}`;
    });
  return `public.${fn}(${named.join(', ')})`;
}

/** Named-argument call, the way PostgREST calls a function; names are checked, values always go as parameters. */
export function buildCall(fn: string, args: Record<string, unknown>): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const call = callOf(fn, args, (v) => {
    params.push(v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v);
    return `$${params.length}`;
  });
  return { sql: `select to_jsonb(r) as v from ${call} r`, params };
}

/** The database role and JWT claims PostgREST would set for this caller (DESIGN.md §8). The role is one of three names, never input. */
function requestOf(as: Identity): { role: 'authenticated' | 'anon' | 'service_role'; claims: string } {
  if (as.kind === 'operator') return { role: 'authenticated', claims: JSON.stringify({ sub: as.operatorId, role: 'authenticated' }) };
  if (as.kind === 'anon') return { role: 'anon', claims: '{"role":"anon"}' };
  return { role: 'service_role', claims: '{"role":"service_role"}' };
}

/**
 * Sets the request's identity exactly as PostgREST does (DESIGN.md §8), for
 * the current transaction only, so a pooled connection never leaks it.
 */
export async function assumeIdentity(tx: SqlTx, as: Identity): Promise<void> {
  const { role, claims } = requestOf(as);
  await tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [role, claims]);
}

export async function rpcIn<T>(tx: SqlTx, fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]> {
  await assumeIdentity(tx, as);
  const { sql, params } = buildCall(fn, args);
  const { rows } = await tx.query<{ v: T }>(sql, params);
  return rows.map((r) => r.v);
}

/** A SQL literal for a value sent inline; backslashes use the E'' form so the result never depends on server settings. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = value instanceof Date ? value.toISOString()
    : typeof value === 'object' ? JSON.stringify(value)
    : String(value);
  if (text.includes('\u0000')) throw new DeskError('invalid_input', 'text may not contain NUL characters');
  const body = text.replace(/'/g, "''");
  return text.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/**
 * The whole request in one round trip: identity (SET LOCAL, which answers
 * with no rows to parse), then the call. Statements in one simple query run
 * as one implicit transaction, committed by the server after the last one,
 * so the transaction (and any lock a write function takes) is never held open
 * while the client schedules a COMMIT; a failing call is rolled back by the
 * server too, so an error costs no ROLLBACK round trip.
 * It also promises desk.publish_after_commit, so a write function may defer
 * its feed events and skip the feed lock (migration 0056); each row says
 * whether it did (a PL/pgSQL function has finished before its first row is
 * read), and then the pg adapter runs desk_feed_publish() before the call
 * resolves. The call's rows are the last statement's result.
 */
export function buildInlineRpc(fn: string, args: Record<string, unknown>, as: Identity): string {
  const call = callOf(fn, args, literal);
  const { role, claims } = requestOf(as);
  return `set local role ${role}; set local request.jwt.claims = ${literal(claims)}; set local desk.publish_after_commit = on; ` +
    `select to_jsonb(r) as v, current_setting('desk.feed_inbox', true) = 'used' as deferred from ${call} r`;
}
