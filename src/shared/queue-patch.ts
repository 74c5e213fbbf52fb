import type { QueueItem, QueueRow, QueueTab } from './api/queue';

const ts = (v: string | null | undefined) => (v ? Date.parse(v) : 0);
const high = (i: QueueItem) => (i.priority === 'high' ? 0 : 1);

/** The order desk_queue lists a tab in (the same keys as its ORDER BY), so a patched row lands where a fresh read would put it. */
export function compareIn(tab: QueueTab): (a: QueueItem, b: QueueItem) => number {
  switch (tab) {
    case 'mine': return (a, b) => ts(a.assigned_at) - ts(b.assigned_at) || (a.id ?? 0) - (b.id ?? 0);
    case 'resolved': return (a, b) => ts(b.resolved_at) - ts(a.resolved_at) || (b.id ?? 0) - (a.id ?? 0);
    case 'interventions': return (a, b) => high(a) - high(b) || ts(b.since) - ts(a.since);
    default: return (a, b) => high(a) - high(b) || ts(a.since) - ts(b.since) || (a.id ?? 0) - (b.id ?? 0);
  }
}

/**
 * A tab's list after some conversations changed: each asked-for id leaves the
 * list, then each returned row that belongs to the tab goes back in at its
 * place. When only the first page is loaded (`complete` false), a row that
 * sorts past the last loaded one waits for the rest of the list instead.
 * Untouched rows keep their identity, so memoised rows do not re-render.
 */
export function patchQueue(items: QueueItem[], tab: QueueTab, asked: Iterable<number>, rows: QueueRow[], complete: boolean): QueueItem[] {
  const out = new Set<number>(asked);
  for (const r of rows) if (r.id !== null) out.add(r.id);
  let next = items.filter((i) => i.id === null || !out.has(i.id));
  const cmp = compareIn(tab);
  for (const row of rows) {
    if (!row.tabs.includes(tab)) continue;
    const { tabs: _tabs, ...item } = row;
    let lo = 0;
    let hi = next.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(next[mid], item) <= 0) lo = mid + 1; else hi = mid;
    }
    if (lo === next.length && !complete) continue;
    next = [...next.slice(0, lo), item, ...next.slice(lo)];
  }
  return next;
}
