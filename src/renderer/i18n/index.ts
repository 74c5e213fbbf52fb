import i18next, { type InitOptions } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fr } from './fr';
import { initialLanguage, LANGUAGE_COOKIE, LANGUAGES, type Language } from '../../shared/language';

export { LANGUAGES, type Language };

const STORAGE_KEY = 'desk.language';

/** The one configuration, for the page and for the first screen the browser host renders. */
export function i18nOptions(lng: Language): InitOptions {
  return {
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng,
    fallbackLng: 'fr',
    // Resources are in the bundle: ready at once, so the first render has its strings.
    initAsync: false,
    // React already escapes: customer text is rendered as text, never as HTML.
    interpolation: { escapeValue: false },
  };
}

/** The host reads the cookie to paint the first screen in this language before the scripts run. */
function remember(lng: Language): void {
  document.documentElement.lang = lng;
  // Electron's app:// page keeps no cookies and has no host to paint ahead: nothing to remember there.
  try { document.cookie = `${LANGUAGE_COOKIE}=${lng}; Path=/; SameSite=Strict; Max-Age=31536000`; } catch { /* no cookies here */ }
}

export function setupI18n() {
  const lng = initialLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]);
  void i18next.use(initReactI18next).init(i18nOptions(lng));
  remember(lng);
  return i18next;
}

export function switchLanguage(lng: Language): void {
  localStorage.setItem(STORAGE_KEY, lng);
  remember(lng);
  void i18next.changeLanguage(lng);
}
