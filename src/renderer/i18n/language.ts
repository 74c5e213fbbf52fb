// Pure, so the choice of language is tested in Node without a DOM.
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The operator's choice if any, else the OS/browser language, else French (the seeds' language). */
export function initialLanguage(stored: string | null, navigatorLanguages: readonly string[]): Language {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const l of navigatorLanguages) {
    const base = l.slice(0, 2).toLowerCase();
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

