/**
 * Citizens' blank-spot reports through the API, on SQLite and Postgres: public JSON post, bounded note, inside the
 * city only, rate-limited per address with no address stored, staff list, and reports raising a gap's rank.
 */
import type { Polygon } from 'geojson';
import { booleanPointInPolygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_WINDOW_MS, REPORTS_PER_WINDOW } from '../../server/services/reports/blank-spot-reports.ts';
import { REPORT_WEIGHT_RESIDENTS } from '../../server/services/reports/gap-reports.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { cityPoints, seedLiveSites, seedWards, type Seeded } from './planning-seed.ts';

interface GapItem { wardCode: string; residents: number; areaM2: number; centroid: [number, number]; geometry: Polygon; reports: number; score: number }

describe.each(DIALECTS)('blank-spot reports on %s', (dialect) => {
  let t: TestApp;
  let s: Seeded;
  let viewer: string;
  const spot = cityPoints(1, 2024)[0]!;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect), { clientAddress: '127.0.0.44' });
    const admin = await t.signIn('admin');
    viewer = await t.signIn('viewer');
    await seedWards(t, admin);
    s = await seedLiveSites(t, admin, 30, 7);
  }, 180_000);
  afterAll(async () => t.handle.close());

  it('takes a report without sign-in and stores nothing but place, ward, note and time', async () => {
    const res = await t.call('POST', '/api/v1/reports', { json: { lat: spot.lat, lon: spot.lon, note: '  Tidak ada sinyal di depan pasar\u0007 ' } });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id, wardCode } = (await res.json()) as { id: string; wardCode: string };
    expect(wardCode).toBe(spot.wardCode);
    const row = await t.handle.db.selectFrom('blank_spot_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // Staff triage fields (issue 13) sit beside the report; nothing about the citizen.
    expect(Object.keys(row).sort()).toEqual(['created_at', 'id', 'lat', 'lon', 'note', 'triage', 'triage_at', 'triage_by', 'triage_note', 'ward_code']);
    expect(row.note).toBe('Tidak ada sinyal di depan pasar');
    const keys = (await t.handle.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
    expect(keys.some((k) => k.startsWith('report:'))).toBe(true);
    expect(keys.join(' ')).not.toContain('127.0.0.44');
  });

  it('refuses a place outside the city, a long note, extra fields and anything but JSON', async () => {
    expect((await t.call('POST', '/api/v1/reports', { json: { lat: -5.95, lon: 105.8, note: 'laut' } })).status).toBe(422);
    expect((await t.call('POST', '/api/v1/reports', { json: { lat: spot.lat, lon: spot.lon, note: 'x'.repeat(501) } })).status).toBe(422);
    expect((await t.call('POST', '/api/v1/reports', { json: { lat: spot.lat, lon: spot.lon, note: 'a', phone: '0812' } })).status).toBe(422);
    expect((await t.call('POST', '/api/v1/reports', { json: { lat: 'x', lon: spot.lon } })).status).toBe(422);
    expect((await t.call('POST', '/api/v1/reports', { body: `lat=${spot.lat}&lon=${spot.lon}&note=a`, contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await t.call('POST', '/api/v1/reports', { body: JSON.stringify({ lat: spot.lat, lon: spot.lon, note: 'a' }), contentType: 'text/plain' })).status).toBe(415);
  });

  it('limits reports per address per hour, counting each address apart', async () => {
    const other = await makeTestApp(t.handle, { clientAddress: '127.0.0.45' });
    // Start this caller's clock just after a window opens, so all eleven requests fall in one fixed window.
    const now = other.clock.nowMs();
    other.clock.advance(REPORT_WINDOW_MS - (now % REPORT_WINDOW_MS) + 1000);
    const post = (app: TestApp): Promise<Response> => app.call('POST', '/api/v1/reports', { json: { lat: spot.lat, lon: spot.lon, note: 'lagi' } });
    for (let i = 0; i < REPORTS_PER_WINDOW; i++) expect((await post(other)).status).toBe(201);
    const limited = await post(other);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected (it has used 1 of its own so far).
    expect((await post(t)).status).toBe(201);
  });

  it('lists reports for staff only', async () => {
    expect((await t.call('GET', '/api/v1/reports')).status).toBe(401);
    const list = (await (await t.call('GET', '/api/v1/reports?limit=5', { as: viewer })).json()) as { items: { note: string; wardCode: string }[]; total: number };
    expect(list.total).toBe(REPORTS_PER_WINDOW + 2);
    expect(list.items).toHaveLength(5);
  });

  it('counts reports inside each gap and ranks gaps by residents plus a weight per report', async () => {
    const before = (await (await t.call('GET', '/api/v1/gaps?limit=1000', { as: s.admin })).json()) as { items: GapItem[]; reportWeightResidents: number };
    expect(before.reportWeightResidents).toBe(REPORT_WEIGHT_RESIDENTS);
    for (const g of before.items) expect(g.score).toBeCloseTo(g.residents + REPORT_WEIGHT_RESIDENTS * g.reports, 0);
    // A lower-ranked gap whose centroid lies inside it, with residents within 3 reports' weight of a gap above it.
    const idx = before.items.findIndex((g, i) => i > 0 && booleanPointInPolygon(g.centroid, g.geometry) && g.reports === 0
      && before.items[i - 1]!.score - g.score < 3 * REPORT_WEIGHT_RESIDENTS && before.items[i - 1]!.score > g.score);
    expect(idx).toBeGreaterThan(0);
    const target = before.items[idx]!;
    const reporter = await makeTestApp(t.handle, { clientAddress: '127.0.0.46' });
    for (let i = 0; i < 3; i++) {
      const r = await reporter.call('POST', '/api/v1/reports', { json: { lat: target.centroid[1], lon: target.centroid[0], note: `blank ${i}` } });
      expect(r.status).toBe(201);
    }
    const after = (await (await t.call('GET', '/api/v1/gaps?limit=1000', { as: s.admin })).json()) as { items: GapItem[] };
    const newIdx = after.items.findIndex((g) => g.centroid[0] === target.centroid[0] && g.centroid[1] === target.centroid[1]);
    expect(after.items[newIdx]!.reports).toBe(3);
    expect(newIdx).toBeLessThan(idx);
    for (let i = 1; i < after.items.length; i++) expect(after.items[i - 1]!.score).toBeGreaterThanOrEqual(after.items[i]!.score);
    const limited = (await (await t.call('GET', '/api/v1/gaps?limit=5', { as: s.admin })).json()) as { items: GapItem[] };
    expect(limited.items.map((g) => g.score)).toEqual(after.items.slice(0, 5).map((g) => g.score));
  }, 60_000);
});
