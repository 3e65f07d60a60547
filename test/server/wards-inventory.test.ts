import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { readSharedData } from '../helpers/shared-data.ts';

const WARDS = readSharedData('cilegon-kelurahan.geojson');
const POPULATION = readSharedData('cilegon-kecamatan-population.csv');
const IMPORT = '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan';

function swapPairs(text: string): string {
  const fc = JSON.parse(text) as { features: { geometry: { coordinates: unknown } }[] };
  const swap = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? [c[1], c[0]] : Array.isArray(c) ? c.map(swap) : c;
  for (const f of fc.features) f.geometry.coordinates = swap(f.geometry.coordinates);
  return JSON.stringify(fc);
}

describe.each(DIALECTS)('wards and inventory on %s', (dialect) => {
  let t: TestApp;
  let planner: string;
  let engineer: string;
  let viewer: string;
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    planner = await t.signIn('planner');
    engineer = await t.signIn('engineer');
    viewer = await t.signIn('viewer');
  });
  afterAll(async () => t.handle.close());

  it('imports the 43 Cilegon wards with their geodesic area (about 163 km2)', async () => {
    const res = await t.call('POST', IMPORT, { as: planner, body: WARDS, contentType: 'application/geo+json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 43, updated: 0, total: 43 });
    const list = await t.call('GET', '/api/v1/wards?limit=100', { as: viewer });
    const body = (await list.json()) as { items: { code: string; name: string; district: string; areaM2: number; population: number | null }[]; total: number };
    expect(body.total).toBe(43);
    expect(body.items).toHaveLength(43);
    expect(new Set(body.items.map((w) => w.district)).size).toBe(8);
    const km2 = body.items.reduce((a, w) => a + w.areaM2, 0) / 1e6;
    expect(km2).toBeGreaterThan(163 * 0.99);
    expect(km2).toBeLessThan(163 * 1.01);
    expect(body.items[0]).toHaveProperty('population', null);
  });

  it('refuses the same file with every coordinate pair swapped, naming the fault, and keeps the 43 wards', async () => {
    const res = await t.call('POST', IMPORT, { as: planner, body: swapPairs(WARDS), contentType: 'application/geo+json' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const err = (await res.json()) as { code: string; message: string; details: { path: string; message: string }[] };
    expect(err.details.length).toBeGreaterThan(0);
    expect(JSON.stringify(err)).toMatch(/lat|swap|order|range/i);
    expect(err.details[0]!.path).toMatch(/features\[\d+\]/);
    const list = (await (await t.call('GET', '/api/v1/wards?limit=1', { as: viewer })).json()) as { total: number };
    expect(list.total).toBe(43);
  });

  it('refuses a file that is not JSON, and one with a point feature, with nothing stored', async () => {
    const notJson = await t.call('POST', IMPORT, { as: planner, body: '{"type": "FeatureColl', contentType: 'application/geo+json' });
    expect(notJson.status).toBe(422);
    const fc = JSON.parse(WARDS) as { features: { properties: Record<string, unknown>; geometry: unknown }[] };
    fc.features[5]!.geometry = { type: 'Point', coordinates: [106.0, -6.0] };
    fc.features[0]!.properties.nama = 'Renamed';
    const withPoint = await t.call('POST', IMPORT, { as: planner, body: JSON.stringify(fc), contentType: 'application/geo+json' });
    expect(withPoint.status).toBe(422);
    expect(JSON.stringify(await withPoint.json())).toMatch(/features\[5\]/);
    const first = (await (await t.call('GET', '/api/v1/wards?limit=1', { as: viewer })).json()) as { items: { name: string }[] };
    expect(first.items[0]!.name).not.toBe('Renamed');
  });

  it('re-import updates by code', async () => {
    const fc = JSON.parse(WARDS) as { features: { properties: Record<string, unknown> }[] };
    fc.features[0]!.properties.nama = 'Cibeber Baru';
    const res = await t.call('POST', IMPORT, { as: planner, body: JSON.stringify(fc), contentType: 'application/geo+json' });
    expect(await res.json()).toMatchObject({ created: 0, updated: 43, total: 43 });
    const w = (await (await t.call('GET', '/api/v1/wards/36.72.01.1001', { as: viewer })).json()) as { name: string; geometry: { type: string } };
    expect(w.name).toBe('Cibeber Baru');
    expect(w.geometry.type).toBe('Polygon');
  });

  it('spreads district residents over the wards by area: the wards sum to 483,015, marked as estimates', async () => {
    const res = await t.call('POST', '/api/v1/wards/residents?by=district&keyColumn=kecamatan&valueColumn=population_2025s1', {
      as: planner,
      body: POPULATION,
      contentType: 'text/csv',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ wardsUpdated: 43, residents: 483015, estimated: true });
    const list = (await (await t.call('GET', '/api/v1/wards?limit=100', { as: viewer })).json()) as {
      items: { population: number; populationSource: string; district: string; areaM2: number }[];
    };
    expect(list.items.reduce((a, w) => a + w.population, 0)).toBe(483015);
    expect(list.items.every((w) => w.populationSource === 'district-estimate')).toBe(true);
  });

  it('a viewer may read but not import', async () => {
    const res = await t.call('POST', IMPORT, { as: viewer, body: WARDS, contentType: 'application/geo+json' });
    expect(res.status).toBe(403);
  });

  it('places a site in its ward from the location; outside every ward it is stored and flagged', async () => {
    // The centroid of Cibeber from the source file.
    const inside = await t.call('POST', '/api/v1/sites', { as: planner, json: { name: 'Kantor Kelurahan Cibeber', lat: -6.0331103, lon: 106.0696596, status: 'live' } });
    expect(inside.status).toBe(201);
    const a = (await inside.json()) as { id: string; wardCode: string; outsideCity: boolean };
    expect(a).toMatchObject({ wardCode: '36.72.01.1001', outsideCity: false });
    expect(a.id).toBeTruthy();
    const sea = await t.call('POST', '/api/v1/sites', { as: planner, json: { name: 'Pulau Merak Kecil', lat: -5.5, lon: 105.5, status: 'planned' } });
    expect(sea.status).toBe(201);
    expect(await sea.json()).toMatchObject({ wardCode: null, outsideCity: true });
    const bad = await t.call('POST', '/api/v1/sites', { as: planner, json: { name: 'x', lat: 106.07, lon: -6.03 } });
    expect(bad.status).toBe(422);
  });

  it('stores device credentials sealed: never returned, never in the database in plain text', async () => {
    const site = (await (await t.call('POST', '/api/v1/sites', { as: engineer, json: { name: 'Alun-alun', lat: -6.0169, lon: 106.0539 } })).json()) as { id: string };
    const res = await t.call('POST', '/api/v1/devices', {
      as: engineer,
      json: {
        siteId: site.id,
        name: 'AP Alun-alun 1',
        role: 'ap',
        address: '127.0.0.1',
        snmp: { community: 'sup3r-s3cret-community', port: 16161 },
        routeros: { username: 'jangkau', password: 'r0uter-pa55word' },
        pollIntervalS: 5,
        coverage: { radiusM: 80 },
      },
    });
    expect(res.status).toBe(201);
    const dev = (await res.json()) as { id: string; snmp: { communitySet: boolean }; routeros: { port: number; passwordSet: boolean } };
    expect(dev.id).toBeTruthy();
    expect(dev.snmp.communitySet).toBe(true);
    expect(dev.routeros).toMatchObject({ port: 8728, passwordSet: true });
    const core = await t.call('POST', '/api/v1/devices', { as: engineer, json: { name: 'Core router', role: 'router', address: '10.0.0.1' } });
    expect(core.status).toBe(201);
    const all = JSON.stringify(await (await t.call('GET', '/api/v1/devices?limit=100', { as: viewer })).json());
    expect(all).not.toContain('sup3r-s3cret-community');
    expect(all).not.toContain('r0uter-pa55word');
    const rows = await t.handle.db.selectFrom('devices').selectAll().execute();
    const audit = await t.handle.db.selectFrom('audit_log').selectAll().execute();
    const dump = JSON.stringify([rows, audit]);
    expect(dump).not.toContain('sup3r-s3cret-community');
    expect(dump).not.toContain('r0uter-pa55word');
    const patched = await t.call('PATCH', `/api/v1/devices/${dev.id}`, { as: engineer, json: { name: 'AP Alun-alun 1a' } });
    expect(((await patched.json()) as { snmp: { communitySet: boolean } }).snmp.communitySet).toBe(true);
  });

  it('imports sites from CSV all or nothing, listing every faulty row', async () => {
    const before = ((await (await t.call('GET', '/api/v1/sites?limit=1', { as: viewer })).json()) as { total: number }).total;
    const rows = ['name,lat,lon,status,provider,contractedMbps'];
    for (let i = 0; i < 300; i++) rows.push(`Titik ${i},${(-6.0 + i * 0.0001).toFixed(5)},${(106.03 + i * 0.0001).toFixed(5)},planned,ISP A,50`);
    const bad = [...rows];
    bad[10] = 'Broken,abc,106.0,planned,,50';
    bad[200] = 'Also broken,-6.0,106.0,unknown-status,,50';
    const rejected = await t.call('POST', '/api/v1/sites/import', { as: planner, body: bad.join('\n'), contentType: 'text/csv' });
    expect(rejected.status).toBe(422);
    const err = (await rejected.json()) as { details: { path: string }[] };
    expect(err.details.map((d) => d.path)).toEqual(['line 11', 'line 201']);
    expect(((await (await t.call('GET', '/api/v1/sites?limit=1', { as: viewer })).json()) as { total: number }).total).toBe(before);
    const ok = await t.call('POST', '/api/v1/sites/import', { as: planner, body: rows.join('\r\n'), contentType: 'text/csv' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ created: 300 });
    const page = (await (await t.call('GET', '/api/v1/sites?limit=50&offset=50', { as: viewer })).json()) as { items: unknown[]; total: number };
    expect(page.total).toBe(before + 300);
    expect(page.items).toHaveLength(50);
  });

  it('re-importing sites and devices upserts by code, name and site (issue 10)', async () => {
    const imp = async (what: 'sites' | 'devices', lines: string[]) => t.call('POST', `/api/v1/${what}/import`, { as: what === 'sites' ? planner : engineer, body: lines.join('\n'), contentType: 'text/csv' });
    const sites = ['code,name,lat,lon,provider', 'UP-1,Taman Upsert 1,-6.01,106.04,ISP A', 'UP-2,Taman Upsert 2,-6.02,106.05,ISP A', 'UP-3,Taman Upsert 3,-6.03,106.06,ISP A'];
    expect(await (await imp('sites', sites)).json()).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    expect(await (await imp('sites', sites)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const changed = [...sites.slice(0, 3), 'UP-3,Taman Upsert 3 (baru),-6.03,106.06,ISP B', 'UP-4,Taman Upsert 4,-6.04,106.07,ISP A'];
    expect(await (await imp('sites', changed)).json()).toMatchObject({ created: 1, updated: 1, unchanged: 2 });
    const list = (await (await t.call('GET', '/api/v1/sites?limit=100&q=upsert', { as: viewer })).json()) as { items: { id: string; code: string | null; name: string; provider: string }[] };
    expect(list.items.map((x) => x.code).sort()).toEqual(['UP-1', 'UP-2', 'UP-3', 'UP-4']);
    const third = list.items.find((x) => x.code === 'UP-3')!;
    expect(third).toMatchObject({ name: 'Taman Upsert 3 (baru)', provider: 'ISP B' });
    const audit = await t.handle.db.selectFrom('audit_log').selectAll().where('entity_id', '=', third.id).where('action', '=', 'update').execute();
    expect(audit.map((a) => JSON.parse(a.detail as string) as { changed: string[] })[0]!.changed.sort()).toEqual(['name', 'provider']);
    // Without a code column, by name: case and spacing do not matter for the match (the new spelling is stored).
    expect(await (await imp('sites', ['name,lat,lon', 'Taman Upsert 2,-6.02,106.05'])).json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await (await imp('sites', ['name,lat,lon', 'taman  UPSERT 1,-6.01,106.04'])).json()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    // One key twice in a file: refused, both lines named, nothing written.
    const dup = await imp('sites', ['code,name,lat,lon', 'UP-9,A,-6.0,106.0', 'UP-9,B,-6.0,106.0']);
    expect(dup.status).toBe(422);
    const dupErr = (await dup.json()) as { details: { path: string; message: string }[] };
    expect(dupErr.details).toHaveLength(1);
    expect(dupErr.details[0]!.path).toBe('line 3');
    expect(dupErr.details[0]!.message).toContain('line 2');
    expect(((await (await t.call('GET', '/api/v1/sites?limit=100&q=upsert', { as: viewer })).json()) as { total: number }).total).toBe(4);

    const site = list.items.find((x) => x.code === 'UP-1')!.id;
    const devices = ['name,role,address,siteId,snmpCommunity', `AP Upsert 1,ap,10.9.0.1,${site},publik1`, `AP Upsert 2,ap,10.9.0.2,${site},publik1`];
    expect(await (await imp('devices', devices)).json()).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect(await (await imp('devices', devices)).json()).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const devChanged = [devices[0]!, devices[1]!, `ap upsert 2,ap,10.9.0.22,${site},rahasia2`, `AP Upsert 3,ap,10.9.0.3,${site},publik1`];
    expect(await (await imp('devices', devChanged)).json()).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    const devs = (await (await t.call('GET', `/api/v1/devices?limit=100&siteId=${site}`, { as: viewer })).json()) as { items: { id: string; name: string; address: string }[] };
    expect(devs.items.map((d) => d.address).sort()).toEqual(['10.9.0.1', '10.9.0.22', '10.9.0.3']);
    const second = devs.items.find((d) => d.address === '10.9.0.22')!;
    const devAudit = await t.handle.db.selectFrom('audit_log').selectAll().where('entity_id', '=', second.id).where('action', '=', 'update').execute();
    expect((JSON.parse(devAudit[0]!.detail as string) as { changed: string[] }).changed.sort()).toEqual(['address', 'name', 'snmp']);
    expect(JSON.stringify(devAudit)).not.toContain('rahasia2');
    const devDup = await imp('devices', ['name,role,address,siteId', `X,ap,10.9.0.9,${site}`, `x,ap,10.9.0.8,${site}`]);
    expect(devDup.status).toBe(422);
  });
});
