import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Template } from '../../shared/api/conversation';
import { send } from '../bridge/desk';
import { useDraft } from '../console/draft';
import { percent } from '../console/format';
import { fetchSuggestions } from '../console/suggestions';
import { useConsole } from '../state/console';

/** Typing pauses this long before the draft is saved to the offline cache. */
const DRAFT_SAVE_MS = 400;

/**
 * Keeps the box's text as this conversation's draft in the offline cache
 * (saved while typing, restored when the conversation is opened again, even
 * after a restart). A host without a cache simply keeps nothing.
 */
function useSavedDraft(conversationId: number): { forget(): void } {
  const text = useDraft((s) => s.text);
  const loadedFor = useRef<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const unsaved = useRef<{ id: number; text: string } | null>(null);
  const flush = useRef(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const u = unsaved.current;
    unsaved.current = null;
    if (u) void send('drafts.save', { conversationId: u.id, content: u.text }).catch(() => {});
  });

  useEffect(() => {
    useDraft.setState({ text: '', suggestions: null });
    loadedFor.current = null;
    let live = true;
    void send('drafts.get', { conversationId })
      .then((d) => {
        // Text typed before the draft arrived wins over it.
        if (live && d?.content && !useDraft.getState().text) useDraft.setState({ text: d.content });
      })
      .catch(() => {})
      .finally(() => { if (live) loadedFor.current = conversationId; });
    const save = flush.current;
    window.addEventListener('pagehide', save);
    return () => { live = false; window.removeEventListener('pagehide', save); save(); };
  }, [conversationId]);

  useEffect(() => {
    if (loadedFor.current !== conversationId) return;
    unsaved.current = { id: conversationId, text };
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush.current, DRAFT_SAVE_MS);
  }, [text, conversationId]);

  return {
    /** Sent: the core dropped the draft with the reply, so nothing typed before may be saved again. */
    forget() {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      unsaved.current = null;
    },
  };
}

/** The reply box: templates, AI suggestions (score + source), Ctrl+Enter to send, drafts kept, replies queued offline. */
export function Composer({ conversationId }: { conversationId: number }) {
  const { t, i18n } = useTranslation();
  const text = useDraft((s) => s.text);
  const suggestions = useDraft((s) => s.suggestions);
  const focusTick = useDraft((s) => s.focusTick);
  const agentId = useConsole((s) => s.detail?.conversation.agent_id);
  const messageCount = useConsole((s) => s.detail?.messages.length ?? 0);
  const queuedHere = useConsole((s) => s.outgoing.filter((o) => o.conversationId === conversationId && o.state === 'queued').length);
  const draft = useSavedDraft(conversationId);
  const [templates, setTemplates] = useState<Template[]>([]);
  const box = useRef<HTMLTextAreaElement>(null);

  // A layout effect: focus moves as the render commits, not a frame later (Preact runs plain effects after paint).
  useLayoutEffect(() => { if (focusTick) box.current?.focus(); }, [focusTick]);
  useEffect(() => {
    if (!agentId) return;
    void send('conversation.templates', { agentId }).then(setTemplates).catch(() => setTemplates([]));
  }, [agentId]);
  useEffect(() => {
    let live = true;
    void fetchSuggestions(conversationId).then((s) => { if (live) useDraft.setState({ suggestions: s }); }).catch(() => {});
    return () => { live = false; };
  }, [conversationId, messageCount]);

  const submit = async () => {
    const content = useDraft.getState().text;
    if (!content.trim()) return;
    draft.forget();
    useDraft.setState({ text: '' });
    await useConsole.getState().reply(content);
  };
  const ordered = [...templates].sort((a, b) => Number(b.language === i18n.language) - Number(a.language === i18n.language));

  return (
    <section className="composer" aria-labelledby="composer-title">
      <h3 id="composer-title" className="sr-only">{t('composer.title')}</h3>
      {suggestions && suggestions.length > 0 && (
        <ul className="suggestions" aria-label={t('composer.suggestions')}>
          {suggestions.slice(0, 3).map((s, i) => (
            <li key={i}>
              <button type="button" data-testid="suggestion" data-index={i + 1} onClick={() => useDraft.getState().insert(s.text)}
                title={t('composer.insertSuggestion', { n: i + 1 })}>
                <kbd>Alt+{i + 1}</kbd>
                <span className="suggestion__meta">
                  {s.score !== null && <span>{percent(s.score)}</span>}
                  {s.kind && <span> · {t(`composer.sourceKind.${s.kind}`, { defaultValue: s.kind })}</span>}
                  {s.source && <span> · {s.source}</span>}
                </span>
                <span className="suggestion__text">{s.text}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {suggestions === null && <p className="composer__hint">{t('composer.noSuggestions')}</p>}
      <textarea ref={box} data-testid="composer" aria-label={t('composer.label')} rows={4} value={text}
        placeholder={t('composer.placeholder')} onChange={(e) => useDraft.setState({ text: e.target.value })}
        onKeyDown={(e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); void submit(); } }} />
      <div className="composer__bar">
        <label>
          <span className="sr-only">{t('composer.templates')}</span>
          <select data-testid="template-select" id="template-select" aria-label={t('composer.templates')} value=""
            onChange={(e) => {
              const tpl = templates.find((x) => String(x.id) === e.target.value);
              if (tpl) useDraft.getState().insert(tpl.content);
            }}>
            <option value="">{t('composer.templates')} (Alt+M)</option>
            {ordered.map((tpl) => <option key={tpl.id} value={tpl.id}>{tpl.title}</option>)}
          </select>
        </label>
        {queuedHere > 0 && (
          <span className="composer__queued" role="status" data-testid="composer-queued" data-count={queuedHere}>
            {t('offline.queued')} ({queuedHere})
          </span>
        )}
        <button type="button" className="primary" data-testid="send" disabled={!text.trim()} onClick={() => void submit()}>
          {t('composer.send')} <kbd>Ctrl+Enter</kbd>
        </button>
      </div>
    </section>
  );
}
