import { useTranslation } from 'react-i18next';
import { LANGUAGES, switchLanguage, type Language } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="sr-only">{t('app.language')}</span>
      <select data-testid="language-select" value={i18n.language} aria-label={t('app.language')}
        onChange={(e) => switchLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => <option key={l} value={l}>{l.toUpperCase()}</option>)}
      </select>
    </label>
  );
}
