/**
 * Generates the app's icons, tray images, badge and notification sounds
 * (resources/), so no binary asset is downloaded or hand-edited. Deterministic:
 * the same script always writes the same bytes, and a test checks the
 * committed files match. Run: npx tsx scripts/make-resources.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGBA PNG of size x size whose pixels come from shade(x, y) in [0,1]² (4x4 supersampled). */
export function png(size: number, shade: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const S = 4;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const [pr, pg, pb, pa] = shade((x + (sx + 0.5) / S) / size, (y + (sy + 0.5) / S) / size);
          r += pr * pa; g += pg * pa; b += pb * pa; a += pa;
        }
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round((255 * a) / (S * S));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Windows .ico holding PNG images (supported since Vista). */
export function ico(images: Array<{ size: number; data: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

const clear: Rgba = [0, 0, 0, 0];
const inRoundedSquare = (x: number, y: number, r: number) => {
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  return dx * dx + dy * dy <= r * r;
};
const inCircle = (x: number, y: number, cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** Two speech bubbles, one handing over to the other, on the brand blue. */
function appIcon(x: number, y: number): Rgba {
  const m = 0.04;
  if (!inRoundedSquare((x - m) / (1 - 2 * m), (y - m) / (1 - 2 * m), 0.22)) return clear;
  const bot = inCircle(x, y, 0.4, 0.42, 0.2) || (x > 0.26 && x < 0.36 && y > 0.52 && y < 0.66 && x - 0.26 > (y - 0.52) * 0.7);
  const human = inCircle(x, y, 0.62, 0.6, 0.17) || (x > 0.66 && x < 0.76 && y > 0.68 && y < 0.8 && 0.76 - x > (y - 0.68) * 0.8);
  if (human) return [255, 255, 255, 1];
  if (bot) return [191, 219, 254, 1];
  return [37, 99, 235, 1];
}

/** The tray glyph: a bubble; colored for Windows/Linux, black "template" for the macOS menu bar. */
function trayGlyph(color: Rgba) {
  return (x: number, y: number): Rgba => {
    const bubble = inCircle(x, y, 0.5, 0.44, 0.38) || (x > 0.22 && x < 0.42 && y > 0.6 && y < 0.94 && x - 0.22 > (y - 0.6) * 0.55);
    if (!bubble) return clear;
    return inCircle(x, y, 0.5, 0.44, 0.16) ? [color[0], color[1], color[2], 0] : color;
  };
}

const badgeDot = (x: number, y: number): Rgba => (inCircle(x, y, 0.5, 0.5, 0.46) ? [220, 38, 38, 1] : clear);

/** 16-bit mono PCM WAV. */
export function wav(samples: Float32Array, rate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2));
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const RATE = 22_050;

/** Notes: [frequency Hz, start s, duration s, gain]; each decays exponentially, with harmonics for a bell-like timbre. */
function tone(notes: Array<[number, number, number, number]>, length: number, harmonics: number[] = [1]): Buffer {
  const out = new Float32Array(Math.round(length * RATE));
  for (const [f, start, dur, gain] of notes) {
    const from = Math.round(start * RATE);
    for (let i = 0; i < dur * RATE && from + i < out.length; i++) {
      const t = i / RATE;
      const attack = Math.min(1, t / 0.005);
      const env = attack * Math.exp((-4 * t) / dur);
      let s = 0;
      harmonics.forEach((h, k) => { s += h * Math.sin(2 * Math.PI * f * (k + 1) * t); });
      out[from + i] += gain * env * s;
    }
  }
  return wav(out, RATE);
}

/** Every generated file, by path under resources/. Sound names match ALERT_SOUNDS (src/shared/api/alerts.ts). */
export function buildResources(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const icons = [16, 32, 48, 64, 128, 256, 512].map((size) => ({ size, data: png(size, appIcon) }));
  files.set('icon.png', icons.find((i) => i.size === 512)!.data);
  files.set('icon.ico', ico(icons.filter((i) => [16, 32, 48, 256].includes(i.size))));
  files.set('tray/tray.png', png(16, trayGlyph([37, 99, 235, 1])));
  files.set('tray/tray@2x.png', png(32, trayGlyph([37, 99, 235, 1])));
  files.set('tray/trayTemplate.png', png(16, trayGlyph([0, 0, 0, 1])));
  files.set('tray/trayTemplate@2x.png', png(32, trayGlyph([0, 0, 0, 1])));
  files.set('badge.png', png(16, badgeDot));
  files.set('sounds/chime.wav', tone([[880, 0, 0.35, 0.35], [1318.5, 0.12, 0.5, 0.3]], 0.7, [1, 0.2]));
  files.set('sounds/bell.wav', tone([[659.3, 0, 1.0, 0.45]], 1.0, [1, 0.5, 0.25, 0.12]));
  files.set('sounds/alarm.wav', tone([[988, 0, 0.14, 0.4], [988, 0.2, 0.14, 0.4], [988, 0.4, 0.14, 0.4], [1318.5, 0.6, 0.3, 0.4]], 0.95, [1, 0.3]));
  files.set('sounds/soft.wav', tone([[523.3, 0, 0.6, 0.25]], 0.6));
  return files;
}

export const RESOURCES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [rel, data] of buildResources()) {
    const file = join(RESOURCES_DIR, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data);
    console.log(`${rel} (${data.length} bytes)`);
  }
}
