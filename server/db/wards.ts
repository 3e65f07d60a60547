import type { Executor, WardsTable } from './types.ts';

export type WardRow = WardsTable;
export type WardSummaryRow = Omit<WardsTable, 'geometry'>;

const SUMMARY = ['code', 'name', 'district', 'district_code', 'city_code', 'area_m2', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'population', 'population_source', 'created_at', 'updated_at'] as const;

export async function listWardSummaries(
  db: Executor,
  filter: { limit: number; offset: number; district?: string | undefined; cityCode?: string | undefined },
): Promise<{ rows: WardSummaryRow[]; total: number }> {
  let q = db.selectFrom('wards');
  if (filter.cityCode !== undefined) q = q.where('city_code', '=', filter.cityCode);
  if (filter.district !== undefined) q = q.where('district', '=', filter.district);
  const rows = await q.select(SUMMARY).orderBy('code').limit(filter.limit).offset(filter.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

export async function listAllWards(db: Executor): Promise<WardRow[]> {
  return db.selectFrom('wards').selectAll().orderBy('code').execute();
}

export async function findWard(db: Executor, code: string): Promise<WardRow | undefined> {
  return db.selectFrom('wards').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function existingWardCodes(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('wards').select('code').execute();
  return new Set(rows.map((r) => r.code));
}

export async function insertWard(db: Executor, row: WardRow): Promise<void> {
  await db.insertInto('wards').values(row).execute();
}

/** Re-import: the shape, names and area change; residents stay. */
export async function updateWardShape(
  db: Executor,
  code: string,
  patch: Pick<WardRow, 'name' | 'district' | 'geometry' | 'area_m2' | 'min_lon' | 'min_lat' | 'max_lon' | 'max_lat' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('wards').set(patch).where('code', '=', code).execute();
}

export async function setWardPopulation(db: Executor, code: string, population: number | null, source: string | null, at: string): Promise<void> {
  await db.updateTable('wards').set({ population, population_source: source, updated_at: at }).where('code', '=', code).execute();
}
