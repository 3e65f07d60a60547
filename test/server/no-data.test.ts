/**
 * Issue 12, "numbers a city can trust by default", through the API on SQLite and Postgres:
 * - a fresh city with wards and no devices has no red KPI: every ward KPI is no-data with a reason (JSON, CSV,
 *   snapshot, public summary);
 * - installed access points that were never polled count as covering where planning looks (the assumed layer, the
 *   default of coverage, gaps and plans), are reported as unverified, and make the live KPI no-data, not 0 % red;
 * - a device watched for two minutes reports two minutes observed, not "0 % over 30 days".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_NO_DATA_REASONS } from '../../core/traffic-light.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { cityPoints, ingestStatus, seedWards } from './planning-seed.ts';

interface Kpi { key: string; value: number | null; status: string; reason?: string; note?: string; observedSince?: string }
interface WardKpis { wardCode: string; kpis: Kpi[] }
interface Devices { total: number; counted: number; unverified: number; down: number; countedUnverified: number }

describe.each(DIALECTS)('no data is not red, never-polled hotspots count when planning, on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  const deviceIds: string[] = [];

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    await seedWards(t, admin);
  }, 120_000);
  afterAll(async () => t.handle.close());

  const get = async <T>(path: string): Promise<T> => {
    const res = await t.call('GET', path, { as: admin });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return (await res.json()) as T;
  };

  it('ACCEPTANCE: a fresh city with wards and no devices has no red KPI, only no-data with a reason', async () => {
    const body = await get<{ items: WardKpis[] }>('/api/v1/kpis/wards');
    expect(body.items).toHaveLength(43);
    for (const w of body.items) {
      for (const k of w.kpis) {
        expect(k.status, `${w.wardCode} ${k.key}`).toBe('no-data');
        expect(k.value).toBeNull();
        expect(Object.keys(KPI_NO_DATA_REASONS)).toContain(k.reason);
        expect(k.note).toBe(KPI_NO_DATA_REASONS[k.reason as keyof typeof KPI_NO_DATA_REASONS]);
      }
    }
    const csv = await (await t.call('GET', '/api/v1/kpis/wards.csv', { as: admin })).text();
    expect(csv).not.toMatch(/,red,/);
    expect(csv.trimEnd().split('\r\n').slice(1).every((l) => l.includes(',no-data,'))).toBe(true);
    const summary = await get<{ residentsCoveredPct: number | null; residentsCoveredReason: string; wards: { status: string; coveredPct: number | null; reason: string; livePointsStatus: string }[] }>('/api/v1/public/summary');
    expect(summary.residentsCoveredPct).toBeNull();
    expect(summary.residentsCoveredReason).toBe('no-devices');
    for (const w of summary.wards) expect(w).toMatchObject({ status: 'no-data', coveredPct: null, reason: 'no-devices', livePointsStatus: 'no-data' });
    const snap = await t.call('POST', '/api/v1/kpis/snapshots', { as: admin, json: {} });
    expect(snap.status).toBe(201);
    const city = await get<{ items: { status: string; value: number | null }[] }>('/api/v1/kpis/history?key=residentsCoveredPct');
    expect(city.items).toEqual([{ day: expect.any(String), value: null, status: 'no-data' }]);
  });

  it('counts installed, never-polled access points in the default layer and says how many are unverified', async () => {
    const pts = cityPoints(12, 1212);
    for (const [i, p] of pts.entries()) {
      const site = (await (await t.call('POST', '/api/v1/sites', { as: admin, json: { name: `Terpasang ${i}`, lat: p.lat, lon: p.lon, status: 'live' } })).json()) as { id: string };
      const dev = (await (await t.call('POST', '/api/v1/devices', { as: admin, json: { siteId: site.id, name: `AP ${i}`, role: 'ap', address: `127.0.3.${i + 1}` } })).json()) as { id: string };
      deviceIds.push(dev.id);
    }
    const byDefault = await get<{ layer: string; devices: Devices; city: { coveredAreaM2: number; residentsCovered: number } }>('/api/v1/coverage/wards');
    expect(byDefault.layer).toBe('assumed');
    expect(byDefault.devices).toMatchObject({ total: 12, counted: 12, unverified: 12, countedUnverified: 12, down: 0 });
    expect(byDefault.city.residentsCovered).toBeGreaterThan(0);
    const live = await get<{ layer: string; devices: Devices; city: { coveredAreaM2: number } }>('/api/v1/coverage/wards?layer=live');
    expect(live.devices).toMatchObject({ counted: 0, unverified: 12 });
    expect(live.city.coveredAreaM2).toBe(0);
    // Gaps and the map layer default to the assumed layer too, and say so.
    const gaps = await get<{ layer: string; devices: Devices }>('/api/v1/gaps?limit=5');
    expect(gaps).toMatchObject({ layer: 'assumed', devices: { unverified: 12 } });
    const map = await get<{ layer: string; devices: Devices; features: { properties: { kind: string; evidence?: string } }[] }>('/api/v1/coverage');
    expect(map.layer).toBe('assumed');
    expect(map.features.filter((f) => f.properties.kind === 'footprint').every((f) => f.properties.evidence === 'unverified')).toBe(true);
    expect(map.features.some((f) => f.properties.kind === 'union')).toBe(true);
    // The live KPI does not show 0 % in red: nothing was measured yet.
    const kpis = await get<{ coverage: { layer: string; devices: Devices }; items: WardKpis[] }>('/api/v1/kpis/wards');
    expect(kpis.coverage).toMatchObject({ layer: 'live', devices: { unverified: 12 } });
    for (const w of kpis.items) {
      const k = w.kpis.find((x) => x.key === 'residentsCoveredPct')!;
      expect(k).toMatchObject({ status: 'no-data', reason: 'never-polled' });
      for (const x of w.kpis) expect(x.status === 'no-data' || x.key === 'livePoints', `${w.wardCode} ${x.key}`).toBe(true);
    }
    // A plan keeps the installed access points fixed and warns that they were never polled.
    const cands = cityPoints(20, 2020);
    const csv = ['name,lat,lon', ...cands.map((c, i) => `K${i},${c.lat},${c.lon}`)].join('\n');
    expect((await t.call('POST', '/api/v1/candidates/import', { as: admin, body: csv, contentType: 'text/csv' })).status).toBe(201);
    const plan = await t.call('POST', '/api/v1/plans', { as: admin, json: { name: 'Tahap 0', budget: { count: 3 } } });
    expect(plan.status, await plan.clone().text()).toBe(201);
    const p = (await plan.json()) as { layer: string; devices: Devices; warnings: string[] };
    expect(p.layer).toBe('assumed');
    expect(p.devices.countedUnverified).toBe(12);
    expect(p.warnings.join(' ')).toMatch(/12 access point\(s\) counted as covering in the assumed layer were never polled/);
  });

  it('leaves access points polled and down out of the assumed layer, and reports them', async () => {
    const token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'collector' } })).json()) as { token: string }).token;
    const now = t.clock.nowMs();
    await ingestStatus(t, token, [{ id: deviceIds[0]!, to: 'down', atMs: now - 60_000 }]);
    const assumed = await get<{ devices: Devices }>('/api/v1/coverage/wards?layer=assumed');
    expect(assumed.devices).toMatchObject({ total: 12, counted: 11, unverified: 11, down: 1 });
    const planned = await get<{ devices: Devices }>('/api/v1/coverage/wards?layer=planned');
    expect(planned.devices).toMatchObject({ counted: 12, down: 1 });
  });

  it('says the window actually observed: a device watched for two minutes', async () => {
    const token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'c2' } })).json()) as { token: string }).token;
    const now = t.clock.nowMs();
    const id = deviceIds[1]!;
    await ingestStatus(t, token, [{ id, to: 'up', atMs: now - 120_000 }]);
    const from = new Date(now - 30 * 86_400_000).toISOString();
    const to = new Date(now).toISOString();
    const a = await get<{ percent: number; periodS: number; observedWindowS: number; observedFrom: string }>(`/api/v1/availability?deviceId=${id}&from=${from}&to=${to}`);
    expect(a.percent).toBe(100);
    expect(a.periodS).toBe(30 * 86_400);
    expect(a.observedWindowS).toBeGreaterThanOrEqual(119);
    expect(a.observedWindowS).toBeLessThan(200);
    expect(Date.parse(a.observedFrom)).toBe(now - 120_000);
    const never = await get<{ percent: number | null; observedFrom: string | null; observedWindowS: number }>(`/api/v1/availability?deviceId=${deviceIds[2]}&from=${from}&to=${to}`);
    expect(never).toMatchObject({ percent: null, observedFrom: null, observedWindowS: 0 });
    const kpis = await get<{ items: WardKpis[] }>('/api/v1/kpis/wards');
    const ward = kpis.items.find((w) => w.kpis.find((k) => k.key === 'availabilityPct')!.value !== null)!;
    const avail = ward.kpis.find((k) => k.key === 'availabilityPct')!;
    expect(avail.note).toMatch(/observed for \d+ min of the last 7 days/);
    expect(avail.observedSince).toBeTruthy();
  });
});
