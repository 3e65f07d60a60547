/**
 * Site codes are unique where set (issue 10, migration 0020-10-site-code-unique), on SQLite and Postgres:
 * - the upgrade keeps the first-made site of a shared code and clears the later ones' codes, audit-logged;
 * - creating or changing a site with a taken code answers 409 `site.codeTaken`, also when two requests race;
 * - a devices CSV names sites by their code (`siteCode`), with a row fault for an unknown code, all or nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { MIGRATIONS } from '../../server/db/migrations/index.ts';

const MIGRATION = '0020-10-site-code-unique';

describe.each(DIALECTS)('site codes on %s', (dialect) => {
  let t: TestApp;
  let planner: string;
  let engineer: string;
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    planner = await t.signIn('planner');
    engineer = await t.signIn('engineer');
  });
  afterAll(async () => t.handle.close());

  const site = (over: Record<string, unknown>) => ({ name: 'Taman Kode', lat: -6.01, lon: 106.04, status: 'live', ...over });

  it('upgrading with duplicate codes keeps the first-made site of each code, clears the later ones and logs it', async () => {
    const db = t.handle.db;
    await MIGRATIONS[MIGRATION]!.down!(db);
    const row = (id: string, code: string | null, created: string) => ({
      id, name: `Lama ${id}`, code, lat: -6.0, lon: 106.0, ward_code: null, outside_city: 1, status: 'live', provider: null,
      contracted_mbps: null, address: null, planned_at: null, live_at: null, notes: null, created_at: created, updated_at: created,
    });
    await db.insertInto('sites').values([
      row('dup-b', 'GANDA', '2026-01-02T00:00:00.000Z'),
      row('dup-a', 'GANDA', '2026-01-01T00:00:00.000Z'),
      row('dup-c', 'GANDA', '2026-01-03T00:00:00.000Z'),
      row('dup-d', 'TUNGGAL', '2026-01-01T00:00:00.000Z'),
      row('dup-e', null, '2026-01-01T00:00:00.000Z'),
      row('dup-f', null, '2026-01-01T00:00:00.000Z'),
    ]).execute();
    await MIGRATIONS[MIGRATION]!.up(db);
    const codes = Object.fromEntries((await db.selectFrom('sites').select(['id', 'code']).where('id', 'like', 'dup-%').execute()).map((r) => [r.id, r.code]));
    expect(codes).toEqual({ 'dup-a': 'GANDA', 'dup-b': null, 'dup-c': null, 'dup-d': 'TUNGGAL', 'dup-e': null, 'dup-f': null });
    const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'site').where('entity_id', 'in', ['dup-b', 'dup-c']).execute();
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => JSON.parse(a.detail!) as { code: string; keptBy: string })).toEqual([
      expect.objectContaining({ code: 'GANDA', keptBy: 'dup-a' }),
      expect.objectContaining({ code: 'GANDA', keptBy: 'dup-a' }),
    ]);
    // The index now holds: a second GANDA is refused by the engine itself.
    await expect(db.insertInto('sites').values(row('dup-g', 'GANDA', '2026-01-04T00:00:00.000Z')).execute()).rejects.toThrow();
    await db.deleteFrom('sites').where('id', 'like', 'dup-%').execute();
  });

  it('refuses a taken code with 409 on create and on change, also when two requests race', async () => {
    const first = await t.call('POST', '/api/v1/sites', { as: planner, json: site({ code: 'KD-1' }) });
    expect(first.status).toBe(201);
    const again = await t.call('POST', '/api/v1/sites', { as: planner, json: site({ name: 'Lain', code: 'KD-1' }) });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'conflict', reason: 'site.codeTaken', params: { code: 'KD-1' } });
    // Sites without a code are any number.
    for (let i = 0; i < 2; i++) expect((await t.call('POST', '/api/v1/sites', { as: planner, json: site({ name: `Tanpa ${i}` }) })).status).toBe(201);
    const other = (await (await t.call('POST', '/api/v1/sites', { as: planner, json: site({ name: 'Kedua', code: 'KD-2' }) })).json()) as { id: string };
    const patch = await t.call('PATCH', `/api/v1/sites/${other.id}`, { as: engineer, json: { code: 'KD-1' } });
    expect(patch.status).toBe(409);
    expect(await patch.json()).toMatchObject({ reason: 'site.codeTaken' });
    // Its own code again is no conflict.
    expect((await t.call('PATCH', `/api/v1/sites/${other.id}`, { as: engineer, json: { code: 'KD-2', notes: 'tetap' } })).status).toBe(200);
    // Ten creates of one new code at once: exactly one is stored, the others answer 409.
    const raced = await Promise.all(Array.from({ length: 10 }, (_, i) => t.call('POST', '/api/v1/sites', { as: planner, json: site({ name: `Balapan ${i}`, code: 'KD-RACE' }) })));
    expect(raced.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of raced.filter((x) => x.status === 409)) expect(((await r.json()) as { code: string }).code).toBe('conflict');
    expect(await t.handle.db.selectFrom('sites').select('id').where('code', '=', 'KD-RACE').execute()).toHaveLength(1);
    // Two imports making the same new code at once: one stores it, the other stores nothing (409).
    const imports = await Promise.all(
      ['Impor A', 'Impor B'].map((name) => t.call('POST', '/api/v1/sites/import', { as: planner, body: `code,name,lat,lon\nKD-IMP,${name},-6.02,106.05`, contentType: 'text/csv' })),
    );
    const statuses = imports.map((r) => r.status).sort();
    // Either they interleave (one 409) or run one after the other (the second updates the first's site).
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    expect(await t.handle.db.selectFrom('sites').select('id').where('code', '=', 'KD-IMP').execute()).toHaveLength(1);
    expect(await t.handle.db.selectFrom('sites').select('id').where('name', 'in', ['Impor A', 'Impor B']).execute()).toHaveLength(1);
  });

  it('imports devices that name their site by code, refusing the file for an unknown code', async () => {
    const s = (await (await t.call('POST', '/api/v1/sites', { as: planner, json: site({ name: 'Taman Perangkat', code: 'DEV-SITE' }) })).json()) as { id: string };
    const imp = (lines: string[]) => t.call('POST', '/api/v1/devices/import', { as: engineer, body: lines.join('\n'), contentType: 'text/csv' });
    const bad = await imp(['name,role,address,siteCode', 'AP Kode 1,ap,10.8.0.1,DEV-SITE', 'AP Kode 2,ap,10.8.0.2,TIDAK-ADA', 'AP Kode 3,ap,10.8.0.3,']);
    expect(bad.status).toBe(422);
    const err = (await bad.json()) as { details: { path: string; code: string; params: Record<string, string> }[] };
    expect(err.details).toEqual([expect.objectContaining({ path: 'line 3', code: 'import.unknownSiteCode', params: expect.objectContaining({ code: 'TIDAK-ADA' }) })]);
    expect(await t.handle.db.selectFrom('devices').select('id').where('name', 'like', 'AP Kode%').execute()).toHaveLength(0);
    // An id and a code naming two sites is a fault too.
    const other = (await (await t.call('POST', '/api/v1/sites', { as: planner, json: site({ name: 'Taman Lain', code: 'DEV-OTHER' }) })).json()) as { id: string };
    const mismatch = await imp(['name,role,address,siteId,site_code', `AP Kode 1,ap,10.8.0.1,${other.id},DEV-SITE`]);
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as { details: { code: string }[] }).details[0]!.code).toBe('import.siteMismatch');
    const good = ['name,role,address,siteCode', 'AP Kode 1,ap,10.8.0.1,DEV-SITE', 'AP Kode 2,ap,10.8.0.2,DEV-SITE', 'AP Kode 3,ap,10.8.0.3,'];
    const ok = await imp(good);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const placed = await t.handle.db.selectFrom('devices').select(['name', 'site_id']).where('name', 'like', 'AP Kode%').orderBy('name').execute();
    expect(placed).toEqual([
      { name: 'AP Kode 1', site_id: s.id },
      { name: 'AP Kode 2', site_id: s.id },
      { name: 'AP Kode 3', site_id: null },
    ]);
    // A re-import by code matches the same devices (name + site): nothing new.
    expect(await (await imp(good)).json()).toMatchObject({ created: 0, unchanged: 3 });
    expect(await (await imp(['name,role,address,site_code', 'AP Kode 1,ap,10.8.0.11,DEV-SITE'])).json()).toMatchObject({ created: 0, updated: 1 });
  });
});
