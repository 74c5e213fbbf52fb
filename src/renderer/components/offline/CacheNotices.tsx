import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventPayload } from '../../../shared/contract';
import { send } from '../../bridge/desk';
import { isQueued, useConsole } from '../../state/console';
import { subscribeOffline, useOffline } from '../../state/offline';

type Refusal = EventPayload<'outbox.rejected'>;

/** Tries the refused action again, now, as a new action: a reply is re-sent, a take-over or closure redone in the console. */
async function retry(r: Refusal): Promise<string | null> {
  const c = useConsole.getState();
  if (r.kind === 'reply') {
    try {
      await send('conversation.reply', { conversationId: r.conversationId, clientMsgId: crypto.randomUUID(), content: r.content ?? '' });
    } catch (err) {
      if (!isQueued(err)) return err instanceof Error ? err.message : String(err);
    }
    await c.select(r.conversationId);
    return null;
  }
  await c.select(r.conversationId);
  if (r.kind === 'claim') await useConsole.getState().claim();
  else useConsole.setState({ closing: true });
  return null;
}

function RefusalNotice({ r }: { r: Refusal }) {
  const { t } = useTranslation();
  const [note, setNote] = useState<string | null>(null);
  const dismiss = () => void useOffline.getState().dismissRefusal(r.id);
  return (
    <li className="refusal" data-testid="outbox-refusal" data-kind={r.kind} data-conversation-id={r.conversationId}>
      <p>{t(`offline.rejected.${r.kind}`, { id: r.conversationId, message: r.message })}</p>
      {r.content && <blockquote className="refusal__text" data-testid="refused-text">{r.content}</blockquote>}
      {note && <p className="refusal__note" role="status">{note}</p>}
      <div className="refusal__actions">
        <button type="button" data-testid="refusal-retry" onClick={() => void retry(r).then((failed) => {
          if (failed) setNote(t('errors.generic', { message: failed })); else dismiss();
        })}>{t('offline.rejected.retry')}</button>
        {r.content && (
          <button type="button" data-testid="refusal-copy" onClick={() => {
            void navigator.clipboard?.writeText(r.content ?? '').then(() => setNote(t('offline.rejected.copied')), () => {});
          }}>{t('offline.rejected.copy')}</button>
        )}
        <button type="button" data-testid="refusal-dismiss" onClick={dismiss}>{t('offline.rejected.dismiss')}</button>
      </div>
    </li>
  );
}

/**
 * What the cache has to tell the operator: a rebuilt cache file, and actions
 * refused when they were replayed. Mounted for as long as someone is signed
 * in, so it also loads the cache's state and follows its events for the badge.
 */
export function CacheNotices() {
  const { t } = useTranslation();
  useEffect(() => {
    const off = subscribeOffline();
    void useOffline.getState().load();
    return off;
  }, []);
  const reset = useOffline((s) => s.reset);
  const refusals = useOffline((s) => s.refusals);
  if (!reset && refusals.length === 0) return null;
  return (
    <div className="cache-notices">
      {reset && (
        <div className="notice notice--info" role="status" data-testid="cache-reset-banner">
          <span>{t(`offline.reset.${reset.reason}`)} {t('offline.reset.keptAt', { path: reset.movedTo })}</span>
          <button type="button" aria-label={t('common.close')} onClick={() => useOffline.getState().dismissReset()}>×</button>
        </div>
      )}
      {refusals.length > 0 && (
        <section className="notice notice--error refusals" role="alert" aria-labelledby="refusals-title" data-testid="outbox-refusals">
          <h2 id="refusals-title">{t('offline.rejected.title')}</h2>
          <ul>{refusals.map((r) => <RefusalNotice key={r.id} r={r} />)}</ul>
        </section>
      )}
    </div>
  );
}
