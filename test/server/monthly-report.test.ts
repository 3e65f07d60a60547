/**
 * Issue 15, slice (b): the mayor's monthly report as PDF, on SQLite and Postgres, with the clock standing in
 * December 2026. pdftotext (poppler) reads it: both languages on the cover, every kecamatan of Cilegon, "tidak ada
 * data" where nothing was measured and never NaN or "null"; pdftoppm renders its pages, and the pixels show the
 * dark cover and the ward map in traffic-light colours. Once the month is over its file is kept unchanged.
 */
import type { FeatureCollection } from 'geojson';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodePdfMaker } from '../../server/pdf/monthly-pdf-node.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { makeDueMonthlyReport } from '../../server/services/monthly-report/monthly-pdf.ts';
import { silentLogger } from '../../server/log.ts';
import { openIncident, closeIncident } from '../../server/db/monitoring.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { pdfText, pdfToPngs, tempFile } from '../helpers/debian-tools.ts';
import { REPO_ROOT, readSharedData } from '../helpers/shared-data.ts';
import { cityPoints, ingestStatus, seedLiveSites, seedWards, type Seeded } from './planning-seed.ts';

const HOUR = 3_600_000;
const ARTIFACT_DIR = join(REPO_ROOT, 'test-artifacts', 'reports');
/** 20 December 2026, 12:00 WIB. */
const DEC_20 = Date.parse('2026-12-20T05:00:00Z');

/** Pixel counts of a page rendered to PPM (P6) by pdftoppm, by nearest reference colour. */
function ppmColours(path: string, refs: Record<string, [number, number, number]>): Record<string, number> {
  const buf = readFileSync(path);
  // Header: P6\n<w> <h>\n<max>\n
  let pos = 0;
  const fields: string[] = [];
  while (fields.length < 4) {
    while (buf[pos] === 0x20 || buf[pos] === 0x0a) pos++;
    let s = '';
    while (buf[pos] !== 0x20 && buf[pos] !== 0x0a) s += String.fromCharCode(buf[pos++]!);
    fields.push(s);
  }
  pos++;
  const counts: Record<string, number> = Object.fromEntries(Object.keys(refs).map((k) => [k, 0]));
  for (let i = pos; i + 2 < buf.length; i += 3) {
    for (const [name, [r, g, b]] of Object.entries(refs)) {
      if (Math.abs(buf[i]! - r) < 12 && Math.abs(buf[i + 1]! - g) < 12 && Math.abs(buf[i + 2]! - b) < 12) counts[name]!++;
    }
  }
  return counts;
}

