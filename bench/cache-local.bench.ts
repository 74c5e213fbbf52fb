/**
 * The offline cache at the size of a busy workspace: 10,000 conversations and
 * 200,000 messages (French and English). Figures: cold open to first queue
 * data (target <= 100 ms), FTS query p95 (target <= 20 ms), resident memory
 * of a host (core + PostgreSQL adapter + this cache; target <= 250 MB). Reported,
 * never asserted. The open and the memory are measured in fresh processes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteLocalCache } from '../src/cache/sqlite-cache';
import type { CachedConversation, CachedMessage } from '../src/core/ports/local-cache';
import { seedDemo } from '../src/db/demo-seed';
import { freshPgDatabase } from '../test/support/pg';
import { percentile, summary } from './stats';

const CONVERSATIONS = 10_000;
const MESSAGES = 200_000;
const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

const FR = ('bonjour je voudrais savoir où en est ma commande livraison colis reçu facture paiement ' +
  'remboursement béton ciment chantier délai devis adresse téléphone problème carte erreur merci ' +
  'conseiller urgent annulé échange produit abîmé retard semaine prochaine électricité plâtre').split(' ');
const EN = ('hello i would like to know where my order is delivery parcel received invoice payment refund ' +
  'concrete site delay quote address phone problem card error thanks agent urgent cancelled exchange ' +
  'product damaged late next week electricity plaster').split(' ');

/** Deterministic pseudo-random numbers, so two runs measure the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

export function build(path: string): void {
  const rand = rng(42);
  const cache = SqliteLocalCache.open({ path });
  cache.setOwner(ME);
  const now = Date.now();
  const convs: CachedConversation[] = [];
  for (let id = 1; id <= CONVERSATIONS; id++) {
    const r = rand();
    const status = r < 0.05 ? 'escalated' : r < 0.08 ? 'human_handling' : r < 0.5 ? 'resolved' : 'active';
    const updated = new Date(now - Math.floor(rand() * 29 * 86_400_000)).toISOString();
    convs.push({
      id, agent_id: 1 + (id % 2), status, priority: rand() < 0.1 ? 'high' : 'normal', updated_at: updated,
      assigned_admin_id: status === 'human_handling' ? (rand() < 0.5 ? ME : OTHER) : null,
      session_id: `sess-${id}`, user_id: `user-${id}`, escalation_reason: status === 'escalated' ? 'low_confidence' : null,
      created_at: updated,
    });
  }
  cache.conversations.upsert(convs);
  const batch: CachedMessage[] = [];
  for (let id = 1; id <= MESSAGES; id++) {
    const words = rand() < 0.6 ? FR : EN;
    const n = 6 + Math.floor(rand() * 30);
    const text = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
    batch.push({
      id, conversation_id: 1 + Math.floor(rand() * CONVERSATIONS), sender_type: rand() < 0.5 ? 'user' : 'ai',
      admin_id: null, content: text, created_at: new Date(now - Math.floor(rand() * 29 * 86_400_000)).toISOString(),
      client_msg_id: null,
    });
    if (batch.length === 10_000) { cache.messages.upsert(batch); batch.length = 0; }
  }
  cache.messages.upsert(batch);
  cache.feed.setLastSeq(123_456);
  // As CacheSync.bootstrap does after a first fill.
  cache.compact();
  cache.db.pragma('wal_checkpoint(TRUNCATE)');
  cache.close();
}

/** In a fresh process: open the file and read what the console shows first (waiting + mine). */
function childOpen(path: string): void {
  const t0 = performance.now();
  const cache = SqliteLocalCache.open({ path });
  const waiting = cache.conversations.list({ status: ['escalated'] }).filter((c) => c.assigned_admin_id === null);
  const mine = cache.conversations.list({ status: ['human_handling'], assignedTo: ME });
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, waiting: waiting.length, mine: mine.length }) + '\n');
  cache.close();
}

/**
 * In a fresh process: a host as `desk serve` builds it (core + PostgreSQL
 * adapter + this cache), signed in, serving the console's cache commands for
 * a while; then its resident memory.
 */
