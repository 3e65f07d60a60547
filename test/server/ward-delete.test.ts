/**
 * Deleting a ward (issue 10, item 12), on SQLite and Postgres: refused with the counts while sites and devices lie in
 * it, forced it goes and its sites are placed again by the remaining wards; admins only; audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';

describe.each(DIALECTS)('deleting a ward (%s)', (dialect) => {
  let t: TestApp;
  let admin: string;
  let engineer: string;
  const site = { inner: '', nearB: '' };

  const json = async <T>(res: Response): Promise<T> => {
    const text = await res.text();
    if (!res.ok) throw new Error(`${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const wardOf = async (id: string): Promise<string | null> => (await t.handle.db.selectFrom('sites').select('ward_code').where('id', '=', id).executeTakeFirstOrThrow()).ward_code;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    [admin, engineer] = await Promise.all([t.signIn('admin'), t.signIn('engineer')]);
    // Two wards side by side (A west of B, sharing the line lon 106.01), a third apart.
    const square = (x0: number): number[][][] => [[[x0, -6.0], [x0 + 0.01, -6.0], [x0 + 0.01, -5.99], [x0, -5.99], [x0, -6.0]]];
    const feature = (code: string, name: string, x0: number) => ({ type: 'Feature', properties: { code, name, district: 'Citangkil' }, geometry: { type: 'Polygon', coordinates: square(x0) } });
    const wards = { type: 'FeatureCollection', features: [feature('W-A', 'Citangkil', 106.0), feature('W-B', 'Kebonsari', 106.01), feature('W-C', 'Lebakdenok', 106.05)] };
    await json(await t.call('POST', '/api/v1/wards/import?codeProp=code&nameProp=name&districtProp=district', { as: admin, body: JSON.stringify(wards), contentType: 'application/geo+json' }));
    site.inner = (await json<{ id: string }>(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Balai Citangkil', lat: -5.995, lon: 106.003, status: 'live' } }))).id;
    // About 11 m west of ward B's edge: once A is gone, the 25 m rule places it in B.
    site.nearB = (await json<{ id: string }>(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: 'Pos Perbatasan', lat: -5.995, lon: 106.0099, status: 'live' } }))).id;
    await json(await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Balai', role: 'ap', address: '10.20.0.2', siteId: site.inner, vendor: 'generic', snmp: { community: 'c' } } }));
    await json(await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Pos', role: 'ap', address: '10.20.0.3', siteId: site.nearB, vendor: 'generic', snmp: { community: 'c' } } }));
  });
  afterAll(async () => t.handle.close());

  it('refuses a ward that still holds sites, naming how many, and changes nothing', async () => {
    expect([await wardOf(site.inner), await wardOf(site.nearB)]).toEqual(['W-A', 'W-A']);
    const res = await t.call('DELETE', '/api/v1/wards/W-A', { as: admin });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { reason: string; message: string; params: Record<string, unknown> };
    expect(body.reason).toBe('ward.notEmpty');
    expect(body.params).toMatchObject({ code: 'W-A', sites: 2, devices: 2 });
    expect(body.message).toMatch(/2 site\(s\) and 2 device\(s\)/);
    expect((await t.call('GET', '/api/v1/wards/W-A', { as: admin })).status).toBe(200);
  });

  it('lets only admins delete', async () => {
    expect((await t.call('DELETE', '/api/v1/wards/W-C', { as: engineer })).status).toBe(403);
    expect((await t.call('GET', '/api/v1/wards/W-C', { as: admin })).status).toBe(200);
  });

  it('deletes an empty ward at once, and says so for one that does not exist', async () => {
    expect(await json(await t.call('DELETE', '/api/v1/wards/W-C', { as: admin }))).toEqual({ code: 'W-C', sites: 0, devices: 0 });
    expect((await t.call('GET', '/api/v1/wards/W-C', { as: admin })).status).toBe(404);
    expect((await t.call('DELETE', '/api/v1/wards/W-C', { as: admin })).status).toBe(404);
  });

  it('forced, deletes the ward and places its sites again by the remaining wards, audited', async () => {
    expect(await json(await t.call('DELETE', '/api/v1/wards/W-A?force=true', { as: admin }))).toEqual({ code: 'W-A', sites: 2, devices: 2 });
    expect((await t.call('GET', '/api/v1/wards/W-A', { as: admin })).status).toBe(404);
    expect([await wardOf(site.inner), await wardOf(site.nearB)]).toEqual([null, 'W-B']);
    const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'entity_id', 'detail']).where('entity', '=', 'ward').where('action', '=', 'delete').orderBy('at').execute();
    expect(audit.map((a) => [a.entity_id, JSON.parse(a.detail ?? '{}')])).toEqual([
      ['W-C', { name: 'Lebakdenok', sites: 0, devices: 0, forced: false }],
      ['W-A', { name: 'Citangkil', sites: 2, devices: 2, forced: true }],
    ]);
  });
});
