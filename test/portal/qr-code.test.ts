/**
 * The QR codes we print (the uqr package behind server/portal/pure/qr-code.ts), read back by a real decoder: zbarimg
 * from Debian's zbar-tools. Codes of every version 1-10 are drawn to a PGM image and decoded; the SVG is checked to draw exactly the matrix's dark modules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeQr, qrByteCapacity, qrSvg, type QrMatrix } from '../../server/portal/pure/qr-code.ts';

function requireZbar(): void {
  const r = spawnSync('zbarimg', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error('zbarimg is missing: install the Debian package zbar-tools (apt-get install -y zbar-tools); add it to the test setup script');
  }
}

const dir = mkdtempSync(join(tmpdir(), 'jk-qr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decode(q: QrMatrix, name: string): string {
  const scale = 4;
  const quiet = 4;
  const n = (q.size + quiet * 2) * scale;
  const px = Buffer.alloc(n * n, 255);
  for (let y = 0; y < q.size; y++) {
    for (let x = 0; x < q.size; x++) {
      if (!q.modules[y]![x]) continue;
      for (let dy = 0; dy < scale; dy++) px.fill(0, ((y + quiet) * scale + dy) * n + (x + quiet) * scale, ((y + quiet) * scale + dy) * n + (x + quiet + 1) * scale);
    }
  }
  const file = join(dir, `${name}.pgm`);
  writeFileSync(file, Buffer.concat([Buffer.from(`P5\n${n} ${n}\n255\n`), px]));
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\n$/, '');
}

describe('QR encoder (byte mode, level M, versions 1-10)', () => {
  it('is read back by zbarimg at every version, including UTF-8 text', () => {
    requireZbar();
    const seen = new Set<number>();
    for (let v = 1; v <= 10; v++) {
      const len = qrByteCapacity(v);
      const text = Array.from({ length: len }, (_, i) => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789-/:.?='[(i * 7 + v) % 37]).join('');
      const q = encodeQr(text);
      expect(q.version).toBe(v);
      expect(q.size).toBe(17 + 4 * v);
      seen.add(q.mask);
      expect(decode(q, `v${v}`)).toBe(text);
    }
    expect(decode(encodeQr('Kode voucher: 7KQ2M-XW9PD ✓'), 'utf8')).toBe('Kode voucher: 7KQ2M-XW9PD ✓');
    expect(decode(encodeQr('http://10.5.50.1/login?dst=http%3A%2F%2Fexample.com%2F'), 'url')).toBe('http://10.5.50.1/login?dst=http%3A%2F%2Fexample.com%2F');
  });

  it('has the capacities of the standard and refuses what does not fit in version 10', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(qrByteCapacity)).toEqual([14, 26, 42, 62, 84, 106, 122, 152, 180, 213]);
    expect(() => encodeQr('x'.repeat(214))).toThrow(RangeError);
  });

  it('draws exactly the dark modules in the SVG, with a quiet zone', () => {
    const q = encodeQr('ABCDE-FGHJK');
    const svg = qrSvg(q, { moduleSize: 4 });
    const cells = [...svg.matchAll(/M(\d+) (\d+)h4v4h-4z/g)].map((m) => `${Number(m[1]) / 4 - 4},${Number(m[2]) / 4 - 4}`);
    const dark: string[] = [];
    for (let y = 0; y < q.size; y++) for (let x = 0; x < q.size; x++) if (q.modules[y]![x]) dark.push(`${x},${y}`);
    expect(cells).toEqual(dark);
    expect(svg).toContain(`viewBox="0 0 ${(q.size + 8) * 4} ${(q.size + 8) * 4}"`);
  });
});
