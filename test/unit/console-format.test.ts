import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { exactTime, waitText } from '../../src/renderer/console/format';

// The keys and values the queue row asks for, so the test reads what an operator would.
const t = ((key: string, v?: Record<string, unknown>) => `${key}${v ? ` ${JSON.stringify(v)}` : ''}`) as unknown as TFunction;

describe('queue time formats', () => {
  it('reads a wait as now, minutes, hours and minutes, then days', () => {
    const since = '2026-11-22T08:00:00.000Z';
    const at = (ms: number) => Date.parse(since) + ms;
    expect(waitText(since, at(30_000), t)).toBe('wait.now');
    expect(waitText(since, at(4 * 60_000), t)).toBe('wait.minutes {"n":4}');
    expect(waitText(since, at((2 * 60 + 5) * 60_000), t)).toBe('wait.hours {"h":2,"m":"05"}');
    expect(waitText(since, at(3 * 24 * 3600_000), t)).toBe('wait.days {"n":3}');
    // A clock slightly behind the database's never shows a negative wait.
    expect(waitText(since, at(-5_000), t)).toBe('wait.now');
  });

  it('gives the exact moment in the console\'s language, date first', () => {
    const iso = '2026-11-22T08:04:09.000Z';
    expect(exactTime(iso, 'fr')).toMatch(/^22\/11\/2026 \d{2}:04:09$/);
    expect(exactTime(iso, 'en')).toMatch(/^11\/22\/26, \d{1,2}:04:09\s?[AP]M$/);
    // Formatters are kept per language: switching back gives the same text.
    expect(exactTime(iso, 'fr')).toBe(exactTime(iso, 'fr'));
  });
});
