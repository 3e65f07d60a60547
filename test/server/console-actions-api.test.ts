/**
 * What the console's new actions call, on SQLite and Postgres: device search and bulk changes, report triage,
 * audit filters, plan export (CSV and GeoJSON) and turning a plan into rollout items advanced with an owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/csv.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';

describe.each(DIALECTS)('console actions through the API on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let planner: string;
  let viewer: string;
  const devices: string[] = [];
  let siteA = '';
  let siteB = '';

  const json = async <T>(res: Response): Promise<T> => {
    const text = await res.text();
    if (!res.ok) throw new Error(`${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    [admin, planner, viewer] = await Promise.all([t.signIn('admin'), t.signIn('planner'), t.signIn('viewer')]);
    const square = (x0: number): number[][][] => [[[x0, -6.0], [x0 + 0.01, -6.0], [x0 + 0.01, -5.99], [x0, -5.99], [x0, -6.0]]];
    const wards = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'W1', name: 'Ciwaduk', district: 'Cilegon' }, geometry: { type: 'Polygon', coordinates: square(106.0) } },
        { type: 'Feature', properties: { code: 'W2', name: 'Tamansari', district: 'Pulomerak' }, geometry: { type: 'Polygon', coordinates: square(106.02) } },
      ],
    };
    await json(await t.call('POST', '/api/v1/wards/import?codeProp=code&nameProp=name&districtProp=district', { as: admin, body: JSON.stringify(wards), contentType: 'application/geo+json' }));
    await json(await t.call('POST', '/api/v1/wards/residents?by=ward&keyColumn=code&valueColumn=n', { as: admin, body: 'code,n\nW1,5000\nW2,7000', contentType: 'text/csv' }));
    siteA = (await json<{ id: string }>(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Balai Ciwaduk', lat: -5.995, lon: 106.005, status: 'live' } }))).id;
    siteB = (await json<{ id: string }>(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Pelabuhan', lat: -5.995, lon: 106.025, status: 'live', provider: 'Lintasarta' } }))).id;
    for (const [name, address, siteId] of [['AP Ciwaduk 1', '10.20.0.11', siteA], ['AP Ciwaduk 2', '10.20.0.12', siteA], ['Router Pelabuhan', '10.30.0.1', siteB]] as const) {
      devices.push((await json<{ id: string }>(await t.call('POST', '/api/v1/devices', { as: admin, json: { name, role: name.startsWith('Router') ? 'router' : 'ap', address, siteId, vendor: 'generic' } }))).id);
    }
  }, 60_000);
  afterAll(async () => t.handle.close());

  const names = async (qs: string): Promise<string[]> => (await json<{ items: { name: string }[] }>(await t.call('GET', `/api/v1/devices?${qs}`, { as: viewer }))).items.map((d) => d.name);

  it('finds devices by name, IP address, site, kelurahan and kecamatan', async () => {
    expect(await names('q=ciwaduk+2')).toEqual(['AP Ciwaduk 2']);
    expect(await names('q=10.30.')).toEqual(['Router Pelabuhan']);
    expect(await names('q=tamansari')).toEqual(['Router Pelabuhan']);
    expect(await names('q=PULOMERAK')).toEqual(['Router Pelabuhan']);
    expect(await names('q=cilegon')).toEqual(['AP Ciwaduk 1', 'AP Ciwaduk 2']);
    const sites = (await json<{ items: { name: string }[] }>(await t.call('GET', '/api/v1/sites?q=lintas', { as: viewer }))).items.map((s) => s.name);
    expect(sites).toEqual(['Pelabuhan']);
  });

  it('disables, enables and moves devices in bulk, all or nothing', async () => {
    const bad = await t.call('POST', '/api/v1/devices/bulk', { as: admin, json: { action: 'disable', ids: [devices[0], 'no-such-device'] } });
    expect(bad.status).toBe(404);
    expect((await json<{ enabled: boolean }>(await t.call('GET', `/api/v1/devices/${devices[0]}`, { as: admin }))).enabled).toBe(true);
    expect((await t.call('POST', '/api/v1/devices/bulk', { as: planner, json: { action: 'disable', ids: [devices[0]] } })).status).toBe(403);
    expect(await json(await t.call('POST', '/api/v1/devices/bulk', { as: admin, json: { action: 'disable', ids: [devices[0], devices[1]] } }))).toEqual({ updated: 2 });
    const all = await json<{ items: { id: string; enabled: boolean; siteId: string | null }[] }>(await t.call('GET', '/api/v1/devices', { as: admin }));
    expect(all.items.filter((d) => !d.enabled).map((d) => d.id).sort()).toEqual([devices[0], devices[1]].sort());
    await json(await t.call('POST', '/api/v1/devices/bulk', { as: admin, json: { action: 'move', ids: [devices[1]], siteId: siteB } }));
    expect((await json<{ siteId: string }>(await t.call('GET', `/api/v1/devices/${devices[1]}`, { as: admin }))).siteId).toBe(siteB);
    expect((await t.call('POST', '/api/v1/devices/bulk', { as: admin, json: { action: 'move', ids: [devices[1]], siteId: 'nowhere' } })).status).toBe(422);
    await json(await t.call('POST', '/api/v1/devices/bulk', { as: admin, json: { action: 'enable', ids: devices } }));
  });

  it('triages citizens reports: seen, planned, resolved, with who and when', async () => {
    const r = await json<{ id: string }>(await t.call('POST', '/api/v1/reports', { json: { lat: -5.995, lon: 106.004, note: 'Tidak ada sinyal di depan pasar' } }));
    const list0 = await json<{ items: { id: string; triage: string }[] }>(await t.call('GET', '/api/v1/reports?triage=new', { as: viewer }));
    expect(list0.items.map((x) => x.id)).toContain(r.id);
    expect((await t.call('PATCH', `/api/v1/reports/${r.id}`, { as: viewer, json: { triage: 'seen' } })).status).toBe(403);
    expect((await t.call('PATCH', `/api/v1/reports/${r.id}`, { as: planner, json: { triage: 'ignored' } })).status).toBe(422);
    const done = await json<{ triage: string; triageBy: string; triageNote: string }>(await t.call('PATCH', `/api/v1/reports/${r.id}`, { as: planner, json: { triage: 'planned', note: 'Masuk rencana 2027' } }));
    expect(done).toMatchObject({ triage: 'planned', triageNote: 'Masuk rencana 2027' });
    expect(done.triageBy).toMatch(/^planner-/);
    expect((await json<{ items: unknown[] }>(await t.call('GET', '/api/v1/reports?triage=new', { as: viewer }))).items).toHaveLength(0);
  });

  it('filters the audit log by actor, action, entity and period', async () => {
    const q = async (qs: string): Promise<{ action: string; entity: string; actor: string }[]> => (await json<{ items: { action: string; entity: string; actor: string }[] }>(await t.call('GET', `/api/v1/audit?${qs}`, { as: admin }))).items;
    const triage = await q('action=triage');
    expect(triage).toHaveLength(1);
    expect(triage[0]!.actor).toMatch(/^planner-/);
    expect((await q('actor=planner-')).every((x) => x.actor.startsWith('planner-'))).toBe(true);
    expect((await q('entity=device&action=bulk-disable')).length).toBe(1);
    expect(await q(`to=${encodeURIComponent(new Date(t.clock.nowMs() - 86_400_000).toISOString())}`)).toHaveLength(0);
    expect((await t.call('GET', '/api/v1/audit', { as: planner })).status).toBe(403);
  });

  it('exports a plan as CSV and GeoJSON, turns it into rollout items and advances one with an owner and a note', async () => {
    await json(await t.call('POST', '/api/v1/candidates/import', { as: admin, body: 'name,lat,lon,kind\nSD Ciwaduk,-5.9925,106.0075,school\nMasjid Tamansari,-5.9925,106.0275,mosque\nTaman,-5.998,106.021,park', contentType: 'text/csv' }));
    const plan = await json<{ id: string; sites: { name: string }[] }>(await t.call('POST', '/api/v1/plans', { as: planner, json: { name: 'Rencana Uji, "2027"', budget: { count: 2 }, layer: 'live' } }));
    expect(plan.sites.length).toBeGreaterThan(0);
    const csvRes = await t.call('GET', `/api/v1/plans/${plan.id}/sites.csv`, { as: viewer });
    expect(csvRes.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csvRes.headers.get('content-disposition')).toMatch(/attachment; filename="jangkau-rencana-rencana-uji-2027-\d{4}-\d{2}-\d{2}\.csv"/);
    const table = parseCsv(await csvRes.text());
    expect(table.header).toEqual(['rank', 'name', 'lat', 'lon', 'wardCode', 'kind', 'generated', 'cost', 'marginalResidents', 'cumulativeResidents', 'reason', 'candidateId']);
    expect(table.rows.map((r) => r.values.name)).toEqual(plan.sites.map((s) => s.name));
    const geo = (await (await t.call('GET', `/api/v1/plans/${plan.id}/sites.geojson`, { as: viewer })).json()) as { type: string; features: { geometry: { coordinates: number[] }; properties: { rank: number } }[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(plan.sites.length);
    expect(geo.features[0]!.properties.rank).toBe(1);
    expect((await t.call('GET', '/api/v1/plans/none/sites.csv', { as: viewer })).status).toBe(404);

    const made = await json<{ created: number; items: { id: string }[] }>(await t.call('POST', `/api/v1/plans/${plan.id}/rollout`, { as: planner, json: { department: 'Diskominfo' } }));
    expect(made.created).toBe(plan.sites.length);
    const item = made.items[0]!.id;
    const moved = await json<{ status: string; owner: string; notes: string }>(await t.call('POST', `/api/v1/rollout/${item}/advance`, { as: planner, json: { to: 'approved', owner: 'Budi Santoso', note: 'Disetujui rapat 3 Des' } }));
    expect(moved).toMatchObject({ status: 'approved', owner: 'Budi Santoso' });
    expect(moved.notes).toContain('approved: Disetujui rapat 3 Des');
    expect((await json<{ owner: string }>(await t.call('GET', `/api/v1/rollout/${item}`, { as: viewer }))).owner).toBe('Budi Santoso');
  });
});
