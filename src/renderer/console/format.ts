import type { TFunction } from 'i18next';

const pct = (v: number) => `${Math.round((v <= 1 ? v * 100 : v))} %`;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The evidence behind a reason, in a few words an operator reads at a glance ("score 45 % < 60 %"). */
export function evidenceText(evidence: Record<string, unknown> | null, t: TFunction): string {
  if (!evidence) return '';
  const e = evidence;
  const score = num(e.score) ? e.score : num(e.max_score) ? e.max_score : num(e.confidence) ? e.confidence : null;
  if (score !== null && num(e.threshold)) return t('evidence.score', { score: pct(score), threshold: pct(e.threshold) });
  if (score !== null) return t('evidence.scoreOnly', { score: pct(score) });
  if (num(e.completion_rate)) return t('evidence.completion', { rate: pct(e.completion_rate) });
  if (Array.isArray(e.matched) && e.matched.length) return t('evidence.matched', { words: e.matched.slice(0, 3).join(', ') });
  if (num(e.attempts_without_progress)) return t('evidence.noProgress', { n: e.attempts_without_progress });
  if (num(e.minutes)) return t('evidence.minutes', { n: Math.round(e.minutes) });
  if (typeof e.guardian_reason === 'string') return e.guardian_reason;
  if (num(e.rating)) return t('evidence.rating', { rating: e.rating });
  return Object.entries(e)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 2).map(([k, v]) => `${k}: ${String(v)}`).join(' · ');
}

/** "3 min", "2 h 05", "now": a wait as it reads in a queue. */
export function waitText(sinceIso: string, now: number, t: TFunction): string {
  const s = Math.max(0, Math.floor((now - Date.parse(sinceIso)) / 1000));
  if (s < 60) return t('wait.now');
  const m = Math.floor(s / 60);
  if (m < 60) return t('wait.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('wait.hours', { h, m: String(m % 60).padStart(2, '0') });
  return t('wait.days', { n: Math.floor(h / 24) });
}

export function percent(v: number | null | undefined): string {
  return num(v) ? pct(v) : '';
}

const exactFormats = new Map<string, Intl.DateTimeFormat>();
/**
 * A moment in full, in the console's language. Called on demand (a hover),
 * never while the first screen renders: a fresh renderer's first Intl call
 * loads the locale data, 40-80 ms measured in Chromium, which a first
 * render cannot afford.
 */
export function exactTime(iso: string, language: string): string {
  let format = exactFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' });
    exactFormats.set(language, format);
  }
  return format.format(new Date(iso));
}
