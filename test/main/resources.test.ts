import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResources, RESOURCES_DIR } from '../../scripts/make-resources';
import { ALERT_SOUNDS } from '../../src/shared/api/alerts';

const files = buildResources();

function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe('resources', () => {
  it('are committed exactly as scripts/make-resources.ts generates them', () => {
    for (const [rel, data] of files) {
      const file = join(RESOURCES_DIR, rel);
      expect(existsSync(file), `${rel} is missing: run npx tsx scripts/make-resources.ts`).toBe(true);
      expect(readFileSync(file).equals(data), `${rel} is stale: run npx tsx scripts/make-resources.ts`).toBe(true);
    }
  });

  it('has the icon sizes the packagers need', () => {
    expect(pngSize(files.get('icon.png')!)).toEqual([512, 512]);
    expect(pngSize(files.get('tray/tray.png')!)).toEqual([16, 16]);
    expect(pngSize(files.get('tray/tray@2x.png')!)).toEqual([32, 32]);
    expect(pngSize(files.get('tray/trayTemplate.png')!)).toEqual([16, 16]);
    const ico = files.get('icon.ico')!;
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
    expect(sizes).toEqual([16, 32, 48, 256]);
    for (let i = 0; i < count; i++) {
      const len = ico.readUInt32LE(6 + 16 * i + 8);
      const at = ico.readUInt32LE(6 + 16 * i + 12);
      expect(pngSize(ico.subarray(at, at + len))[0]).toBe(sizes[i]);
    }
  });

  it('has one playable sound for every alert sound the console can choose', () => {
    for (const name of ALERT_SOUNDS) {
      const w = files.get(`sounds/${name}.wav`);
      expect(w, name).toBeDefined();
      expect(w!.toString('ascii', 0, 4)).toBe('RIFF');
      expect(w!.toString('ascii', 8, 16)).toBe('WAVEfmt ');
      expect(w!.readUInt16LE(20)).toBe(1);
      const seconds = w!.readUInt32LE(40) / w!.readUInt32LE(28);
      expect(seconds).toBeGreaterThan(0.2);
      expect(seconds).toBeLessThan(2);
    }
  });
});
