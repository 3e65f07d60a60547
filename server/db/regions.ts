import type { Executor, RegionsTable } from './types.ts';

export type RegionRow = RegionsTable;
export type RegionLevel = 'province' | 'city' | 'district';

export async function upsertRegions(db: Executor, rows: RegionRow[]): Promise<void> {
  if (rows.length === 0) return;
  const existing = new Set((await db.selectFrom('regions').select('code').where('code', 'in', rows.map((r) => r.code)).execute()).map((r) => r.code));
  for (const r of rows) {
    if (existing.has(r.code)) {
      await db.updateTable('regions').set({ level: r.level, name: r.name, parent_code: r.parent_code, updated_at: r.updated_at }).where('code', '=', r.code).execute();
    }
  }
  const fresh = rows.filter((r) => !existing.has(r.code));
  // Chunks keep each statement under SQLite's and D1's bound-parameter limits.
  for (let i = 0; i < fresh.length; i += 15) await db.insertInto('regions').values(fresh.slice(i, i + 15)).execute();
}

export async function listRegions(db: Executor, level?: RegionLevel): Promise<RegionRow[]> {
  let q = db.selectFrom('regions').selectAll();
  if (level !== undefined) q = q.where('level', '=', level);
  return q.orderBy('code').execute();
}

export async function findRegion(db: Executor, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Ward code -> its name, kecamatan and kabupaten/kota codes (null where the import carried no hierarchy). */
export async function wardRegionCodes(db: Executor): Promise<Map<string, { name: string; districtCode: string | null; cityCode: string | null }>> {
  const rows = await db.selectFrom('wards').select(['code', 'name', 'district_code', 'city_code']).execute();
  return new Map(rows.map((r) => [r.code, { name: r.name, districtCode: r.district_code ?? null, cityCode: r.city_code ?? null }]));
}

export async function setWardRegions(db: Executor, code: string, districtCode: string, cityCode: string): Promise<void> {
  await db.updateTable('wards').set({ district_code: districtCode, city_code: cityCode }).where('code', '=', code).execute();
}

/** The kabupaten/kota a site lies in (through its ward), or null outside every ward or without a hierarchy. */
export async function cityOfSite(db: Executor, siteId: string): Promise<{ found: boolean; cityCode: string | null }> {
  const r = await db
    .selectFrom('sites')
    .leftJoin('wards', 'wards.code', 'sites.ward_code')
    .select(['sites.id', 'wards.city_code'])
    .where('sites.id', '=', siteId)
    .executeTakeFirst();
  return r === undefined ? { found: false, cityCode: null } : { found: true, cityCode: r.city_code ?? null };
}

export async function cityOfDevice(db: Executor, deviceId: string): Promise<{ found: boolean; cityCode: string | null }> {
  const r = await db
    .selectFrom('devices')
    .leftJoin('sites', 'sites.id', 'devices.site_id')
    .leftJoin('wards', 'wards.code', 'sites.ward_code')
    .select(['devices.id', 'wards.city_code'])
    .where('devices.id', '=', deviceId)
    .executeTakeFirst();
  return r === undefined ? { found: false, cityCode: null } : { found: true, cityCode: r.city_code ?? null };
}

export async function cityOfWard(db: Executor, wardCode: string): Promise<{ found: boolean; cityCode: string | null }> {
  const r = await db.selectFrom('wards').select(['code', 'city_code']).where('code', '=', wardCode).executeTakeFirst();
  return r === undefined ? { found: false, cityCode: null } : { found: true, cityCode: r.city_code ?? null };
}

/** The kabupaten/kota of an incident's device (through its site and ward). */
export async function cityOfIncident(db: Executor, incidentId: string): Promise<{ found: boolean; cityCode: string | null }> {
  const r = await db
    .selectFrom('incidents')
    .leftJoin('devices', 'devices.id', 'incidents.device_id')
    .leftJoin('sites', 'sites.id', 'devices.site_id')
    .leftJoin('wards', 'wards.code', 'sites.ward_code')
    .select(['incidents.id', 'wards.city_code'])
    .where('incidents.id', '=', incidentId)
    .executeTakeFirst();
  return r === undefined ? { found: false, cityCode: null } : { found: true, cityCode: r.city_code ?? null };
}