describe.each(DIALECTS)('monthly report PDF on %s', (dialect) => {
  let t: TestApp;
  let s: Seeded;
  let admin: string;
  let viewer: string;
  const kecamatan = [...new Set((JSON.parse(readSharedData('cilegon-kelurahan.geojson')) as FeatureCollection).features.map((f) => String(f.properties!.kecamatan)))];

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect), { deps: { pdf: createNodePdfMaker() } });
    t.clock.advance(DEC_20 - t.clock.nowMs());
    admin = await t.signIn('admin');
    viewer = await t.signIn('viewer');
    await seedWards(t, admin);
    s = await seedLiveSites(t, admin, 30, 2612);
    const now = t.clock.nowMs();
    const d0 = s.deviceIds[0]!;
    await ingestStatus(t, s.token, [{ id: d0, to: 'down', atMs: now - 10 * HOUR }]);
    await ingestStatus(t, s.token, [{ id: d0, to: 'up', atMs: now - 7 * HOUR }]);
    const inc = { id: `${d0}@dec`, device_id: d0, started_ms: now - 10 * HOUR, detected_ms: now - 10 * HOUR, ended_ms: null, cause_kind: 'timeout', cause_message: 'no answer' };
    await openIncident(t.handle.db, inc);
    await closeIncident(t.handle.db, { ...inc, ended_ms: now - 7 * HOUR });
    const spot = cityPoints(1, 99)[0]!;
    expect((await t.call('POST', '/api/v1/reports', { json: { lat: spot.lat, lon: spot.lon, note: 'tidak ada sinyal' } })).status).toBe(201);
  }, 240_000);
  afterAll(async () => t?.handle.close());

  it('ACCEPTANCE: GET /api/v1/reports/monthly.pdf?month=2026-12 answers a PDF in which pdftotext finds every kecamatan', async () => {
    const res = await t.call('GET', '/api/v1/reports/monthly.pdf?month=2026-12', { as: viewer });
    expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const file = tempFile('laporan-2026-12.pdf', bytes);
    const text = pdfText(file);
    // Table cells and paragraphs wrap: read the words as one line.
    const flat = text.replace(/\s+/g, ' ');
    expect(kecamatan).toHaveLength(8);
    for (const k of kecamatan) expect(text, k).toContain(k);
    expect(text).toContain('Laporan Bulanan Wi-Fi Publik');
    expect(text).toContain('Monthly Public Wi-Fi Report');
    expect(text).toContain('Desember 2026');
    expect(text).toContain('December 2026');
    expect(text).toMatch(/Ringkasan kota/);
    expect(flat).toMatch(/Gangguan yang dimulai bulan ini \/ Incidents begun this month: 1; dipulihkan \/ restored: 1/);
    expect(flat).toMatch(/Rata-rata waktu pemulihan \/ Mean time to restore: 3 jam/);
    expect(flat).toMatch(/Laporan bulan ini \/ Reports this month: 1/);
    expect(text).toContain('NetA');
    // Wards without an access point say so with the reason: never 0 % nor red.
    expect(flat).toMatch(/tidak ada data \(no-devices\)/);
    expect(text).not.toMatch(/NaN|undefined|\bnull\b|Infinity/);
    // Every ward is in the per-ward table.
    const wards = ((await (await t.call('GET', '/api/v1/kpis/wards', { as: viewer })).json()) as { items: { wardName: string }[] }).items;
    for (const w of wards) expect(flat, w.wardName).toContain(w.wardName);
  }, 90_000);

  it('renders to pages a person can read: a dark cover and a ward map in traffic-light colours (pdftoppm)', async () => {
    const bytes = new Uint8Array(await (await t.call('GET', '/api/v1/reports/monthly.pdf?month=2026-12', { as: viewer })).arrayBuffer());
    const file = tempFile('laporan.pdf', bytes);
    // Kept for a person to look at: test-artifacts/reports/monthly-2026-12-<page>.png
    mkdirSync(ARTIFACT_DIR, { recursive: true });
    writeFileSync(join(ARTIFACT_DIR, `monthly-2026-12-${dialect}.pdf`), bytes);
    pdfToPngs(file, join(ARTIFACT_DIR, `monthly-2026-12-${dialect}`), { dpi: 70 });
    const pngs = pdfToPngs(file, file.replace(/\.pdf$/, ''), { dpi: 40 });
    expect(pngs.length).toBeGreaterThanOrEqual(4);
    const ppm = (page: number): string => {
      const out = file.replace(/\.pdf$/, `-p${page}`);
      execFileSync('/usr/bin/pdftoppm', ['-r', '30', '-f', String(page), '-l', String(page), '-singlefile', file, out]);
      return `${out}.ppm`;
    };
    const cover = ppmColours(ppm(1), { navy: [0x17, 0x32, 0x4d] });
    expect(cover.navy).toBeGreaterThan(3000);
    const map = ppmColours(ppm(2), { green: [0x8f, 0xd3, 0xa8], orange: [0xf6, 0xc9, 0x8e], red: [0xef, 0x9a, 0x9a], grey: [0xe0, 0xe0, 0xe0] });
    // 30 small access points cover few residents: coverage is measured (not "no data") and far below target, so
    // the wards are drawn red; the legend shows all four swatches.
    expect(map.red).toBeGreaterThan(2000);
    expect(map.green).toBeGreaterThan(5);
    expect(map.orange).toBeGreaterThan(5);
    expect(map.grey).toBeGreaterThan(5);
  }, 90_000);

  it('refuses a month not begun or malformed, anonymous callers, and a runtime without a PDF maker', async () => {
    expect((await t.call('GET', '/api/v1/reports/monthly.pdf?month=2027-01', { as: viewer })).status).toBe(422);
    expect((await t.call('GET', '/api/v1/reports/monthly.pdf?month=2026-13', { as: viewer })).status).toBe(422);
    expect((await t.call('GET', '/api/v1/reports/monthly.pdf', { as: viewer })).status).toBe(422);
    expect((await t.call('GET', '/api/v1/reports/monthly.pdf?month=2026-12')).status).toBe(401);
    const worker = await makeTestApp(t.handle);
    const cookie = await worker.signIn('viewer');
    const res = await worker.call('GET', '/api/v1/reports/monthly.pdf?month=2026-11', { as: cookie });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('unavailable');
  }, 90_000);

  it('a city with wards and no access point: "tidak ada data" with its reason everywhere, never red, grey hatched map', async () => {
    const fresh = await makeTestApp(await openTestDb(dialect), { deps: { pdf: createNodePdfMaker() } });
    try {
      fresh.clock.advance(DEC_20 - fresh.clock.nowMs());
      const a = await fresh.signIn('admin');
      await seedWards(fresh, a);
      const res = await fresh.call('GET', '/api/v1/reports/monthly.pdf?month=2026-12', { as: a });
      expect(res.status).toBe(200);
      const file = tempFile('empty.pdf', new Uint8Array(await res.arrayBuffer()));
      const flat = pdfText(file).replace(/\s+/g, ' ');
      expect(flat).toContain('Titik Wi-Fi aktif tidak ada data: belum ada lokasi');
      expect(flat).toContain('Warga terjangkau (aktif) tidak ada data: belum ada AP');
      // After the legends: no red word and no 0 % anywhere in the tables.
      const tables = flat.slice(flat.indexOf('Per kecamatan'));
      expect(tables).not.toMatch(/merah|\b0 %|\b0,00 %/);
      expect(tables).toContain('(no-devices)');
      for (const k of kecamatan) expect(flat).toContain(k);
      const out = file.replace(/\.pdf$/, '-map');
      execFileSync('/usr/bin/pdftoppm', ['-r', '30', '-f', '2', '-l', '2', '-singlefile', file, out]);
      const map = ppmColours(`${out}.ppm`, { red: [0xef, 0x9a, 0x9a], grey: [0xe0, 0xe0, 0xe0] });
      expect(map.grey).toBeGreaterThan(1000);
      expect(map.red).toBeLessThan(20);
    } finally {
      await fresh.handle.close();
    }
  }, 120_000);

  it("on the first day of January it makes December's report once and keeps it unchanged", async () => {
    const ctx = systemServiceCtx({ clock: { nowMs: () => Date.parse('2027-01-01T01:00:00Z') }, secrets: t.secrets, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20 }, log: silentLogger, pdf: createNodePdfMaker() }, t.handle, { requestId: 'test' });
    expect(await makeDueMonthlyReport(ctx)).toBe('2026-12');
    expect(await makeDueMonthlyReport(ctx)).toBeNull();
    t.clock.advance(Date.parse('2027-01-03T02:00:00Z') - t.clock.nowMs());
    const a = await t.call('GET', '/api/v1/reports/monthly.pdf?month=2026-12', { as: viewer });
    const b = await t.call('GET', '/api/v1/reports/monthly.pdf?month=2026-12', { as: viewer });
    expect(a.headers.get('x-jangkau-generated-at')).toBe('2027-01-01T01:00:00.000Z');
    expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer()))).toBe(true);
    t.clock.advance(DEC_20 - t.clock.nowMs());
  }, 90_000);
});
