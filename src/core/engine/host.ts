import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Log } from '../api/dispatch';
import type { Clock } from '../ports/clock';
import type { Identity, SharedDb } from '../ports/shared-db';
import { DemoBot } from './demo-bot';
import { EngineRunner } from './engine-runner';
import { llmConfigFromEnv } from './intent/llm';

export interface EngineHostOptions {
  /** Run the demo bot too (embedded default, `desk serve --demo`). Needs the service role, so not over Supabase. */
  demo?: boolean | { intervalMs?: number };
  /** Lease timings; the defaults are DESIGN.md's (renew 10 s, ttl 30 s). */
  ttlSeconds?: number;
  renewMs?: number;
  sweepMs?: number;
}

/**
 * The engine as a host runs it: the service role on a direct or embedded
 * database, the signed-in operator over Supabase (engine functions accept
 * both; the lease token is the guard). Returns the stop function.
 */
export function startEngineHost(opts: EngineHostOptions, deps: { db: SharedDb; clock: Clock; log: Log; operatorIdentity: () => Identity | null }) {
  const service: Identity = { kind: 'service' };
  const identity = deps.db.kind === 'supabase' ? deps.operatorIdentity : () => service;
  const runner = new EngineRunner({
    db: deps.db, identity, clock: deps.clock, log: deps.log, holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    llm: llmConfigFromEnv(process.env), ttlSeconds: opts.ttlSeconds, renewMs: opts.renewMs, sweepMs: opts.sweepMs,
  });
  runner.start();
  const demo = opts.demo && deps.db.kind !== 'supabase'
    ? new DemoBot({ db: deps.db, log: deps.log, intervalMs: typeof opts.demo === 'object' ? opts.demo.intervalMs : undefined })
    : null;
  demo?.start();
  return {
    runner,
    async stop() { demo?.stop(); await runner.stop(true); },
  };
}
