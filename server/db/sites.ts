import type { Executor, SitesTable } from './types.ts';

export type SiteRow = SitesTable;

export async function insertSite(db: Executor, row: SiteRow): Promise<void> {
  await db.insertInto('sites').values(row).execute();
}

export async function insertSites(db: Executor, rows: SiteRow[]): Promise<void> {
  // Chunks keep each statement under SQLite's and D1's bound-parameter limits.
  for (let i = 0; i < rows.length; i += 50) await db.insertInto('sites').values(rows.slice(i, i + 50)).execute();
}

export async function findSite(db: Executor, id: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The site holding `code` (unique where set, migration 0020-10-site-code-unique). */
export async function findSiteByCode(db: Executor, code: string): Promise<SiteRow | undefined> {
  return db.selectFrom('sites').selectAll().where('code', '=', code).executeTakeFirst();
}

/** How the engines name the unique index on sites.code in their errors (Postgres: the index; SQLite: the column). */
export const SITE_CODE_UNIQUE = ['sites_code_unique', 'sites.code'] as const;

/** Every site, for matching a CSV re-import against what is stored (issue 10). */
export async function allSites(db: Executor): Promise<SiteRow[]> {
  return db.selectFrom('sites').selectAll().execute();
}

export async function updateSite(db: Executor, id: string, patch: Partial<Omit<SiteRow, 'id'>>): Promise<void> {
  await db.updateTable('sites').set(patch).where('id', '=', id).execute();
}

export async function deleteSite(db: Executor, id: string): Promise<number> {
  const r = await db.deleteFrom('sites').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listSites(
  db: Executor,
  filter: { limit: number; offset: number; wardCode?: string | undefined; status?: string | undefined; q?: string | undefined; cityCode?: string | undefined },
): Promise<{ rows: SiteRow[]; total: number }> {
  let q = db.selectFrom('sites');
  if (filter.cityCode !== undefined) {
    const city = filter.cityCode;
    q = q.where('ward_code', 'in', (eb) => eb.selectFrom('wards').select('code').where('city_code', '=', city));
  }
  if (filter.wardCode !== undefined) q = q.where('ward_code', '=', filter.wardCode);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.q !== undefined) {
    // Name, street address or provider of the site, or its kelurahan or kecamatan.
    const like = `%${filter.q.toLowerCase()}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['sites.name']), 'like', like),
        eb(eb.fn('lower', ['sites.address']), 'like', like),
        eb(eb.fn('lower', ['sites.provider']), 'like', like),
        eb('sites.ward_code', 'in', eb.selectFrom('wards').select('code').where((e) => e.or([e(e.fn('lower', ['name']), 'like', like), e(e.fn('lower', ['district']), 'like', like)]))),
      ]),
    );
  }
  const rows = await q.selectAll().orderBy('name').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

export async function listAllSiteLocations(db: Executor): Promise<Pick<SiteRow, 'id' | 'lat' | 'lon' | 'ward_code'>[]> {
  return db.selectFrom('sites').select(['id', 'lat', 'lon', 'ward_code']).execute();
}

export async function setSiteWard(db: Executor, id: string, wardCode: string | null): Promise<void> {
  await db.updateTable('sites').set({ ward_code: wardCode, outside_city: wardCode === null ? 1 : 0 }).where('id', '=', id).execute();
}
