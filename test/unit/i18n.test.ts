import { describe, expect, it } from 'vitest';
import { acceptedLanguages, cookieLanguage, initialLanguage } from '../../src/shared/language';
import { en } from '../../src/renderer/i18n/en';
import { fr } from '../../src/renderer/i18n/fr';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('console language', () => {
  it('follows the OS language, keeps the operator\'s choice, and falls back to French', () => {
    expect(initialLanguage(null, ['en-GB', 'fr'])).toBe('en');
    expect(initialLanguage(null, ['fr-CA'])).toBe('fr');
    expect(initialLanguage('en', ['fr-FR'])).toBe('en');
    expect(initialLanguage(null, ['de-DE', 'es'])).toBe('fr');
  });

  it('reads the browser\'s languages from Accept-Language, most wanted first, as the page reads navigator.languages', () => {
    expect(acceptedLanguages('de-DE,de;q=0.9,en;q=0.8,fr;q=0.7')).toEqual(['de-DE', 'de', 'en', 'fr']);
    expect(acceptedLanguages('fr;q=0.5, en-US')).toEqual(['en-US', 'fr']);
    expect(acceptedLanguages('*, en;q=0')).toEqual([]);
    expect(acceptedLanguages(undefined)).toEqual([]);
    // So the host's first screen is in the language the page will pick.
    expect(initialLanguage(cookieLanguage(undefined), acceptedLanguages('de-DE,en;q=0.8,fr;q=0.9'))).toBe('fr');
    expect(initialLanguage(cookieLanguage('desk_token=abc; desk_lang=en'), acceptedLanguages('fr-FR'))).toBe('en');
    expect(initialLanguage(cookieLanguage('desk_lang=xx'), acceptedLanguages('en'))).toBe('en');
  });

  it('has every French string in English too, none left empty', () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
    const blank = keys(en).filter((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], en) === '');
    expect(blank).toEqual([]);
  });
});
