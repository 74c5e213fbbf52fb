import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Operator } from '../../shared/domain';
import { send } from '../bridge/desk';
import { useDesk } from '../state/store';

/** Password sign-in with Supabase; on a direct or embedded database the operator picks their profile. */
export function SignIn() {
  const { t } = useTranslation();
  const method = useDesk((s) => s.session?.signIn ?? 'pick');
  const signIn = useDesk((s) => s.signIn);
  const [operators, setOperators] = useState<Operator[]>([]);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    if (method === 'pick') void send('session.operators', {}).then(setOperators).catch(() => setOperators([]));
  }, [method]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signIn(email, method === 'password' ? password : undefined);
  };

  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signIn.title')}</h1>
      {method === 'pick' && operators.length > 0 && (
        <div className="signin__pick">
          <p>{t('signIn.pick')}</p>
          <ul>
            {operators.map((o) => (
              <li key={o.id}>
                <button type="button" data-testid="operator-option" onClick={() => void signIn(o.email)}>
                  <strong>{o.name}</strong> <span>{o.email}</span> <em>{t(`roles.${o.role}`)}</em>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={submit}>
        <label>{t('signIn.email')}
          <input type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="signin-email" />
        </label>
        {method === 'password' && (
          <label>{t('signIn.password')}
            <input type="password" required autoComplete="current-password" value={password}
              onChange={(e) => setPassword(e.target.value)} data-testid="signin-password" />
          </label>
        )}
        <button type="submit" data-testid="signin-submit">{t('signIn.submit')}</button>
      </form>
    </section>
  );
}
