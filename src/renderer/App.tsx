import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionBadge } from './components/ConnectionBadge';
import { ConsoleScreen } from './components/ConsoleScreen';
import { HandoffDialog } from './components/lazy';
import { LanguageSwitch } from './components/LanguageSwitch';
import { CacheNotices } from './components/offline/CacheNotices';
import { Overview } from './components/Overview';
import { PresenceControl } from './components/PresenceControl';
import { SignIn } from './components/SignIn';
import { TrainingSlot, trainingAvailable } from './components/TrainingSlot';
import { useConsole } from './state/console';
import { subscribeToCore, useDesk } from './state/store';

type View = 'console' | 'bots' | 'training';

/** Signing out with conversations in hand asks first (keep them or return them), like going offline. */
async function signOutSafely(): Promise<void> {
  const c = useConsole.getState();
  await c.loadPresence();
  if ((useConsole.getState().presence?.current ?? 0) > 0) { useConsole.setState({ handoffFor: { signOut: true } }); return; }
  await c.setPresence('offline', 'keep');
  await useDesk.getState().signOut();
}

export function App() {
  const { t } = useTranslation();
  const operator = useDesk((s) => s.session?.operator);
  const error = useDesk((s) => s.error);
  const waiting = useConsole((s) => s.counts.waiting);
  const handoff = useConsole((s) => s.handoffFor !== null);
  const [view, setView] = useState<View>('console');
  const canTrain = trainingAvailable && (operator?.role === 'supervisor' || operator?.role === 'admin');

  useEffect(() => {
    const off = subscribeToCore();
    void useDesk.getState().load();
    return off;
  }, []);
  useEffect(() => { if (!operator) useConsole.getState().reset(); }, [operator]);
  useEffect(() => { document.title = waiting > 0 ? `(${waiting}) ${t('app.title')}` : t('app.title'); }, [waiting, t]);

  return (
    <div className="app">
      <header className="app__header">
        <strong className="app__title">{t('app.title')}</strong>
        {operator && (
          <nav className="app__nav" aria-label={t('nav.label')}>
            <button type="button" aria-current={view === 'console' ? 'page' : undefined} onClick={() => setView('console')}>{t('nav.console')}</button>
            <button type="button" aria-current={view === 'bots' ? 'page' : undefined} onClick={() => setView('bots')}>{t('nav.bots')}</button>
            {canTrain && <button type="button" aria-current={view === 'training' ? 'page' : undefined} onClick={() => setView('training')}>{t('nav.training')}</button>}
          </nav>
        )}
        <ConnectionBadge />
        {operator && <PresenceControl />}
        {operator && (
          <span className="app__operator" data-testid="signed-in-operator">
            {t('signIn.signedInAs', { name: operator.name })} · {t(`roles.${operator.role}`)}
            <button type="button" data-testid="sign-out" onClick={() => void signOutSafely()}>{t('signIn.signOut')}</button>
          </span>
        )}
        <LanguageSwitch />
      </header>
      {error && (
        <div className="app__error" role="alert" data-testid="error-banner">
          {t(error.code === 'unauthorized' ? 'errors.unauthorized' : 'errors.generic', { message: error.message })}
        </div>
      )}
      {operator && <CacheNotices />}
      <main className={`app__main app__main--${operator ? view : 'signin'}`}>
        {!operator ? <SignIn /> : view === 'console' ? <ConsoleScreen /> : view === 'bots' ? <Overview /> : <TrainingSlot />}
      </main>
      {operator && handoff && <HandoffDialog />}
    </div>
  );
}
