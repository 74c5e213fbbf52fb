// Pure, so the choice of language is tested in Node without a DOM, and the
// browser host paints the first screen in the language the console will use.
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The cookie the console keeps its language in, so the host can write the first screen in it. */
export const LANGUAGE_COOKIE = 'desk_lang';

/** The operator's choice if any, else the OS/browser language, else French (the seeds' language). */
export function initialLanguage(stored: string | null, navigatorLanguages: readonly string[]): Language {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const l of navigatorLanguages) {
    const base = l.slice(0, 2).toLowerCase();
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

/** An Accept-Language header's tags, most wanted first (what navigator.languages holds on the page's side). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',')
    .map((part, at) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), at };
    })
    .filter((l) => l.tag && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.at - b.at)
    .map((l) => l.tag);
}

const COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=([a-z]{2})`);

/** The language named by a Cookie header, if it names one. */
export function cookieLanguage(cookieHeader: string | undefined): string | null {
  return COOKIE_PATTERN.exec(cookieHeader ?? '')?.[1] ?? null;
}
