import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationDetail } from '../../shared/api/conversation';
import { RESOLUTION_TYPES } from '../../shared/values';
import { useConsole } from '../state/console';

type Resolution = (typeof RESOLUTION_TYPES)[number];

/** The customer's last question and the operator's last answer: the learned response's starting point. */
function prefill(detail: ConversationDetail, pending: string[]): { question: string; answer: string } {
  const msgs = detail.messages;
  const question = [...msgs].reverse().find((m) => m.sender_type === 'user')?.content ?? '';
  const answer = pending.at(-1) ?? [...msgs].reverse().find((m) => m.sender_type === 'admin')?.content ?? '';
  return { question, answer };
}

/** Closure: a resolution type, notes, and optionally a learned response, both texts editable before confirming. */
export function CloseDialog({ detail }: { detail: ConversationDetail }) {
  const { t } = useTranslation();
  const outgoing = useConsole((s) => s.outgoing);
  const initial = prefill(detail, outgoing.filter((o) => o.conversationId === detail.conversation.id).map((o) => o.content));
  const [type, setType] = useState<Resolution>('answered');
  const [notes, setNotes] = useState('');
  const [learn, setLearn] = useState(Boolean(initial.answer));
  const [question, setQuestion] = useState(initial.question);
  const [answer, setAnswer] = useState(initial.answer);
  const [busy, setBusy] = useState(false);
  const learning = learn && type === 'answered';

  const confirm = async () => {
    setBusy(true);
    await useConsole.getState().resolve({
      resolutionType: type,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      ...(learning && question.trim() && answer.trim() ? { learnedQuestion: question.trim(), learnedAnswer: answer.trim() } : {}),
    });
    setBusy(false);
  };

  return (
    <div className="overlay">
      <form className="dialog dialog--wide" role="dialog" aria-modal="true" aria-labelledby="close-title" data-testid="close-dialog"
        onSubmit={(e) => { e.preventDefault(); void confirm(); }}>
        <h2 id="close-title">{t('close.title', { id: detail.conversation.id })}</h2>
        <label>{t('close.type')}
          <select data-testid="resolution-type" autoFocus value={type} onChange={(e) => setType(e.target.value as Resolution)}>
            {RESOLUTION_TYPES.map((r) => <option key={r} value={r}>{t(`resolution.${r}`)}</option>)}
          </select>
        </label>
        <label>{t('close.notes')}
          <textarea data-testid="resolution-notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        {type === 'answered' && (
          <fieldset className="learn">
            <legend>
              <label>
                <input type="checkbox" data-testid="create-learned-response" checked={learn} onChange={(e) => setLearn(e.target.checked)} />
                {t('close.learn')}
              </label>
            </legend>
            {learn && (
              <>
                <label>{t('close.question')}
                  <textarea data-testid="learned-question" rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
                </label>
                <label>{t('close.answer')}
                  <textarea data-testid="learned-answer" rows={4} value={answer} onChange={(e) => setAnswer(e.target.value)} />
                </label>
                <p className="hint">{t('close.learnHint')}</p>
              </>
            )}
          </fieldset>
        )}
        <div className="dialog__actions">
          <button type="submit" className="primary" data-testid="confirm-close"
            disabled={busy || (learning && (!question.trim() || !answer.trim()))}>{t('close.confirm')}</button>
          <button type="button" onClick={() => useConsole.setState({ closing: false })}>{t('common.cancel')}</button>
        </div>
      </form>
    </div>
  );
}
