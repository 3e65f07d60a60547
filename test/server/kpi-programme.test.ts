/**
 * Issue 15, slice (d), on SQLite and Postgres: the KPI programme. Each KPI has a definition, unit, target and
 * thresholds an admin edits (refused in the wrong order, nothing half-written), an owning department and a PIC with
 * contact; every change is kept with who and when (also those made through PUT /kpis/thresholds); the trend comes
 * from the daily snapshots and says why when there is none; PIC notes per month; KPIs per kecamatan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS } from '../../core/traffic-light.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { cityPoints, seedLiveSites, seedWards } from './planning-seed.ts';

interface Item { key: string; label: { id: string; en: string }; definition: { id: string; en: string }; unit: string; target: number | null; green: number; red: number; department: string | null; pic: { name: string | null; contact: string | null }; trend: null | { direction: string; better: boolean | null; from: { value: number }; to: { value: number } }; trendReason?: string; updatedBy: string | null }
const DAY = 86_400_000;

describe.each(DIALECTS)('KPI programme on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let planner: string;
  let viewer: string;
  const programme = async (): Promise<Item[]> => ((await (await t.call('GET', '/api/v1/kpis/programme', { as: viewer })).json()) as { items: Item[] }).items;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    t.clock.advance(Date.parse('2026-12-10T03:00:00Z') - t.clock.nowMs());
    admin = await t.signIn('admin');
    planner = await t.signIn('planner');
    viewer = await t.signIn('viewer');
    await seedWards(t, admin);
    await seedLiveSites(t, admin, 10, 4242);
  }, 180_000);
  afterAll(async () => t?.handle.close());

  it('lists every KPI with its definition in both languages, unit, target and thresholds; no trend yet, and why', async () => {
    const items = await programme();
    expect(items.map((i) => i.key)).toEqual(KPI_DEFINITIONS.map((d) => d.key));
    for (const i of items) {
      expect(i.definition.id.length, i.key).toBeGreaterThan(20);
      expect(i.definition.en.length, i.key).toBeGreaterThan(20);
      expect(i.label.id).toBeTruthy();
      expect(i.unit).toBeTruthy();
      expect(i.trend).toBeNull();
      expect(i.trendReason).toBe('no-snapshots');
      expect(i.department).toBeNull();
    }
  }, 90_000);

  it('lets an admin set target, thresholds, department and PIC; refuses the wrong order whole; keeps the history', async () => {
    const body = { target: 12, green: 12, red: 6, department: 'Diskominfo', picName: 'Budi Santoso', picContact: 'budi@cilegon.go.id' };
    expect((await t.call('PUT', '/api/v1/kpis/programme/livePoints', { as: viewer, json: body })).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/kpis/programme/livePoints', { as: planner, json: body })).status).toBe(403);
    expect((await t.call('PUT', '/api/v1/kpis/programme/nope', { as: admin, json: body })).status).toBe(404);
    const wrong = await t.call('PUT', '/api/v1/kpis/programme/livePoints', { as: admin, json: { ...body, green: 5, red: 8 } });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/red \(8\) must not be above green \(5\)/);
    expect((await programme()).find((i) => i.key === 'livePoints')).toMatchObject({ target: 10, green: 10, red: 5, department: null });
    const ok = await t.call('PUT', '/api/v1/kpis/programme/livePoints', { as: admin, json: body });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await ok.json()).toMatchObject({ key: 'livePoints', target: 12, green: 12, red: 6, department: 'Diskominfo', pic: { name: 'Budi Santoso', contact: 'budi@cilegon.go.id' } });
    // The ward KPIs use the new target and thresholds.
    const wards = ((await (await t.call('GET', '/api/v1/kpis/wards', { as: viewer })).json()) as { items: { kpis: { key: string; target: number; value: number | null; status: string }[] }[] }).items;
    for (const w of wards) {
      const k = w.kpis.find((x) => x.key === 'livePoints')!;
      expect(k.target).toBe(12);
      if (k.value !== null) expect(k.status).toBe(k.value >= 12 ? 'green' : k.value < 6 ? 'red' : 'orange');
    }
    // The same change again changes nothing and adds no history.
    expect((await t.call('PUT', '/api/v1/kpis/programme/livePoints', { as: admin, json: body })).status).toBe(200);
    // A threshold set through the older route is in the history too.
    expect((await t.call('PUT', '/api/v1/kpis/thresholds', { as: admin, json: { livePoints: { green: 11, red: 6 } } })).status).toBe(200);
    const changes = ((await (await t.call('GET', '/api/v1/kpis/programme/livePoints/changes', { as: viewer })).json()) as { items: { by: string; at: string; changes: Record<string, [unknown, unknown]> }[] }).items;
    expect(changes).toHaveLength(2);
    expect(changes[0]!.changes).toEqual({ green: [12, 11] });
    expect(changes[1]!.changes).toMatchObject({ target: [null, 12], green: [10, 12], red: [5, 6], department: [null, 'Diskominfo'], pic_name: [null, 'Budi Santoso'] });
    expect(changes[1]!.by).toMatch(/^admin-.*@test\.local$/);
    // The audit log says which fields changed, not the PIC's contact.
    const audit = await t.handle.db.selectFrom('audit_log').select('detail').where('entity', '=', 'kpi_programme').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).not.toContain('budi@');
    // Nobody outside the staff sees the PIC.
    expect(JSON.stringify(await (await t.call('GET', '/api/v1/public/summary')).json())).not.toContain('Budi');
    expect((await t.call('GET', '/api/v1/kpis/programme')).status).toBe(401);
  }, 90_000);

  it('shows a trend from the daily snapshots, and says "one day" while there is only one', async () => {
    expect((await t.call('POST', '/api/v1/kpis/snapshots', { as: admin, json: {} })).status).toBe(201);
    const one = (await programme()).find((i) => i.key === 'livePoints')!;
    expect(one.trend).toBeNull();
    expect(one.trendReason).toBe('one-day');
    // The next day five more sites are live.
    t.clock.advance(DAY);
    for (const [i, p] of cityPoints(5, 777).entries()) {
      expect((await t.call('POST', '/api/v1/sites', { as: admin, json: { name: `Baru ${i}`, lat: p.lat, lon: p.lon, status: 'live' } })).status).toBe(201);
    }
    expect((await t.call('POST', '/api/v1/kpis/snapshots', { as: admin, json: {} })).status).toBe(201);
    const items = await programme();
    expect(items.find((i) => i.key === 'livePoints')!.trend).toMatchObject({ direction: 'up', better: true, from: { value: 10 }, to: { value: 15 } });
    // A KPI whose snapshots hold no value says so.
    expect(items.find((i) => i.key === 'progressVsSchedulePts')).toMatchObject({ trend: null, trendReason: 'no-snapshots' });
    t.clock.advance(-DAY);
  }, 90_000);

  it("keeps a PIC's note per KPI and month, written by any staff member", async () => {
    const put = await t.call('PUT', '/api/v1/kpis/programme/availabilityPct/notes/2026-12', { as: viewer, json: { note: 'Dua AP di Citangkil diganti minggu ke-2.' } });
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await t.call('PUT', '/api/v1/kpis/programme/availabilityPct/notes/2026-13', { as: viewer, json: { note: 'x' } })).status).toBe(422);
    expect((await t.call('PUT', '/api/v1/kpis/programme/availabilityPct/notes/2026-12', { as: viewer, json: { note: '' } })).status).toBe(422);
    const notes = (await (await t.call('GET', '/api/v1/kpis/notes?month=2026-12', { as: viewer })).json()) as { items: { key: string; note: string }[] };
    expect(notes.items).toEqual([expect.objectContaining({ key: 'availabilityPct', note: 'Dua AP di Citangkil diganti minggu ke-2.' })]);
  }, 90_000);

  it('answers KPIs per kecamatan', async () => {
    const res = (await (await t.call('GET', '/api/v1/kpis/districts', { as: viewer })).json()) as { items: { kecamatan: string; wards: number; livePoints: number; status: string }[] };
    expect(res.items).toHaveLength(8);
    expect(res.items.reduce((a, d) => a + d.wards, 0)).toBe(43);
    expect(res.items.reduce((a, d) => a + d.livePoints, 0)).toBe(15);
    for (const d of res.items) expect(['green', 'orange', 'red', 'no-data']).toContain(d.status);
  }, 90_000);
});
