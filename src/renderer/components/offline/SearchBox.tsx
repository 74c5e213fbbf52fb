import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../shared/api/cache';
import { send } from '../../bridge/desk';
import { actionFor } from '../../console/shortcuts';
import { useConsole } from '../../state/console';

const DEBOUNCE_MS = 150;

/** A hit's text: matched words in <mark>, everything as text nodes (customer text is never HTML). */
function Snippet({ hit }: { hit: SearchHit }) {
  return <span className="search__text">{hit.segments.map((s, i) => (s.highlighted ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}</span>;
}

/**
 * The header's search over cached messages (works offline, accents and case
 * ignored). Ctrl+K or / focuses it; ↑ ↓ choose a hit, Enter opens its conversation.
 */
export function SearchBox() {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const asked = useRef(0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (actionFor(e).action === 'search') {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const q = query.trim();
    const n = ++asked.current;
    if (!q) { setHits(null); return; }
    const timer = setTimeout(() => {
      send('search.messages', { query: q, limit: 20 })
        .then((r) => { if (asked.current === n) { setHits(r.hits); setActive(0); } })
        .catch(() => { if (asked.current === n) setHits([]); });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const openHit = (hit: SearchHit | undefined) => {
    if (!hit) return;
    setOpen(false);
    void useConsole.getState().select(hit.conversationId);
  };
  const showing = open && hits !== null;

  return (
    <div className="search" role="search">
      <input ref={input} type="search" className="search__input" data-testid="search-input" value={query}
        role="combobox" aria-expanded={showing} aria-controls="search-results" aria-autocomplete="list"
        aria-activedescendant={showing && hits.length > 0 ? `search-hit-${active}` : undefined}
        aria-label={t('offline.search')} placeholder={`${t('offline.search')} (Ctrl+K)`} title={t('offline.searchKeys')}
        aria-keyshortcuts="Control+K /"
        onChange={(e) => { setQuery(e.target.value); setOpen(true); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && hits?.length) { e.preventDefault(); setOpen(true); setActive((a) => Math.min(hits.length - 1, a + 1)); }
          else if (e.key === 'ArrowUp' && hits?.length) { e.preventDefault(); setActive((a) => Math.max(0, a - 1)); }
          else if (e.key === 'Enter') { e.preventDefault(); openHit(hits?.[active]); }
          else if (e.key === 'Escape') { setOpen(false); input.current?.blur(); }
        }} />
      {showing && (
        <ul className="search__results" id="search-results" role="listbox" aria-label={t('offline.searchResults')} data-testid="search-results">
          {hits.length === 0 && <li className="search__empty" role="option" aria-disabled="true" aria-selected="false">{t('offline.searchEmpty')}</li>}
          {hits.map((h, i) => (
            <li key={h.messageId} id={`search-hit-${i}`} role="option" aria-selected={i === active} data-testid="search-hit"
              data-conversation-id={h.conversationId} className={i === active ? 'search__hit search__hit--active' : 'search__hit'}
              onMouseDown={(e) => e.preventDefault()} onMouseEnter={() => setActive(i)} onClick={() => openHit(h)}>
              <span className="search__meta">
                {t('conversation.title', { id: h.conversationId })} · {t(`history.${h.senderType}`, { defaultValue: h.senderType })} ·{' '}
                <time dateTime={h.createdAt}>{new Date(h.createdAt).toLocaleString(i18n.language)}</time>
              </span>
              <Snippet hit={h} />
            </li>
          ))}
          <li className="search__hint" role="presentation">{t('offline.searchHint')}</li>
        </ul>
      )}
    </div>
  );
}
