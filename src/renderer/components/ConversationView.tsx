import { useTranslation } from 'react-i18next';
import type { ConversationDetail, Message } from '../../shared/api/conversation';
import { evidenceText, percent } from '../console/format';
import { useConsole, type Outgoing } from '../state/console';
import { useDesk } from '../state/store';
import { CloseDialog } from './CloseDialog';
import { Composer } from './Composer';

function sources(m: Message): Array<{ title: string; score: number | null }> {
  const r = m.ai_context?.rag_results ?? m.ai_context?.sources;
  if (!Array.isArray(r)) return [];
  return r.flatMap((x) => {
    const o = (x ?? {}) as Record<string, unknown>;
    const title = typeof o.title === 'string' ? o.title : typeof o.name === 'string' ? o.name : null;
    return title ? [{ title, score: typeof o.score === 'number' ? o.score : null }] : [];
  });
}

/** One message; its content is always a text node, whatever the customer typed. */
function Bubble({ m }: { m: Message }) {
  const { t, i18n } = useTranslation();
  const score = m.ai_context?.max_score ?? m.confidence_score;
  const src = m.sender_type === 'ai' ? sources(m) : [];
  const who = m.sender_type === 'admin' ? (m.admin_name ?? t('history.admin')) : t(`history.${m.sender_type}`);
  return (
    <li className={`msg msg--${m.sender_type}`} data-testid="message" data-sender={m.sender_type}>
      <div className="msg__head">
        <strong>{who}</strong>
        <time dateTime={m.created_at}>{new Date(m.created_at).toLocaleTimeString(i18n.language)}</time>
        {m.sender_type === 'admin' && <span className="msg__state" data-testid="delivery-state" data-state="sent">{t('delivery.sent')}</span>}
      </div>
      <p className="msg__text">{m.content}</p>
      {m.sender_type === 'ai' && (typeof score === 'number' || src.length > 0) && (
        <p className="msg__ai">
          {typeof score === 'number' && <span>{t('history.confidence', { score: percent(score) })}</span>}
          {src.length > 0 && <span> · {t('history.sources')} : {src.map((s) => `${s.title}${s.score !== null ? ` (${percent(s.score)})` : ''}`).join(', ')}</span>}
        </p>
      )}
    </li>
  );
}

function Pending({ o, onRetry }: { o: Outgoing; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <li className={`msg msg--admin msg--${o.state}`} data-testid="message" data-sender="admin">
      <div className="msg__head">
        <strong>{t('history.you')}</strong>
        <span className="msg__state" data-testid="delivery-state" data-state={o.state}>{t(`delivery.${o.state}`)}</span>
        {o.state === 'failed' && <button type="button" onClick={onRetry}>{t('delivery.retry')}</button>}
      </div>
      <p className="msg__text">{o.content}</p>
    </li>
  );
}

