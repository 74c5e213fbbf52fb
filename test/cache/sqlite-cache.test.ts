import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLocalCache } from '../../src/cache/sqlite-cache';
import { cachePathFor } from '../../src/cache/open';
import { CACHE_VERSION } from '../../src/cache/migrations';
import type { CachedConversation, CachedMessage } from '../../src/core/ports/local-cache';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'desk-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const OP = '00000000-0000-4000-8000-000000000001';
const conv = (id: number, over: Partial<CachedConversation> = {}): CachedConversation => ({
  id, agent_id: 1, status: 'escalated', assigned_admin_id: null, priority: 'normal',
  updated_at: new Date().toISOString(), session_id: `s${id}`, ...over,
});
let nextMsg = 1;
const msg = (conversationId: number, content: string, createdAt = new Date()): CachedMessage => ({
  id: nextMsg++, conversation_id: conversationId, sender_type: 'user', admin_id: null, content,
  created_at: createdAt.toISOString(), client_msg_id: null,
});

describe('opening the cache file', () => {
  it('creates it in the user data folder with the current schema, in WAL mode', () => {
    const dir = tempDir();
    const cache = SqliteLocalCache.open({ dataDir: dir });
    expect(cache.path).toBe(join(dir, 'cache', 'desk-cache.sqlite'));
    expect(cache.db.pragma('user_version', { simple: true })).toBe(CACHE_VERSION);
    expect(cache.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const strict = cache.db.prepare(`select name from pragma_table_list where schema = 'main' and strict = 1`).all()
      .map((r) => (r as { name: string }).name);
    expect(strict).toEqual(expect.arrayContaining(['conversations', 'messages', 'outbox', 'drafts', 'meta']));
    expect(cache.reset).toBeNull();
    cache.close();
  });

  it('keeps its data and does not migrate again when reopened', () => {
    const dir = tempDir();
    const a = SqliteLocalCache.open({ dataDir: dir });
    a.conversations.upsert([conv(1)]);
    a.feed.setLastSeq(42);
    a.close();
    const b = SqliteLocalCache.open({ dataDir: dir });
    expect(b.conversations.get(1)?.session_id).toBe('s1');
    expect(b.feed.lastSeq()).toBe(42);
    expect(b.reset).toBeNull();
    b.close();
  });

  it('moves a corrupted file aside, starts empty and says so', () => {
    const dir = tempDir();
    const path = cachePathFor(dir);
    SqliteLocalCache.open({ dataDir: dir }).close();
    writeFileSync(path, Buffer.from('this is not a database, just garbage bytes '.repeat(200)));
    const now = new Date('2025-03-01T10:00:00Z');
    const cache = SqliteLocalCache.open({ dataDir: dir, now });
    expect(cache.reset).toMatchObject({ reason: 'corrupt', at: now.toISOString() });
    expect(existsSync(cache.reset!.movedTo)).toBe(true);
    expect(cache.reset!.movedTo).toContain('2025-03-01');
    expect(cache.conversations.count()).toBe(0);
    cache.conversations.upsert([conv(7)]);
    expect(cache.conversations.get(7)).not.toBeNull();
    cache.close();
    // The reset is remembered, for a console that connects later.
    const again = SqliteLocalCache.open({ dataDir: dir });
    expect(again.reset).toBeNull();
    expect(again.lastReset()?.reason).toBe('corrupt');
    again.close();
  });

  it('moves aside a cache written by a newer version instead of guessing at it', () => {
    const dir = tempDir();
    const path = cachePathFor(dir);
    SqliteLocalCache.open({ dataDir: dir }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${CACHE_VERSION + 5}`);
    raw.close();
    const cache = SqliteLocalCache.open({ dataDir: dir });
    expect(cache.reset?.reason).toBe('newer_version');
    expect(cache.db.pragma('user_version', { simple: true })).toBe(CACHE_VERSION);
    expect(readdirSync(join(dir, 'cache')).some((f) => f.endsWith('.bak'))).toBe(true);
    cache.close();
  });
});

describe('searching cached messages', () => {
  const setup = () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.conversations.upsert([conv(1), conv(2), conv(3)]);
    cache.messages.upsert([
      msg(1, 'Bonjour, je n’ai pas reçu ma facture de décembre'),
      msg(2, 'The delivery was late and the invoice is wrong'),
      msg(3, 'Où en est ma commande ? Élodie'),
      msg(2, 'Bonjour, merci'),
    ]);
    return cache;
  };

  it('finds French words whatever the accents typed, with the conversation to open', () => {
    const cache = setup();
    const hits = cache.search('recu facture decembre');
    expect(hits).toHaveLength(1);
    expect(hits[0].conversationId).toBe(1);
    expect(hits[0].segments.filter((s) => s.highlighted).map((s) => s.text)).toEqual(['reçu', 'facture', 'décembre']);
    expect(hits[0].segments.map((s) => s.text).join('')).toBe('Bonjour, je n’ai pas reçu ma facture de décembre');
    expect(cache.search('ELODIE')[0].conversationId).toBe(3);
    expect(cache.search('où')[0].conversationId).toBe(3);
    cache.close();
  });

  it('finds English words by prefix and ignores search syntax typed by the operator', () => {
    const cache = setup();
    expect(cache.search('invoic').map((h) => h.conversationId)).toEqual([2]);
    expect(cache.search('"late" -( deliver*')[0].conversationId).toBe(2);
    expect(cache.search('NEAR( AND " OR *')).toEqual([]);
    expect(cache.search('   ')).toEqual([]);
    expect(cache.search('bonjour').map((h) => h.conversationId).sort()).toEqual([1, 2]);
    cache.close();
  });

  it('never lets message text fake a highlight', () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.conversations.upsert([conv(1)]);
    cache.messages.upsert([msg(1, 'piège \uE000<b>gras</b>\uE001 colis')]);
    const [hit] = cache.search('colis');
    expect(hit.segments).toEqual([
      { text: 'piège <b>gras</b> ', highlighted: false },
      { text: 'colis', highlighted: true },
    ]);
    cache.close();
  });

  it('stays in step when a message is edited or removed', () => {
    const cache = setup();
    const [m] = cache.messages.forConversation(3);
    cache.messages.upsert([{ ...m, content: 'Livraison annulée' }]);
    expect(cache.search('commande')).toEqual([]);
    expect(cache.search('annulee')[0].messageId).toBe(m.id);
    cache.messages.remove([m.id]);
    expect(cache.search('annulee')).toEqual([]);
    expect(cache.db.prepare(`insert into messages_fts(messages_fts, rank) values ('integrity-check', 1)`).run()).toBeTruthy();
    cache.close();
  });
});

describe('retention, size cap and wipe', () => {
  it('prunes messages past the retention but keeps open conversations', () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    const now = new Date('2025-06-30T12:00:00Z');
    const old = new Date(now.getTime() - 40 * 86_400_000);
    cache.conversations.upsert([
      conv(1, { status: 'resolved', updated_at: old.toISOString() }),
      conv(2, { status: 'human_handling', updated_at: old.toISOString() }),
      conv(3, { status: 'resolved', updated_at: now.toISOString() }),
    ]);
    cache.messages.upsert([msg(1, 'vieux', old), msg(2, 'ancien', old), msg(2, 'récent', now), msg(3, 'nouveau', now)]);
    const report = cache.prune(now);
    expect(report.conversations).toBe(1);
    expect(cache.conversations.get(1)).toBeNull();
    expect(cache.conversations.get(2)).not.toBeNull();
    expect(cache.messages.forConversation(2).map((m) => m.content)).toEqual(['récent']);
    expect(cache.search('vieux')).toEqual([]);

    cache.settings.set({ retentionDays: 60 });
    cache.messages.upsert([msg(3, 'quarante jours', old)]);
    cache.prune(now);
    expect(cache.messages.forConversation(3)).toHaveLength(2);
    cache.close();
  });

  it('drops the oldest messages first to stay under the size cap', () => {
    const dir = tempDir();
    const cache = SqliteLocalCache.open({ dataDir: dir });
    cache.conversations.upsert([conv(1)]);
    const now = Date.now();
    const filler = 'lorem ipsum dolor sit amet '.repeat(40);
    const rows = Array.from({ length: 3000 }, (_, i) => msg(1, `${filler} numéro${i}`, new Date(now - (3000 - i) * 1000)));
    cache.messages.upsert(rows);
    expect(cache.sizeBytes()).toBeGreaterThan(2 * 1024 * 1024);
    cache.settings.set({ maxSizeMb: 1 });
    const report = cache.prune(new Date(now));
    expect(report.sizeBytes).toBeLessThanOrEqual(1024 * 1024);
    const kept = cache.messages.forConversation(1, 10_000);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)!.content).toContain('numéro2999');
    expect(cache.search('numéro0')).toEqual([]);
    cache.close();
  });

  it('wipes cached data but keeps what the operator has not sent yet, unless asked for everything', () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.conversations.upsert([conv(1)]);
    cache.messages.upsert([msg(1, 'bonjour')]);
    cache.feed.setLastSeq(10);
    cache.outbox.enqueue({ kind: 'reply', conversationId: 1, clientMsgId: crypto.randomUUID(), payload: { content: 'hello' }, operatorId: OP, createdAt: new Date().toISOString() });
    cache.drafts.save(OP, 1, 'brouillon', new Date().toISOString());
    cache.wipe();
    expect(cache.conversations.count()).toBe(0);
    expect(cache.search('bonjour')).toEqual([]);
    expect(cache.feed.lastSeq()).toBe(0);
    expect(cache.outbox.counts(OP).pending).toBe(1);
    expect(cache.drafts.get(OP, 1)?.content).toBe('brouillon');
    cache.wipe({ everything: true });
    expect(cache.outbox.counts(OP).pending).toBe(0);
    expect(cache.drafts.get(OP, 1)).toBeNull();
    cache.close();
  });

  it('starts from an empty cache when another operator signs in on this desktop', () => {
    const cache = SqliteLocalCache.open({ path: ':memory:' });
    cache.setOwner(OP);
    cache.conversations.upsert([conv(1)]);
    cache.setOwner(OP);
    expect(cache.conversations.count()).toBe(1);
    cache.setOwner('00000000-0000-4000-8000-000000000002');
    expect(cache.conversations.count()).toBe(0);
    cache.close();
  });
});
