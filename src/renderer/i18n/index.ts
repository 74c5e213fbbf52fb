import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fr } from './fr';
import { initialLanguage, LANGUAGES, type Language } from './language';

export { LANGUAGES, type Language };

const STORAGE_KEY = 'desk.language';

export function setupI18n() {
  const lng = initialLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]);
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng,
    fallbackLng: 'fr',
    // React already escapes: customer text is rendered as text, never as HTML.
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = lng;
  return i18next;
}

export function switchLanguage(lng: Language): void {
  localStorage.setItem(STORAGE_KEY, lng);
  document.documentElement.lang = lng;
  void i18next.changeLanguage(lng);
}
