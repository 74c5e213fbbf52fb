import { describe, expect, it } from 'vitest';
import { initialLanguage } from '../../src/renderer/i18n/language';
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

  it('has every French string in English too, none left empty', () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
    const blank = keys(en).filter((k) => k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], en) === '');
    expect(blank).toEqual([]);
  });
});
