import { useTranslation } from 'react-i18next';
import { useConsole } from '../state/console';
import { useDesk } from '../state/store';

/** Going offline or signing out with conversations in hand: keep them or give them back, never drop them silently. */
export function HandoffDialog() {
  const { t } = useTranslation();
  const why = useConsole((s) => s.handoffFor);
  const current = useConsole((s) => s.presence?.current ?? 0);
  if (!why) return null;
  const signOut = 'signOut' in why;
  const choose = async (handoff: 'keep' | 'return') => {
    await useConsole.getState().setPresence(signOut ? 'offline' : why.status, handoff);
    if (signOut && !useConsole.getState().handoffFor) await useDesk.getState().signOut();
  };
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="handoff-title" data-testid="handoff-dialog">
        <h2 id="handoff-title">{t(signOut ? 'handoff.titleSignOut' : 'handoff.title')}</h2>
        <p>{t('handoff.body', { count: current })}</p>
        <div className="dialog__actions">
          <button type="button" autoFocus data-testid="handoff-return" onClick={() => void choose('return')}>{t('handoff.return')}</button>
          <button type="button" data-testid="handoff-keep" onClick={() => void choose('keep')}>{t('handoff.keep')}</button>
          <button type="button" onClick={() => useConsole.setState({ handoffFor: null })}>{t('common.cancel')}</button>
        </div>
      </div>
    </div>
  );
}
