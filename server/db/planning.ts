/** SQL of issue 5: candidates, plans, rollout items, KPI thresholds and snapshots, blank-spot reports. */
import type {
  BlankSpotReportsTable, CandidatesTable, Executor, KpiSnapshotsTable, KpiThresholdsTable, PlansTable, RolloutItemsTable,
} from './types.ts';

/** D1 binds at most 100 parameters a statement; SQLite and Postgres take far more. */
const MAX_PARAMS = 100;

async function insertChunked<T extends 'candidates' | 'kpi_snapshots' | 'rollout_items'>(db: Executor, table: T, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += per) await db.insertInto(table).values(rows.slice(i, i + per) as never).execute();
}

// --- candidates ----------------------------------------------------------------------------------------------

export async function insertCandidates(db: Executor, rows: readonly CandidatesTable[]): Promise<void> {
  await insertChunked(db, 'candidates', rows);
}

export async function deleteCandidatesBySource(db: Executor, source: string): Promise<number> {
  const r = await db.deleteFrom('candidates').where('source', '=', source).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteCandidate(db: Executor, id: string): Promise<number> {
  const r = await db.deleteFrom('candidates').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listAllCandidates(db: Executor): Promise<CandidatesTable[]> {
  return db.selectFrom('candidates').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function listCandidates(
  db: Executor,
  f: { limit: number; offset: number; wardCode?: string | undefined; source?: string | undefined },
): Promise<{ rows: CandidatesTable[]; total: number }> {
  let q = db.selectFrom('candidates');
  if (f.wardCode !== undefined) q = q.where('ward_code', '=', f.wardCode);
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  const rows = await q.selectAll().orderBy('name').orderBy('id').limit(f.limit).offset(f.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

// --- plans ---------------------------------------------------------------------------------------------------

export async function insertPlan(db: Executor, row: PlansTable): Promise<void> {
  await db.insertInto('plans').values(row).execute();
}

export async function findPlan(db: Executor, id: string): Promise<PlansTable | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPlans(db: Executor, f: { limit: number; offset: number }): Promise<{ rows: PlansTable[]; total: number }> {
  const rows = await db.selectFrom('plans').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  const c = await db.selectFrom('plans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

// --- rollout -------------------------------------------------------------------------------------------------

export async function insertRolloutItems(db: Executor, rows: readonly RolloutItemsTable[]): Promise<void> {
  await insertChunked(db, 'rollout_items', rows);
}

export async function findRolloutItem(db: Executor, id: string): Promise<RolloutItemsTable | undefined> {
  return db.selectFrom('rollout_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateRolloutItem(db: Executor, id: string, patch: Partial<Omit<RolloutItemsTable, 'id'>>): Promise<void> {
  await db.updateTable('rollout_items').set(patch).where('id', '=', id).execute();
}

/** Updates an item only if it is still in `fromStatus`; returns rows changed (0: someone moved it meanwhile). */
export async function updateRolloutItemFrom(db: Executor, id: string, fromStatus: string, patch: Partial<Omit<RolloutItemsTable, 'id'>>): Promise<number> {
  const r = await db.updateTable('rollout_items').set(patch).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listAllRolloutItems(db: Executor, f: { wardCode?: string | undefined; status?: string | undefined; programme?: string | undefined } = {}): Promise<RolloutItemsTable[]> {
  let q = db.selectFrom('rollout_items').selectAll();
  if (f.wardCode !== undefined) q = q.where('ward_code', '=', f.wardCode);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.programme !== undefined) q = q.where('programme', '=', f.programme);
  return q.orderBy('ward_code').orderBy('name').orderBy('id').execute();
}

/** Candidate ids that already have a rollout item that was not dropped. */
export async function activeRolloutCandidateIds(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('rollout_items').select('candidate_id').where('candidate_id', 'is not', null).where('status', '!=', 'dropped').execute();
  return new Set(rows.map((r) => r.candidate_id!));
}

// --- KPI thresholds and snapshots ----------------------------------------------------------------------------

export async function listThresholds(db: Executor): Promise<KpiThresholdsTable[]> {
  return db.selectFrom('kpi_thresholds').selectAll().execute();
}

export async function upsertThresholds(db: Executor, rows: readonly KpiThresholdsTable[]): Promise<void> {
  for (const row of rows) {
    await db
      .insertInto('kpi_thresholds')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ green: row.green, red: row.red, updated_at: row.updated_at }))
      .execute();
  }
}

/** Replaces the snapshot of a day (taking it twice the same day keeps the later one). */
export async function replaceSnapshotDay(db: Executor, day: string, rows: readonly KpiSnapshotsTable[]): Promise<void> {
  await db.deleteFrom('kpi_snapshots').where('day', '=', day).execute();
  await insertChunked(db, 'kpi_snapshots', rows);
}

export async function snapshotHistory(
  db: Executor,
  f: { key: string; scope: string; scopeKey: string; fromDay?: string | undefined; toDay?: string | undefined },
): Promise<KpiSnapshotsTable[]> {
  let q = db.selectFrom('kpi_snapshots').selectAll().where('key', '=', f.key).where('scope', '=', f.scope).where('scope_key', '=', f.scopeKey);
  if (f.fromDay !== undefined) q = q.where('day', '>=', f.fromDay);
  if (f.toDay !== undefined) q = q.where('day', '<=', f.toDay);
  return q.orderBy('day').execute();
}

// --- inputs of the KPIs (other capabilities' tables, read only) ----------------------------------------------

export interface KpiSiteRow {
  id: string;
  name: string;
  ward_code: string | null;
  status: string;
  provider: string | null;
  contracted_mbps: number | null;
}

/** Sites for the KPIs; with `wardCodes` (callers bind at most 90: D1 allows 100 parameters) only those in these wards. */
export async function kpiSites(db: Executor, opts: { wardCodes?: readonly string[] } = {}): Promise<KpiSiteRow[]> {
  return db
    .selectFrom('sites')
    .select(['id', 'name', 'ward_code', 'status', 'provider', 'contracted_mbps'])
    .$if(opts.wardCodes !== undefined, (q) => q.where('ward_code', 'in', opts.wardCodes!.length === 0 ? [''] : [...opts.wardCodes!]))
    .execute();
}

/** Whether any site is not retired (the KPIs' "no sites" rule reads the whole city, whatever the caller's scope). */
export async function anyActiveSite(db: Executor): Promise<boolean> {
  return (await db.selectFrom('sites').select('id').where('status', '!=', 'retired').limit(1).executeTakeFirst()) !== undefined;
}

export async function wardNames(db: Executor): Promise<{ code: string; name: string; district: string }[]> {
  return db.selectFrom('wards').select(['code', 'name', 'district']).orderBy('code').execute();
}

/** Per device, the highest in+out rate in [fromMs, toMs), bit/s. */
export async function peakRates(db: Executor, fromMs: number, toMs: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('samples_raw')
    .select(['device_id', (eb) => eb.fn.max(eb(eb.fn.coalesce('in_bps', eb.lit(0)), '+', eb.fn.coalesce('out_bps', eb.lit(0)))).as('peak')])
    .where('t_ms', '>=', fromMs)
    .where('t_ms', '<', toMs)
    .where((eb) => eb.or([eb('in_bps', 'is not', null), eb('out_bps', 'is not', null)]))
    .groupBy('device_id')
    .execute();
  return new Map(rows.map((r) => [r.device_id, Number(r.peak)]));
}

export async function deviceExists(db: Executor, id: string): Promise<{ id: string; site_id: string | null } | undefined> {
  return db.selectFrom('devices').select(['id', 'site_id']).where('id', '=', id).executeTakeFirst();
}

// --- blank-spot reports --------------------------------------------------------------------------------------

export async function insertReport(db: Executor, row: BlankSpotReportsTable): Promise<void> {
  await db.insertInto('blank_spot_reports').values(row).execute();
}

export async function listReports(
  db: Executor,
  f: { limit: number; offset: number; wardCode?: string | undefined; triage?: string | undefined; within?: { level: 'provinsi' | 'kota' | 'kecamatan' | 'desa'; code: string } | undefined },
): Promise<{ rows: BlankSpotReportsTable[]; total: number }> {
  let q = db.selectFrom('blank_spot_reports');
  if (f.wardCode !== undefined) q = q.where('ward_code', '=', f.wardCode);
  // A region of any level (issue 17), as a subquery on the wards so no list of codes meets a bound-parameter limit.
  const w = f.within;
  if (w !== undefined) {
    if (w.level === 'desa') q = q.where('ward_code', '=', w.code);
    else if (w.level === 'kecamatan') q = q.where('ward_code', 'in', db.selectFrom('wards').select('code').where('district_code', '=', w.code));
    else if (w.level === 'kota') q = q.where('ward_code', 'in', db.selectFrom('wards').select('code').where('city_code', '=', w.code));
    else q = q.where('ward_code', 'in', db.selectFrom('wards').select('code').where('city_code', 'in', db.selectFrom('regions').select('code').where('parent_code', '=', w.code)));
  }
  if (f.triage !== undefined) q = q.where('triage', '=', f.triage);
  const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}

export async function reportLocations(db: Executor): Promise<{ lat: number; lon: number; ward_code: string | null }[]> {
  return db.selectFrom('blank_spot_reports').select(['lat', 'lon', 'ward_code']).execute();
}

export async function findReport(db: Executor, id: string): Promise<BlankSpotReportsTable | undefined> {
  return db.selectFrom('blank_spot_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setReportTriage(db: Executor, id: string, set: { triage: string; triage_note: string | null; triage_by: string; triage_at: string }): Promise<void> {
  await db.updateTable('blank_spot_reports').set(set).where('id', '=', id).execute();
}

/** Citizens' reports counted per ward and triage state (issue 17: reports per region). */
export async function reportCountsByWard(db: Executor): Promise<{ ward_code: string | null; triage: string | null; n: number }[]> {
  const rows = await db
    .selectFrom('blank_spot_reports')
    .select((eb) => ['ward_code', 'triage', eb.fn.countAll<number>().as('n')])
    .groupBy(['ward_code', 'triage'])
    .execute();
  return rows.map((r) => ({ ward_code: r.ward_code, triage: r.triage ?? null, n: Number(r.n) }));
}
