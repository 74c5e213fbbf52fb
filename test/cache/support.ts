import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Identity, SharedDb } from '../../src/core/ports/shared-db';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { DEMO_OPERATORS, seedDemo } from '../../src/db/demo-seed';
import { freshPgDatabase, freshPglite } from '../support/pg';

export const MARIE = { id: DEMO_OPERATORS[0].id, as: { kind: 'operator', operatorId: DEMO_OPERATORS[0].id } as Identity };
export const PIERRE = { id: DEMO_OPERATORS[1].id, as: { kind: 'operator', operatorId: DEMO_OPERATORS[1].id } as Identity };

export type Workspace = { db: SharedDb & { executor: SqlExecutor }; url?: string; done(): Promise<void> };

/** The same suites on the real PostgreSQL and on the embedded PGlite, each with the demo workspace. */
export const workspaces: Array<[string, () => Promise<Workspace>]> = [
  ['postgres', async () => {
    const f = await freshPgDatabase('desk_cache');
    await seedDemo(f.db.executor);
    return { db: f.db, url: f.url, done: f.drop };
  }],
  ['pglite', async () => {
    const db = await freshPglite();
    await seedDemo(db.executor);
    return { db, done: () => db.close() };
  }],
];

/** A conversation a bot escalated to the support bot's queue. */
export async function escalated(exec: SqlExecutor, agentId = 1): Promise<number> {
  const { rows } = await exec.query<{ id: number }>(
    `insert into public.support_conversations(agent_id, session_id, status, escalation_reason, escalated_at)
     values ($1, 'sess-' || gen_random_uuid(), 'escalated', 'user_request', now()) returning id`, [agentId]);
  return Number(rows[0].id);
}

export async function repliesIn(exec: SqlExecutor, conversationId: number): Promise<string[]> {
  const { rows } = await exec.query<{ content: string }>(
    `select content from public.support_messages where conversation_id = $1 and sender_type = 'admin' order by id`, [conversationId]);
  return rows.map((r) => r.content);
}

/**
 * The shared database as a flaky network shows it: `offline` refuses every
 * call before it reaches the server; `afterCall` runs once a call has
 * completed on the server, to lose its answer (a cut or a crash).
 */
export class FlakyDb implements SharedDb {
  offline = false;
  calls = 0;
  afterCall: ((fn: string, n: number) => void) | null = null;
  beforeCall: ((fn: string, n: number) => void) | null = null;
  constructor(private inner: SharedDb) {}
  get kind() { return this.inner.kind; }
  async rpc<T>(fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]> {
    if (this.offline) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const n = ++this.calls;
    this.beforeCall?.(fn, n);
    const out = await this.inner.rpc<T>(fn, args, as);
    this.afterCall?.(fn, n);
    return out;
  }
  onWake(l: () => void) { return this.inner.onWake(l); }
  onLinkChange(l: (up: boolean, detail?: string) => void) { return this.inner.onLinkChange(l); }
  close() { return this.inner.close(); }
}

/** A TCP relay in front of PostgreSQL that can cut every connection at once, like a dropped link. */
export class CuttableProxy {
  private sockets = new Set<net.Socket>();
  private down = false;
  private server: net.Server;
  port = 0;
  constructor(private target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (this.down) { client.destroy(); return; }
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }
  restore(): void { this.down = false; }
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'desk-outbox-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