function Checklist({ order }: { order: NonNullable<ConversationDetail['order']> }) {
  const { t } = useTranslation();
  const keys = ['photo', 'paiement', 'zone', 'tel'] as const;
  const done = keys.filter((k) => order.collected[k]).length;
  return (
    <section className="panel" aria-labelledby="order-title" data-testid="order-checklist">
      <h3 id="order-title">{t('order.title', { done, total: 4 })}</h3>
      <ul className="checklist">
        {keys.map((k) => (
          <li key={k} data-done={order.collected[k]}>
            <span aria-hidden="true">{order.collected[k] ? '✓' : '✗'}</span> {t(`order.${k}`)}
            <span className="sr-only">{order.collected[k] ? t('order.collected') : t('order.missing')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The open conversation: who, why it escalated, the whole history, and what the operator may do with it. */
export function ConversationView() {
  const { t, i18n } = useTranslation();
  const detail = useConsole((s) => s.detail);
  const selectedId = useConsole((s) => s.selectedId);
  const outgoing = useConsole((s) => s.outgoing);
  const closing = useConsole((s) => s.closing);
  const me = useDesk((s) => s.session?.operator?.id);
  const { claim, release, setBot, retry } = useConsole.getState();

  if (!detail || detail.conversation.id !== selectedId) return <section className="conv"><p>{t('conversation.loading')}</p></section>;

  const c = detail.conversation;
  const mine = c.assigned_admin_id === me && c.status === 'human_handling';
  const open = c.status === 'escalated' || c.status === 'active';
  const pending = outgoing.filter((o) => o.conversationId === c.id);
  const reason = c.escalation_reason ? t(`reasons.${c.escalation_reason}`, { defaultValue: c.escalation_reason }) : null;
  const evidence = evidenceText(c.evidence, t);

  return (
    <section className="conv" aria-labelledby="conv-title" data-testid="conversation" data-conversation-id={c.id} data-status={c.status}>
      <header className="conv__head">
        <div>
          <h2 id="conv-title">{t('conversation.title', { id: c.id })}</h2>
          <p className="conv__sub">
            {t('conversation.bot', { name: c.agent_name })}
            {c.priority === 'high' && <span className="pill pill--high">{t('queue.high')}</span>}
            <span className="pill pill--status" data-testid="conversation-status">{t(`status.${c.status}`, { defaultValue: c.status })}</span>
            {c.assigned_name && <span> · {t('queue.heldBy', { name: c.assigned_name })}</span>}
          </p>
          {detail.cachedAt && (
            <p className="conv__cached" role="status" data-testid="from-cache">
              {t('offline.fromCache', { when: new Date(detail.cachedAt).toLocaleString(i18n.language) })}
            </p>
          )}
          {reason && <p className="conv__why" data-testid="escalation-evidence">{t('conversation.escalation')} : {reason}{evidence ? ` (${evidence})` : ''}</p>}
        </div>
        <div className="conv__actions">
          {open && <button type="button" className="primary" data-testid="take-over" onClick={() => void claim()}>{t('actions.takeOver')}</button>}
          {mine && <button type="button" data-testid="release" onClick={() => void release()}>{t('actions.release')}</button>}
          {mine && (
            <label className="toggle">
              <input type="checkbox" data-testid="bot-toggle" checked={c.bot_enabled} onChange={(e) => void setBot(e.target.checked)} />
              {c.bot_enabled ? t('actions.botOn') : t('actions.botOff')}
            </label>
          )}
          {mine && <button type="button" data-testid="close-conversation" onClick={() => useConsole.setState({ closing: true })}>{t('actions.close')}</button>}
        </div>
      </header>
      <div className="conv__body">
        <ol className="history" aria-label={t('history.title')} data-testid="history">
          {detail.messages.map((m) => <Bubble key={m.id} m={m} />)}
          {pending.map((o) => <Pending key={o.clientMsgId} o={o} onRetry={() => void retry(o.clientMsgId)} />)}
        </ol>
        <aside className="conv__side">
          <section className="panel" aria-labelledby="customer-title">
            <h3 id="customer-title">{t('customer.title')}</h3>
            <dl className="kv" data-testid="customer">
              {Object.entries(detail.customer).map(([k, v]) => (
                <div key={k}><dt>{t(`customer.${k}`, { defaultValue: k })}</dt><dd>{v}</dd></div>
              ))}
            </dl>
          </section>
          {detail.order && <Checklist order={detail.order} />}
          {detail.interventions.length > 0 && (
            <section className="panel" aria-labelledby="interv-title">
              <h3 id="interv-title">{t('queue.tabs.interventions')}</h3>
              <ul>
                {detail.interventions.map((i) => (
                  <li key={i.id}>{t(`reasons.${String(i.metadata.reason)}`, { defaultValue: String(i.metadata.reason ?? '') })}
                    {i.message ? ` — ${i.message}` : ''}</li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
      {mine && <Composer conversationId={c.id} />}
      {closing && mine && <CloseDialog detail={detail} />}
    </section>
  );
}
