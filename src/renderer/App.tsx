import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionBadge } from './components/ConnectionBadge';
import { LanguageSwitch } from './components/LanguageSwitch';
import { Overview } from './components/Overview';
import { SignIn } from './components/SignIn';
import { subscribeToCore, useDesk } from './state/store';

export function App() {
  const { t } = useTranslation();
  const operator = useDesk((s) => s.session?.operator);
  const error = useDesk((s) => s.error);
  const signOut = useDesk((s) => s.signOut);

  useEffect(() => {
    const off = subscribeToCore();
    void useDesk.getState().load();
    return off;
  }, []);

  return (
    <div className="app">
      <header className="app__header">
        <strong className="app__title">{t('app.title')}</strong>
        <ConnectionBadge />
        {operator && (
          <span className="app__operator" data-testid="signed-in-operator">
            {t('signIn.signedInAs', { name: operator.name })} · {t(`roles.${operator.role}`)}
            <button type="button" onClick={() => void signOut()}>{t('signIn.signOut')}</button>
          </span>
        )}
        <LanguageSwitch />
      </header>
      {error && (
        <div className="app__error" role="alert" data-testid="error-banner">
          {t(error.code === 'unauthorized' ? 'errors.unauthorized' : 'errors.generic', { message: error.message })}
        </div>
      )}
      <main className="app__main">{operator ? <Overview /> : <SignIn />}</main>
    </div>
  );
}
