import { QueueCountsSchema, QueueItemSchema, QueueRowSchema, type QueueCounts, type QueueItem, type QueueRow, type QueueTab } from '../../shared/api/queue';
import { DeskError, toDeskError } from '../../shared/errors';
import { patchQueue } from '../../shared/queue-patch';
import { QUEUE_READ_SIZES } from '../../shared/values';
import type { Handlers } from './dispatch';
import type { CoreContext } from '../context';

type QueueHandlers = Pick<Handlers, 'queue.list' | 'queue.summary' | 'queue.rows'>;

/**
 * A read that failed because the shared database could not be reached (no
 * typed refusal, no SQLSTATE: the link, not the query) becomes 'offline', so
 * the console treats it as the state the connection badge already shows
 * rather than as an error an operator could act on.
 */
export function unreachable(err: unknown): unknown {
  if (toDeskError(err).code !== 'internal') return err;
  const sqlState = (err as { code?: unknown } | null)?.code;
  // A SQLSTATE (42501, P0001...) is the database answering; Node's link codes (EPIPE, ECONNRESET) have no digit.
  if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState) && /\d/.test(sqlState)) return err;
  return new DeskError('offline', `the shared database cannot be reached: ${err instanceof Error ? err.message : String(err)}`);
}

/** Runs the database side of a read; a dead link is thrown as 'offline' (parsing stays outside: a bad row is a bug). */
async function reaching<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw unreachable(err);
  }
}

/** How many changed rows are remembered for lists served offline (beyond that, the kept list as it was read). */
const REMEMBERED_ROWS = 5_000;
const WHOLE_TAB = QUEUE_READ_SIZES[QUEUE_READ_SIZES.length - 1];
/**
 * The console reads only as far down a tab as the operator looks, so for
 * offline use the host also keeps each tab whole: read once the console has
 * asked nothing for a while (never on the way of what the operator waits
 * for), and at most every few minutes; the feed patches it in between.
 */
const KEEP_WHOLE_AFTER_IDLE_MS = 15_000;
const KEEP_WHOLE_EVERY_MS = 5 * 60_000;

const keyOf = (tab: QueueTab, limit: number | undefined) => `queue:${tab}:${limit ?? 'all'}`;
/** The sizes whose kept reads can stand in offline for one of `limit`: larger ones first (cut to size), the whole tab, then smaller ones. */
function standIns(limit: number): Array<number | undefined> {
  const larger = QUEUE_READ_SIZES.filter((n) => n > limit);
  const smaller = QUEUE_READ_SIZES.filter((n) => n < limit).reverse();
  return [...larger, undefined, ...smaller];
}

export function queueHandlers(ctx: CoreContext): QueueHandlers {
  const countsRow = async (): Promise<unknown> => {
    const [row] = await ctx.db.rpc('desk_queue_counts', {}, ctx.session.require().as);
    return row;
  };
  /**
   * The lists kept for offline use are whole-tab reads, while the console
   * follows changes as patched rows (queue.rows). Rows patched since a list
   * was kept are remembered here (null: gone), so the list served offline is
   * the one the console last showed, not the one read at start.
   */
  let tick = 0;
  const changed = new Map<number, { row: QueueRow | null; at: number }>();
  const keptAt = new Map<string, number>();
  const remember = (asked: number[], rows: QueueRow[]) => {
    tick += 1;
    for (const id of asked) changed.set(id, { row: null, at: tick });
    for (const r of rows) if (r.id !== null) changed.set(r.id, { row: r, at: tick });
    for (const id of changed.keys()) { if (changed.size <= REMEMBERED_ROWS) break; changed.delete(id); }
  };
  const sinceKept = (key: string, tab: QueueTab, items: QueueItem[], limit: number | undefined): QueueItem[] => {
    const after = keptAt.get(key) ?? 0;
    const recent = [...changed].filter(([, c]) => c.at > after);
    if (recent.length === 0 || tab === 'interventions') return items;
    const rows = recent.flatMap(([, c]) => (c.row ? [c.row] : []));
    return patchQueue(items, tab, recent.map(([id]) => id), rows, limit === undefined || items.length < limit);
  };
  const fetchFor = (tab: QueueTab, limit: number | undefined) => async () => {
    const { as } = ctx.session.require();
    const [rows, counts] = await Promise.all([
      ctx.db.rpc<Record<string, unknown>>('desk_queue', { p_tab: tab, p_limit: limit ?? WHOLE_TAB }, as),
      countsRow(),
    ]);
    return { rows, counts };
  };
  let idle: ReturnType<typeof setTimeout> | null = null;
  const keptWholeAt = new Map<QueueTab, number>();
  const keepWholeWhenIdle = (tab: QueueTab) => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      idle = null;
      const off = ctx.offline;
      const last = keptWholeAt.get(tab);
      if (!off || !ctx.session.operator || (last !== undefined && ctx.clock.now().getTime() - last < KEEP_WHOLE_EVERY_MS)) return;
      const key = keyOf(tab, WHOLE_TAB);
      keptWholeAt.set(tab, ctx.clock.now().getTime());
      void off.readThrough(key, fetchFor(tab, WHOLE_TAB)).then((r) => { if (!r.fromCache) keptAt.set(key, tick); }, () => {});
    }, KEEP_WHOLE_AFTER_IDLE_MS);
    idle.unref?.();
  };
  return {
    /**
     * Read through the offline cache: while the database is unreachable, the
     * last list of that tab read at this size is served, or else another
     * size's (a larger one cut down, or the largest smaller one).
     */
    'queue.list': async ({ tab, limit }) => {
      ctx.session.require();
      const fetch = fetchFor(tab, limit);
      const off = ctx.offline;
      const key = keyOf(tab, limit);
      const sizes = standIns(limit ?? WHOLE_TAB);
      const read = await reaching(async () => (off
        ? off.readThrough(key, fetch, sizes.map((n) => keyOf(tab, n)))
        : { value: await fetch(), fromCache: false, keptAs: undefined }));
      const items = read.value.rows.map((r) => QueueItemSchema.parse(withEvidence(r)));
      const counts = QueueCountsSchema.parse(read.value.counts);
      if (!read.fromCache) {
        keptAt.set(key, tick);
        if (off && limit !== undefined && limit < WHOLE_TAB && items.length === limit) keepWholeWhenIdle(tab);
        return { tab, items, counts };
      }
      const kept = read.keptAs ?? key;
      // Patched as the list it was: complete only if that read was a whole tab or came back short.
      const keptLimit = kept === key ? limit : sizes.find((n) => keyOf(tab, n) === kept);
      const served = sinceKept(kept, tab, items, keptLimit);
      return { tab, items: limit === undefined ? served : served.slice(0, limit), counts };
    },
    'queue.summary': async (): Promise<QueueCounts> => QueueCountsSchema.parse(await reaching(countsRow)),
    'queue.rows': async ({ conversationIds, messageIds }) => {
      const { as } = ctx.session.require();
      const [raw, counts] = await reaching(() => Promise.all([
        conversationIds.length || messageIds.length
          ? ctx.db.rpc<Record<string, unknown>>('desk_queue_rows', { p_ids: conversationIds, p_message_ids: messageIds }, as)
          : Promise.resolve([]),
        countsRow(),
      ]));
      const rows = raw.map((r) => QueueRowSchema.parse(withEvidence(r)));
      if (ctx.offline) remember(conversationIds, rows);
      return { rows, counts: QueueCountsSchema.parse(counts) };
    },
  };
}

function withEvidence(r: Record<string, unknown>): Record<string, unknown> {
  return { ...r, evidence: isRecord(r.evidence) ? r.evidence : null };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
