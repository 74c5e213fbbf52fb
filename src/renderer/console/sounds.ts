import { ALERT_SOUNDS } from '../../shared/values';

type SoundName = (typeof ALERT_SOUNDS)[number];

/** Notes (Hz) and length of each alert sound: distinct enough to tell a high priority from a normal one by ear. */
const SHAPES: Record<SoundName, { notes: number[]; noteMs: number }> = {
  chime: { notes: [880, 1320], noteMs: 160 },
  bell: { notes: [660, 660], noteMs: 220 },
  alarm: { notes: [988, 740, 988, 740], noteMs: 120 },
  soft: { notes: [523], noteMs: 260 },
};

const cache = new Map<string, string>();

/**
 * The sound as a WAV data URL built in the page (8 kHz mono PCM), so the
 * browser host and the window play the same tones without shipping files;
 * the CSP allows media from data:.
 */
export function soundUrl(name: string): string | null {
  if (!(name in SHAPES)) return null;
  const hit = cache.get(name);
  if (hit) return hit;
  const { notes, noteMs } = SHAPES[name as SoundName];
  const rate = 8000;
  const per = Math.floor((rate * noteMs) / 1000);
  const samples = new Uint8Array(per * notes.length);
  notes.forEach((f, n) => {
    for (let i = 0; i < per; i++) {
      const fade = Math.min(1, i / 80, (per - i) / 400);
      samples[n * per + i] = 128 + Math.round(90 * fade * Math.sin((2 * Math.PI * f * i) / rate));
    }
  });
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (at: number, s: string) => { for (let i = 0; i < s.length; i++) header.setUint8(at + i, s.charCodeAt(i)); };
  ascii(0, 'RIFF'); header.setUint32(4, 36 + samples.length, true); ascii(8, 'WAVE');
  ascii(12, 'fmt '); header.setUint32(16, 16, true); header.setUint16(20, 1, true); header.setUint16(22, 1, true);
  header.setUint32(24, rate, true); header.setUint32(28, rate, true); header.setUint16(32, 1, true); header.setUint16(34, 8, true);
  ascii(36, 'data'); header.setUint32(40, samples.length, true);
  const bytes = new Uint8Array(44 + samples.length);
  bytes.set(new Uint8Array(header.buffer), 0);
  bytes.set(samples, 44);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const url = `data:audio/wav;base64,${btoa(bin)}`;
  cache.set(name, url);
  return url;
}

export function playSound(name: string | null): void {
  const url = name ? soundUrl(name) : null;
  if (!url) return;
  // Autoplay may be refused until the operator has interacted with the page; the notification still shows.
  void new Audio(url).play().catch(() => {});
}