async function childMemory(path: string, databaseUrl: string): Promise<void> {
  const { createCore } = await import('../src/core/create-core');
  const { PgSharedDb } = await import('../src/db/pg-adapter');
  const { pickAuthenticator } = await import('../src/db/pick-auth');
  const db = new PgSharedDb({ connectionString: databaseUrl });
  const cache = SqliteLocalCache.open({ path });
  const core = createCore({ db, auth: pickAuthenticator(db), cache });
  await core.start();
  const signed = await core.invoke('session.signIn', { email: 'marie@example.com' });
  if (!signed.ok) throw new Error(signed.error.message);
  const rand = rng(7);
  for (let i = 0; i < 200; i++) {
    await core.invoke('cache.snapshot', {});
    await core.invoke('cache.conversation', { conversationId: 1 + Math.floor(rand() * CONVERSATIONS) });
    await core.invoke('search.messages', { query: FR[Math.floor(rand() * FR.length)] });
    await core.invoke('search.messages', { query: `${EN[Math.floor(rand() * EN.length)]} ${EN[Math.floor(rand() * EN.length)]}` });
  }
  const m = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rss: m.rss, heap: m.heapUsed }) + '\n');
  await core.stop();
  await db.close();
  cache.close();
}

function child(mode: 'open' | 'memory', path: string, databaseUrl = ''): Record<string, number> {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, ['--import', 'tsx', self], {
    env: { ...process.env, CACHE_BENCH_CHILD: mode, CACHE_BENCH_PATH: path, CACHE_BENCH_DB: databaseUrl }, encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`child ${mode} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-cache-bench-'));
  const path = join(dir, 'desk-cache.sqlite');
  try {
    let t = performance.now();
    build(path);
    console.log(`built ${CONVERSATIONS} conversations, ${MESSAGES} messages in ${((performance.now() - t) / 1000).toFixed(1)} s; file ${(statSync(path).size / 1024 / 1024).toFixed(1)} MB`);

    const opens: number[] = [];
    let first: Record<string, number> = {};
    for (let i = 0; i < 7; i++) { first = child('open', path); opens.push(first.ms); }
    console.log(`cold open to first queue data (fresh process each, ${first.waiting} waiting + ${first.mine} mine): ${summary(opens)}  target <= 100 ms`);

    const cache = SqliteLocalCache.open({ path });
    const rand = rng(99);
    const queries: string[] = [];
    for (let i = 0; i < 300; i++) {
      const words = i % 2 ? FR : EN;
      const n = 1 + (i % 3);
      queries.push(Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' '));
    }
    for (const q of queries.slice(0, 20)) cache.search(q);
    const times: number[] = [];
    let hits = 0;
    for (const q of queries) {
      t = performance.now();
      hits += cache.search(q, 50).length;
      times.push(performance.now() - t);
    }
    console.log(`FTS query, 50 best hits with snippets (1-3 words, FR/EN, prefix): ${summary(times)}  target p95 <= 20 ms (avg hits ${(hits / queries.length).toFixed(0)})`);
    const accents = ['recu', 'reçu', 'RECU', 'abime', 'électricite'].map((q) => { const s = performance.now(); cache.search(q); return performance.now() - s; });
    console.log(`accent-folded queries: p95=${percentile(accents, 95).toFixed(2)}ms`);
    cache.close();

    const pg = await freshPgDatabase('desk_bench_cache');
    let mem: Record<string, number>;
    try {
      await seedDemo(pg.db.executor);
      mem = child('memory', path, pg.url);
    } finally {
      await pg.drop();
    }
    console.log(`resident memory of a host (core + PostgreSQL adapter + this cache, signed in, 800 cache commands served): rss=${(mem.rss / 1024 / 1024).toFixed(0)} MB heap=${(mem.heap / 1024 / 1024).toFixed(0)} MB  target <= 250 MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.CACHE_BENCH_CHILD === 'open') childOpen(process.env.CACHE_BENCH_PATH!);
if (process.env.CACHE_BENCH_CHILD === 'memory') await childMemory(process.env.CACHE_BENCH_PATH!, process.env.CACHE_BENCH_DB!);
