import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueueItem } from '../../shared/api/queue';
import { QUEUE_TABS } from '../../shared/values';
import { evidenceText, exactTime, waitText } from '../console/format';
import { READ_SIZES, useConsole } from '../state/console';

const ROW_HEIGHT = 72;
/**
 * The list's height before it is measured: the host's first screen has no
 * window to measure, and the page's first render should lay out the same rows
 * (a screen's worth; the list measures itself right after).
 */
const UNMEASURED = { width: 0, height: 900 };

/** Re-renders every 30 s so wait times move without a fetch. */
function useNow(periodMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(id);
  }, [periodMs]);
  return now;
}

/** Memoised: a patch or a selection re-renders only the rows it changed (unchanged rows keep their object). */
const Row = memo(function Row({ item, selected, now, onOpen }: {
  item: QueueItem; selected: boolean; now: number; onOpen: (id: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const reason = item.reason ? t(`reasons.${item.reason}`, { defaultValue: item.reason }) : null;
  const evidence = evidenceText(item.evidence, t);
  return (
    <button type="button" className={`qrow${selected ? ' qrow--selected' : ''}${item.priority === 'high' ? ' qrow--high' : ''}`}
      data-testid="queue-item" data-conversation-id={item.id ?? ''} data-key={item.key} aria-current={selected || undefined}
      disabled={item.id === null} onClick={() => { if (item.id !== null) onOpen(item.id); }}>
      <span className="qrow__top">
        <span className="qrow__id">{item.id !== null ? `#${item.id}` : t('queue.noConversation')}</span>
        <span className="qrow__bot">{item.agent_name}</span>
        {item.priority === 'high' && <span className="pill pill--high">{t('queue.high')}</span>}
        <span className="qrow__wait" onPointerEnter={(e) => { e.currentTarget.title = exactTime(item.since, i18n.language); }}>
          {item.status === 'resolved' && item.resolution_type
            ? t(`resolution.${item.resolution_type}`, { defaultValue: item.resolution_type })
            : waitText(item.since, now, t)}
        </span>
      </span>
      <span className="qrow__preview">{item.preview ?? item.customer ?? ''}</span>
      <span className="qrow__meta">
        {reason && <span className="pill" data-testid="reason-badge" title={evidence}>{reason}{evidence ? ` · ${evidence}` : ''}</span>}
        {item.assigned_name && <span className="qrow__who">{t('queue.heldBy', { name: item.assigned_name })}</span>}
      </span>
    </button>
  );
});

/**
 * The tabs with their counters and the current tab's list, virtualised: 5,000
 * rows cost what 20 do. Rows not read yet (the list reads as the operator
 * scrolls, see READ_SIZES) hold their place, so the scrollbar is the tab's.
 */
export function QueuePanel() {
  const { t } = useTranslation();
  const tab = useConsole((s) => s.tab);
  const items = useConsole((s) => s.items);
  const complete = useConsole((s) => s.complete);
  const counts = useConsole((s) => s.counts);
  const selectedId = useConsole((s) => s.selectedId);
  const setTab = useConsole((s) => s.setTab);
  const select = useConsole((s) => s.select);
  const showing = useConsole((s) => s.showing);
  const open = useCallback((id: number) => void select(id), [select]);
  const now = useNow();
  const scroller = useRef<HTMLDivElement>(null);
  const count = complete ? items.length : Math.max(items.length, Math.min(counts[tab], READ_SIZES[READ_SIZES.length - 1]));
  // A new key function makes the virtualiser lay out every row again: only when the rows change, not at every render.
  const keyOf = useCallback((i: number) => items[i]?.key ?? `more-${i}`, [items]);
  const virtual = useVirtualizer({
    count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8, getItemKey: keyOf,
    initialRect: UNMEASURED,
  });
  const rows = virtual.getVirtualItems();
  const last = rows.length ? rows[rows.length - 1].index : -1;

  useEffect(() => { if (last >= 0) showing(last); }, [last, items.length, complete, showing]);

  useEffect(() => {
    const at = items.findIndex((i) => i.id === selectedId);
    if (at >= 0) virtual.scrollToIndex(at, { align: 'auto' });
  }, [selectedId]);

  return (
    <section className="queue" aria-label={t('queue.title')}>
      <div className="queue__tabs" role="tablist" aria-label={t('queue.title')}>
        {QUEUE_TABS.map((name) => (
          <button key={name} type="button" role="tab" data-testid="queue-tab" data-tab={name} aria-selected={tab === name}
            className={`qtab${tab === name ? ' qtab--on' : ''}`} onClick={() => void setTab(name)}>
            {t(`queue.tabs.${name}`)} <span className="qtab__count" data-testid="queue-count">{counts[name]}</span>
          </button>
        ))}
      </div>
      <div className="queue__list" ref={scroller} role="tabpanel" aria-label={t(`queue.tabs.${tab}`)} data-testid="queue-list"
        data-count={items.length}>
        {items.length === 0 && <p className="queue__empty">{t('queue.empty')}</p>}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {rows.map((v) => (
            <div key={v.key} className="queue__slot" style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}>
              {v.index < items.length
                ? <Row item={items[v.index]} now={now} selected={items[v.index].id === selectedId} onOpen={open} />
                : <div className="qrow qrow--loading" aria-hidden="true" />}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
