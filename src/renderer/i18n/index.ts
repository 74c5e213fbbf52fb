import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { fr } from './fr';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'desk.language';

/** The operator's choice if any, else the OS/browser language, else French (the seeds' language). */
export function initialLanguage(stored: string | null, navigatorLanguages: readonly string[]): Language {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const l of navigatorLanguages) {
    const base = l.slice(0, 2).toLowerCase();
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

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
