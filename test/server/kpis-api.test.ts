/**
 * KPIs with traffic lights through the API, on SQLite and Postgres: every ward and KPI has a status; thresholds
 * are stored and refused in the wrong order; snapshots make history; CSV export; provider and programme KPIs; the
 * public summary without sign-in and without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS } from '../../core/traffic-light.ts';
import { openIncident, closeIncident, insertRawSamples } from '../../server/db/monitoring.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { cityPoints, ingestStatus, seedLiveSites, seedWards, type Seeded } from './planning-seed.ts';

interface Kpi { key: string; label: string; value: number | null; target: number | null; unit: string; status: string; reason?: string; note?: string }
interface WardKpis { wardCode: string; wardName: string; kpis: Kpi[] }

const WARD_KEYS = KPI_DEFINITIONS.filter((d) => d.scope === 'ward').map((d) => d.key);
const HOUR = 3_600_000;

describe.each(DIALECTS)('KPIs on %s', (dialect) => {
  let t: TestApp;
  let s: Seeded;
  let viewer: string;
  let busyWard = '';
  let emptyWard = '';

  const wardKpis = async (): Promise<WardKpis[]> => ((await (await t.call('GET', '/api/v1/kpis/wards', { as: viewer })).json()) as { items: WardKpis[] }).items;
  const kpiOf = (items: WardKpis[], ward: string, key: string): Kpi => items.find((w) => w.wardCode === ward)!.kpis.find((k) => k.key === key)!;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    const admin = await t.signIn('admin');
    viewer = await t.signIn('viewer');
    await seedWards(t, admin);
    s = await seedLiveSites(t, admin, 40, 99);
    busyWard = [...s.devicesByWard.entries()].sort((a, b) => b[1].length - a[1].length)[0]![0];
    const now = t.clock.nowMs();
    const [d0, d1] = s.devicesByWard.get(busyWard)!;
    // One device of the busy ward was down for 6 hours yesterday (an incident restored after 6 h), and measured 60 Mbps.
    await ingestStatus(t, s.token, [{ id: d0!, to: 'down', atMs: now - 30 * HOUR }]);
    await ingestStatus(t, s.token, [{ id: d0!, to: 'up', atMs: now - 24 * HOUR }]);
    await openIncident(t.handle.db, { id: `${d0}@1`, device_id: d0!, started_ms: now - 30 * HOUR, detected_ms: now - 30 * HOUR, ended_ms: null, cause_kind: 'timeout', cause_message: 'no answer' });
    await closeIncident(t.handle.db, { id: `${d0}@1`, device_id: d0!, started_ms: now - 30 * HOUR, detected_ms: now - 30 * HOUR, ended_ms: now - 24 * HOUR, cause_kind: 'timeout', cause_message: 'no answer' });
    await insertRawSamples(t.handle.db, t.handle.dialect, [
      { device_id: d0!, t_ms: now - 2 * HOUR, interval_ms: 60_000, in_bps: 40e6, out_bps: 20e6, clients: 12, in_bytes: 1, out_bytes: 1 },
      { device_id: d0!, t_ms: now - HOUR, interval_ms: 60_000, in_bps: 10e6, out_bps: 5e6, clients: 3, in_bytes: 1, out_bytes: 1 },
      ...(d1 === undefined ? [] : [{ device_id: d1, t_ms: now - HOUR, interval_ms: 60_000, in_bps: 20e6, out_bps: 20e6, clients: 3, in_bytes: 1, out_bytes: 1 }]),
    ], now);
    const items = await wardKpis();
    emptyWard = items.find((w) => !s.devicesByWard.has(w.wardCode))!.wardCode;
  }, 180_000);
  afterAll(async () => t.handle.close());

  it('ACCEPTANCE: every ward has every KPI with key, value, target and a green/orange/red/no-data status', async () => {
    const items = await wardKpis();
    expect(items).toHaveLength(43);
    for (const w of items) {
      expect(w.wardName).toBeTruthy();
      expect(w.kpis.map((k) => k.key)).toEqual(WARD_KEYS);
      for (const k of w.kpis) {
        expect(['green', 'orange', 'red', 'no-data'], `${w.wardCode} ${k.key}`).toContain(k.status);
        expect(k).toHaveProperty('value');
        expect(k).toHaveProperty('target');
        // No data is never red (nor green): it is no-data with a reason.
        expect(k.value === null, `${w.wardCode} ${k.key}`).toBe(k.status === 'no-data');
        if (k.value === null) expect(k.reason).toBeTruthy();
        if (k.value === null) expect(k.note).toBeTruthy();
      }
    }
  });

  it('computes the ward KPIs from sites, devices, incidents and samples', async () => {
    const items = await wardKpis();
    const busyCount = s.devicesByWard.get(busyWard)!.length;
    expect(kpiOf(items, busyWard, 'livePoints')).toMatchObject({ value: busyCount, target: 10, status: busyCount >= 10 ? 'green' : busyCount >= 5 ? 'orange' : 'red' });
    const avail = kpiOf(items, busyWard, 'availabilityPct');
    // The device that failed: 24 h up, 6 h down; the others were seen up for about a minute (unknown time before
    // that is left out of the denominator, core/availability.ts).
    const minuteS = 60 * (busyCount - 1);
    expect(Math.abs(avail.value! - (100 * (24 * 3600 + minuteS)) / (30 * 3600 + minuteS))).toBeLessThan(0.1);
    expect(avail.status).toBe('red');
    expect(kpiOf(items, busyWard, 'timeToRestoreH')).toMatchObject({ value: 6, status: 'orange' });
    const measured = kpiOf(items, busyWard, 'measuredMbps');
    expect(measured.value).toBe(busyCount >= 2 ? 50 : 60);
    expect(kpiOf(items, busyWard, 'residentsCoveredPct').value).toBeGreaterThan(0);
    expect(kpiOf(items, emptyWard, 'livePoints')).toMatchObject({ value: 0, status: 'red' });
    expect(kpiOf(items, emptyWard, 'availabilityPct')).toMatchObject({ value: null, status: 'no-data', reason: 'no-devices' });
    expect(kpiOf(items, emptyWard, 'contractedMbps')).toMatchObject({ value: null, status: 'no-data', reason: 'no-live-site' });
    expect(kpiOf(items, emptyWard, 'contractedMbps').note).toMatch(/no site in this ward is live/);
    // Contracted Mbps is the weakest live site's: the seed gives every third site 30 Mbps, the rest 100.
    for (const w of items) {
      const c = kpiOf(items, w.wardCode, 'contractedMbps');
      if (c.value !== null) expect([30, 100]).toContain(c.value);
    }
  });

  it('refuses thresholds in the wrong order or for unknown KPIs, and applies stored ones', async () => {
    const admin = s.admin;
    const wrong = await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { availabilityPct: { green: 95, red: 98 } } });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/red \(98\) must not be above green \(95\)/);
    const wrongLower = await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { timeToRestoreH: { green: 10, red: 5 } } });
    expect(wrongLower.status).toBe(422);
    expect(((await wrongLower.json()) as { message: string }).message).toMatch(/lower is better/);
    expect((await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { nonsense: { green: 1, red: 0 } } })).status).toBe(422);
    expect((await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { livePoints: { green: 1 } } })).status).toBe(422);
    expect((await t.call('PUT', '/api/v1/kpis/thresholds', { as: viewer, json: { livePoints: { green: 1, red: 0 } } })).status).toBe(403);
    // Nothing of a refused request was stored.
    const th = (await (await t.call('GET', '/api/v1/kpis/thresholds', { as: viewer })).json()) as { items: { key: string; green: number; red: number }[] };
    expect(th.items.find((x) => x.key === 'availabilityPct')).toMatchObject({ green: 98, red: 95 });
    const ok = await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { livePoints: { green: 1, red: 1 }, timeToRestoreH: { green: 8, red: 24 } } });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const items = await wardKpis();
    expect(kpiOf(items, busyWard, 'livePoints').status).toBe('green');
    expect(kpiOf(items, busyWard, 'timeToRestoreH').status).toBe('green');
    expect(kpiOf(items, emptyWard, 'livePoints').status).toBe('red');
    await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { livePoints: { green: 10, red: 5 }, timeToRestoreH: { green: 4, red: 24 } } });
  });

  it('takes daily snapshots (again the same day replaces) and answers history for a ward and the city', async () => {
    const first = await t.call('POST', '/api/v1/kpis/snapshots', { as: s.admin, json: {} });
    expect(first.status, await first.clone().text()).toBe(201);
    const snap = (await first.json()) as { day: string; rows: number };
    expect(snap.rows).toBeGreaterThanOrEqual(43 * WARD_KEYS.length);
    await t.call('POST', '/api/v1/kpis/snapshots', { as: s.admin, json: {} });
    const h = (await (await t.call('GET', `/api/v1/kpis/history?key=livePoints&wardCode=${busyWard}`, { as: viewer })).json()) as { items: { day: string; value: number; status: string }[]; points: [number, number][] };
    expect(h.items).toEqual([{ day: snap.day, value: s.devicesByWard.get(busyWard)!.length, status: expect.any(String) }]);
    expect(h.points).toHaveLength(1);
    // A snapshot taken on the next day adds a point.
    t.clock.advance(24 * HOUR);
    await t.call('POST', '/api/v1/kpis/snapshots', { as: s.admin, json: {} });
    t.clock.advance(-24 * HOUR);
    const city = (await (await t.call('GET', '/api/v1/kpis/history?key=livePoints', { as: viewer })).json()) as { scope: string; items: { value: number }[] };
    expect(city.scope).toBe('city');
    expect(city.items.map((i) => i.value)).toEqual([40, 40]);
    expect((await t.call('GET', '/api/v1/kpis/history?key=nope', { as: viewer })).status).toBe(422);
  });

  it('exports the ward KPIs as CSV, one row per ward and KPI', async () => {
    const res = await t.call('GET', '/api/v1/kpis/wards.csv', { as: viewer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('wardCode,wardName,district,key,label,value,target,unit,status,reason,note');
    expect(lines).toHaveLength(1 + 43 * WARD_KEYS.length);
    expect(lines.slice(1).every((l) => /,(green|orange|red|no-data),/.test(l))).toBe(true);
    // A no-data row carries its reason and an empty value, never red.
    const noData = lines.slice(1).filter((l) => l.includes(',no-data,'));
    expect(noData.length).toBeGreaterThan(0);
    for (const l of noData) expect(l).toMatch(/,,(10|80|98|50|4),[^,]*,no-data,[a-z-]+,/);
  });

  it('answers provider and programme KPIs', async () => {
    const prov = (await (await t.call('GET', '/api/v1/kpis/providers', { as: viewer })).json()) as { items: { provider: string; kpis: Kpi[] }[] };
    expect(prov.items.map((p) => p.provider)).toEqual(['NetA', 'NetB']);
    for (const p of prov.items) for (const k of p.kpis) expect(['green', 'orange', 'red', 'no-data']).toContain(k.status);
    const incidents = prov.items.map((p) => p.kpis.find((k) => k.key === 'providerIncidents')!.value);
    expect(incidents.reduce((a, b) => a! + b!, 0)).toBe(1);
    const pts = cityPoints(4, 31337);
    const ids: string[] = [];
    for (const [i, p] of pts.entries()) {
      const r = await t.call('POST', '/api/v1/rollout', { as: s.admin, json: { name: `R${i}`, lat: p.lat, lon: p.lon, budget: 100, dueLive: i < 2 ? '2020-01-01' : '2999-01-01', programme: 'tahap-1' } });
      expect(r.status, await r.clone().text()).toBe(201);
      ids.push(((await r.json()) as { id: string }).id);
    }
    await t.call('POST', `/api/v1/rollout/${ids[0]}/advance`, { as: s.admin, json: { to: 'approved' } });
    const prog = (await (await t.call('GET', '/api/v1/kpis/programmes', { as: viewer })).json()) as { items: { programme: string; progressPct: number; schedulePct: number; budgetUsedPct: number; kpis: Kpi[] }[] };
    const p = prog.items.find((x) => x.programme === 'tahap-1')!;
    expect(p).toMatchObject({ progressPct: 0, schedulePct: 50, budgetUsedPct: 25 });
    expect(p.kpis.find((k) => k.key === 'progressVsSchedulePts')).toMatchObject({ value: -50, status: 'red' });
    expect(p.kpis.find((k) => k.key === 'budgetOverrunPts')).toMatchObject({ value: 25, status: 'orange' });
  });

  it('publishes a summary without sign-in and without personal data', async () => {
    const res = await t.call('GET', '/api/v1/public/summary');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pointsLive: number; pointsTotal: number; availabilityTodayPct: number | null; residentsCoveredPct: number; wards: { code: string; name: string; coveredPct: number | null; status: string }[] };
    expect(body.pointsLive).toBe(40);
    // Every seeded device reported up: every live site is working now.
    expect((body as unknown as { pointsWorking: number }).pointsWorking).toBe(40);
    expect(body.pointsTotal).toBeGreaterThanOrEqual(40);
    expect(body.availabilityTodayPct).toBe(100);
    expect(body.residentsCoveredPct).toBeGreaterThan(0);
    expect(body.wards).toHaveLength(43);
    for (const w of body.wards) {
      expect(['green', 'orange', 'red', 'no-data']).toContain(w.status);
      // The light is the light of the figure shown: never green at 0 %, never red without data.
      if (w.coveredPct === null) expect(w.status).toBe('no-data');
      if (w.coveredPct === 0) expect(w.status).toBe('red');
      if (w.status === 'green') expect(w.coveredPct).toBeGreaterThanOrEqual(80);
    }
    const text = JSON.stringify(body);
    for (const secret of ['@test.local', '127.0.', 'NetA', 'Titik']) expect(text).not.toContain(secret);
    // Kept for 30 s: anonymous floods cost one computation.
    const again = (await (await t.call('GET', '/api/v1/public/summary')).json()) as { asOf: string };
    expect(again.asOf).toBe((body as unknown as { asOf: string }).asOf);
    t.clock.advance(31_000);
    const later = (await (await t.call('GET', '/api/v1/public/summary')).json()) as { asOf: string };
    expect(later.asOf).not.toBe(again.asOf);
  });
});
