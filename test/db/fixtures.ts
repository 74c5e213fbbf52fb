import { randomUUID } from 'node:crypto';
import type { Identity, SharedDb } from '../../src/core/ports/shared-db';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { freshPgDatabase, freshPglite } from '../support/pg';

export type OwnedDb = SharedDb & { executor: SqlExecutor };
export interface Opened { db: OwnedDb; url?: string; done(): Promise<void> }

/** The same suites on the real PostgreSQL and on the embedded PGlite. */
export const ADAPTERS: Array<[string, () => Promise<Opened>]> = [
  ['postgres', async () => { const f = await freshPgDatabase('desk_sql'); return { db: f.db, url: f.url, done: f.drop }; }],
  ['pglite', async () => { const db = await freshPglite(); return { db, done: () => db.close() }; }],
];

export const as = (operatorId: string): Identity => ({ kind: 'operator', operatorId });
export const SERVICE: Identity = { kind: 'service' };
export const ANON: Identity = { kind: 'anon' };

/** A workspace of its own per test, so cases never depend on each other's rows. */
export class Workspace {
  constructor(readonly db: OwnedDb) {}

  async bot(name = `bot-${randomUUID().slice(0, 8)}`): Promise<number> {
    const { rows } = await this.db.executor.query<{ id: number }>(
      'insert into agents(name) values ($1) returning id', [name]);
    return Number(rows[0].id);
  }

  async operator(opts: { role?: 'operator' | 'supervisor' | 'admin'; agentIds?: number[] | null; max?: number } = {}): Promise<string> {
    const id = randomUUID();
    await this.db.executor.query('insert into auth.users(id, email) values ($1, $2)', [id, `${id}@example.com`]);
    await this.db.executor.query('insert into operators(id, name, email, role) values ($1, $2, $3, $4)',
      [id, `Op ${id.slice(0, 4)}`, `${id}@example.com`, opts.role ?? 'operator']);
    await this.db.executor.query(
      `insert into admin_availability(admin_id, status, max_conversations, agent_ids) values ($1, 'online', $2, $3)`,
      [id, opts.max ?? 5, opts.agentIds === undefined || opts.agentIds === null ? null : JSON.stringify(opts.agentIds)]);
    return id;
  }

  async conversation(agentId: number, status = 'escalated', userMessage = 'Comment annuler une facture ?'): Promise<number> {
    const { rows } = await this.db.executor.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, status, escalated_at)
       values ($1, $2, $3, case when $3 = 'escalated' then now() end) returning id`,
      [agentId, randomUUID(), status]);
    const id = Number(rows[0].id);
    await this.db.executor.query(`insert into support_messages(conversation_id, sender_type, content) values ($1, 'user', $2)`,
      [id, userMessage]);
    return id;
  }

  async row<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> {
    const { rows } = await this.db.executor.query<T>(sql, params);
    return rows[0];
  }

  async load(operatorId: string): Promise<{ current: number; held: number }> {
    return this.row(
      `select a.current_conversations as current,
              (select count(*)::int from support_conversations c
                where c.assigned_admin_id = a.admin_id and c.status = 'human_handling') as held
         from admin_availability a where a.admin_id = $1`, [operatorId]);
  }
}

/** The code word a failed call raised (the start of the SQL error message), or 'ok'. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return /^([a-z_]+)/.exec((err as Error).message)?.[1] ?? (err as Error).message;
  }
}
