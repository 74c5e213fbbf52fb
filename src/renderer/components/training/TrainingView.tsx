import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/contract';
import type { TrainingItem } from '../../../shared/api/training';
import { TRAINING_STATUSES } from '../../../shared/values';
import { bridge, send } from '../../bridge/desk';

type Status = (typeof TRAINING_STATUSES)[number];
type Listing = CommandOutput<'training.list'>;

const percent = (n: number) => `${Math.round(n * 100)} %`;

/**
 * Seed 001 §7.2: operators' answers waiting for validation, with counts; a
 * supervisor edits, approves (the bots reuse it at once) or rejects, or
 * merges a near-duplicate into the answer that already exists. Per bot, how
 * many escalations the approved answers have avoided since.
 */
export function TrainingView() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<Status>('pending');
  const [data, setData] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await send('training.list', { status }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [status]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => bridge().on('feed.changed', ({ kinds }) => {
    if (kinds.some((k) => k === 'learned_responses' || k === 'support_conversations')) void load();
  }), [load]);

  const act = async (fn: () => Promise<unknown>) => {
    try { await fn(); await load(); } catch (err) { setError((err as Error).message); }
  };
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(i18n.language) : '');
  const counts = data?.counts;

  return (
    <section className="training" data-testid="training-view" aria-labelledby="training-title">
      <h2 id="training-title">{t('training.title')}</h2>
      {error && <p role="alert" className="app__error">{t('errors.generic', { message: error })}</p>}
      {counts && (
        <dl className="training__counts">
          <div data-testid="training-count" data-status="pending"><dt>{t('training.counts.pending')}</dt><dd>{counts.pending}</dd></div>
          <div data-testid="training-count" data-status="approved"><dt>{t('training.counts.approved')}</dt><dd>{counts.approved}</dd></div>
          <div data-testid="training-count" data-status="indexed"><dt>{t('training.counts.indexed')}</dt><dd>{counts.indexed}</dd></div>
          <div><dt>{t('training.counts.indexedThisMonth')}</dt><dd>{counts.indexed_this_month}</dd></div>
          <div data-testid="training-count" data-status="rejected"><dt>{t('training.counts.rejected')}</dt><dd>{counts.rejected}</dd></div>
          <div data-testid="training-count" data-status="avoided"><dt>{t('training.counts.avoided')}</dt><dd>{counts.avoided}</dd></div>
        </dl>
      )}

      {data && data.effect.length > 0 && (
        <table className="training__effect">
          <caption>{t('training.effect.title')}</caption>
          <thead><tr>
            <th scope="col">{t('training.effect.bot')}</th><th scope="col">{t('training.effect.approved')}</th>
            <th scope="col">{t('training.effect.reused')}</th><th scope="col">{t('training.effect.avoided')}</th>
          </tr></thead>
          <tbody>
            {data.effect.map((e) => (
              <tr key={e.agent_id} data-testid="training-effect-row" data-bot-id={e.agent_id}>
                <th scope="row">{e.agent_name}</th><td>{e.approved}</td><td>{e.reused}</td><td data-testid="training-avoided">{e.avoided}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div role="tablist" className="training__tabs">
        {TRAINING_STATUSES.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={s === status} data-testid="training-tab" data-status={s}
            onClick={() => setStatus(s)}>
            {t(`training.tabs.${s}`)}{counts ? ` (${counts[s]})` : ''}
          </button>
        ))}
      </div>

      {data && data.items.length === 0 && <p>{t('training.empty')}</p>}
      <ul className="training__items">
        {data?.items.map((item) => (
          <TrainingCard key={item.id} item={item} date={date} act={act} />
        ))}
      </ul>
    </section>
  );
}

function TrainingCard({ item, date, act }: {
  item: TrainingItem; date: (iso: string | null) => string; act: (fn: () => Promise<unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [question, setQuestion] = useState(item.question);
  const [answer, setAnswer] = useState(item.answer);
  const edits = () => ({
    ...(question.trim() !== item.question ? { question: question.trim() } : {}),
    ...(answer.trim() !== item.answer ? { answer: answer.trim() } : {}),
  });
  const review = (decision: 'approve' | 'reject') =>
    act(() => send('training.review', { id: item.id, decision, ...(decision === 'approve' ? edits() : {}) }));

  return (
    <li className="training__item" data-testid="training-item" data-id={item.id} data-status={item.status}>
      <p className="training__meta">
        {item.support_conversation_id !== null && <span>#{item.support_conversation_id} · </span>}
        <span>{t('training.bot', { name: item.agent_name })}</span>
        {item.created_by_name && <span> · {t('training.by', { name: item.created_by_name })}</span>}
        <span> · {date(item.created_at)}</span>
        {item.reviewed_by_name && <span> · {t('training.reviewedBy', { name: item.reviewed_by_name, date: date(item.reviewed_at) })}</span>}
      </p>
      {editing ? (
        <div className="training__edit">
          <label>{t('training.question')}
            <textarea data-testid="training-question" rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
          </label>
          <label>{t('training.answer')}
            <textarea data-testid="training-answer" rows={5} value={answer} onChange={(e) => setAnswer(e.target.value)} />
          </label>
        </div>
      ) : (
        <>
          <p><strong>{t('training.q')}</strong> {item.question}</p>
          <p className="training__answer"><strong>{t('training.a')}</strong> {item.answer}</p>
        </>
      )}
      {item.status === 'indexed' && (
        <p className="training__usage" data-testid="training-usage">
          {t('training.usage', { count: item.avoided, uses: item.use_count })}
        </p>
      )}
      {item.status === 'pending' && item.similar_id !== null && (
        <div className="training__similar" data-testid="training-similar" data-similar-id={item.similar_id}>
          <p>{t('training.similar', { id: item.similar_id, score: percent(item.similar_score ?? 0) })} « {item.similar_question} »</p>
          <button type="button" data-testid="training-merge"
            onClick={() => void act(() => send('training.merge', { id: item.id, intoId: item.similar_id! }))}>
            {t('training.mergeKeep')}
          </button>
          <button type="button" data-testid="training-merge-replace"
            onClick={() => void act(() => send('training.merge', { id: item.id, intoId: item.similar_id!, answer: answer.trim() }))}>
            {t('training.mergeReplace')}
          </button>
        </div>
      )}
      {item.status === 'pending' && (
        <div className="training__actions">
          <button type="button" data-testid="training-approve" onClick={() => void review('approve')}>
            {editing ? t('training.saveApprove') : t('training.approve')}
          </button>
          {!editing && <button type="button" data-testid="training-edit" onClick={() => setEditing(true)}>{t('training.edit')}</button>}
          <button type="button" data-testid="training-reject" onClick={() => void review('reject')}>{t('training.reject')}</button>
        </div>
      )}
    </li>
  );
}
