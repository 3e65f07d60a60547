/** SQL of issue 15: open-data snapshots, wall-widget tokens, the figures /metrics reads. */
import { sql } from 'kysely';
import { portalDb } from '../portal/queries/types.ts';
import type { Executor, OpenDataSnapshotsTable, WidgetTokensTable } from './types.ts';

export async function upsertOpenDataSnapshot(db: Executor, row: OpenDataSnapshotsTable): Promise<void> {
  await db
    .insertInto('open_data_snapshots')
    .values(row)
    .onConflict((oc) => oc.columns(['dataset', 'day']).doUpdateSet({ taken_at: row.taken_at, rows: row.rows, body: row.body }))
    .execute();
}

export async function openDataSnapshotsBetween(db: Executor, dataset: string, fromDay: string, toDay: string): Promise<OpenDataSnapshotsTable[]> {
  return db.selectFrom('open_data_snapshots').selectAll().where('dataset', '=', dataset).where('day', '>=', fromDay).where('day', '<=', toDay).orderBy('day').execute();
}

export async function openDataSnapshotMonths(db: Executor): Promise<{ dataset: string; month: string; days: number }[]> {
  const rows = await db.selectFrom('open_data_snapshots').select(['dataset', 'day']).execute();
  const out = new Map<string, { dataset: string; month: string; days: number }>();
  for (const r of rows) {
    const k = `${r.dataset}|${r.day.slice(0, 7)}`;
    const e = out.get(k) ?? { dataset: r.dataset, month: r.day.slice(0, 7), days: 0 };
    e.days++;
    out.set(k, e);
  }
  return [...out.values()].sort((a, b) => a.dataset.localeCompare(b.dataset) || a.month.localeCompare(b.month));
}

export async function insertWidgetToken(db: Executor, row: WidgetTokensTable): Promise<void> {
  await db.insertInto('widget_tokens').values(row).execute();
}

export async function findWidgetTokenByHash(db: Executor, hash: string): Promise<WidgetTokensTable | undefined> {
  return db.selectFrom('widget_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export async function touchWidgetToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('widget_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function listWidgetTokens(db: Executor): Promise<WidgetTokensTable[]> {
  return db.selectFrom('widget_tokens').selectAll().orderBy('created_at', 'desc').execute();
}

export async function revokeWidgetToken(db: Executor, id: string, at: string): Promise<number> {
  const r = await db.updateTable('widget_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Enabled devices by current state (never polled: unknown) and the disabled ones. */
export async function deviceStateCounts(db: Executor): Promise<{ state: string; role: string; n: number }[]> {
  const rows = await db
    .selectFrom('devices as d')
    .leftJoin('device_status as st', 'st.device_id', 'd.id')
    .select([sql<string>`case when d.enabled = 0 then 'disabled' when coalesce(d.monitor, 1) = 0 or (d.snmp_port is null and d.routeros_port is null and st.status is null) then 'unmonitored' else coalesce(st.status, 'unknown') end`.as('state'), 'd.role', sql<number>`count(*)`.as('n')])
    .groupBy([sql`case when d.enabled = 0 then 'disabled' when coalesce(d.monitor, 1) = 0 or (d.snmp_port is null and d.routeros_port is null and st.status is null) then 'unmonitored' else coalesce(st.status, 'unknown') end`, 'd.role'])
    .execute();
  return rows.map((r) => ({ state: r.state, role: r.role, n: Number(r.n) }));
}

/** Polls since `fromMs`, by result and error kind. */
export async function pollCountsSince(db: Executor, fromMs: number): Promise<{ ok: number; error_kind: string | null; n: number }[]> {
  const rows = await db
    .selectFrom('polls')
    .select(['ok', 'error_kind', sql<number>`count(*)`.as('n')])
    .where('at_ms', '>=', fromMs)
    .groupBy(['ok', 'error_kind'])
    .execute();
  return rows.map((r) => ({ ok: Number(r.ok), error_kind: r.error_kind, n: Number(r.n) }));
}

export async function collectorsSeen(db: Executor): Promise<{ id: string; last_seen_ms: number }[]> {
  const rows = await db.selectFrom('collectors').select(['id', 'last_seen_ms']).execute();
  return rows.map((r) => ({ id: r.id, last_seen_ms: Number(r.last_seen_ms) }));
}

/** The newest poll stored (any device): how far behind the database is. */
export async function newestPollMs(db: Executor): Promise<number | null> {
  const r = await db.selectFrom('device_status').select(sql<number | null>`max(last_poll_ms)`.as('m')).executeTakeFirst();
  return r?.m === null || r?.m === undefined ? null : Number(r.m);
}

export async function openIncidentCount(db: Executor): Promise<number> {
  const r = await db.selectFrom('incidents').select(sql<number>`count(*)`.as('n')).where('ended_ms', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Citizens' portal sign-ins (grants) of a city day, by method. Counts only: no citizen, no device. */
export async function portalSignInsOfDay(db: Executor, day: string): Promise<{ method: string; n: number }[]> {
  const rows = await portalDb(db).selectFrom('portal_grants').select(['method', sql<number>`count(*)`.as('n')]).where('day', '=', day).groupBy('method').execute();
  return rows.map((r) => ({ method: r.method, n: Number(r.n) }));
}

/** Sites (not retired) with each enabled device's state, SSIDs and last answer, and the ward's names. No addresses. */
export async function publicSiteRows(db: Executor): Promise<Array<{
  id: string; name: string; lat: number; lon: number; ward_code: string | null; ward_name: string | null; district: string | null; site_status: string;
  device_id: string | null; enabled: number | null; device_status: string | null; since_ms: number | null; last_ok_ms: number | null; ssids: string | null;
}>> {
  return db
    .selectFrom('sites as s')
    .leftJoin('wards as w', 'w.code', 's.ward_code')
    .leftJoin('devices as d', 'd.site_id', 's.id')
    .leftJoin('device_status as st', 'st.device_id', 'd.id')
    .select(['s.id', 's.name', 's.lat', 's.lon', 's.ward_code', 'w.name as ward_name', 'w.district', 's.status as site_status',
      'd.id as device_id', 'd.enabled', 'st.status as device_status', 'st.since_ms', 'st.last_ok_ms', 'st.ssids'])
    .where('s.status', '!=', 'retired')
    .orderBy('s.name')
    .execute();
}

/** Every KPI snapshot row of the days between, for the monthly open-data file and the report. */
export async function kpiSnapshotsBetween(db: Executor, fromDay: string, toDay: string): Promise<import('./types.ts').KpiSnapshotsTable[]> {
  return db.selectFrom('kpi_snapshots').selectAll().where('day', '>=', fromDay).where('day', '<=', toDay).orderBy('day').orderBy('scope').orderBy('scope_key').orderBy('key').execute();
}

export async function kpiSnapshotMonths(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('kpi_snapshots').select('day').distinct().execute();
  return [...new Set(rows.map((r) => r.day.slice(0, 7)))].sort();
}

export async function reportsCreatedBetween(db: Executor, fromIso: string, toIso: string): Promise<{ ward_code: string | null; triage: string | null }[]> {
  const rows = await db.selectFrom('blank_spot_reports').select(['ward_code', 'triage']).where('created_at', '>=', fromIso).where('created_at', '<', toIso).execute();
  return rows.map((r) => ({ ward_code: r.ward_code, triage: r.triage ?? null }));
}

export async function wardShapes(db: Executor): Promise<{ code: string; name: string; district: string; geometry: string }[]> {
  return db.selectFrom('wards').select(['code', 'name', 'district', 'geometry']).orderBy('code').execute();
}

export async function listKpiProgramme(db: Executor): Promise<import('./types.ts').KpiProgrammeTable[]> {
  return db.selectFrom('kpi_programme').selectAll().execute();
}

export async function kpiNotesOfMonth(db: Executor, month: string): Promise<import('./types.ts').KpiNotesTable[]> {
  return db.selectFrom('kpi_notes').selectAll().where('month', '=', month).orderBy('key').execute();
}

export async function findMonthlyReport(db: Executor, month: string): Promise<import('./types.ts').MonthlyReportsTable | undefined> {
  return db.selectFrom('monthly_reports').selectAll().where('month', '=', month).executeTakeFirst();
}

export async function upsertMonthlyReport(db: Executor, row: import('./types.ts').MonthlyReportsTable): Promise<void> {
  await db.insertInto('monthly_reports').values(row).onConflict((oc) => oc.column('month').doUpdateSet({ generated_at: row.generated_at, bytes: row.bytes, pdf_base64: row.pdf_base64 })).execute();
}

/** Maintenance windows of a site or its devices that have not ended, soonest first. */
export async function maintenanceOfSite(db: Executor, siteId: string, nowMs: number): Promise<{ starts_ms: number; ends_ms: number }[]> {
  const devices = (await db.selectFrom('devices').select('id').where('site_id', '=', siteId).execute()).map((d) => d.id);
  let q = db.selectFrom('maintenance_windows').select(['starts_ms', 'ends_ms']).where('ends_ms', '>', nowMs);
  q = devices.length === 0 ? q.where('site_id', '=', siteId) : q.where((eb) => eb.or([eb('site_id', '=', siteId), eb('device_id', 'in', devices)]));
  return q.orderBy('starts_ms').execute();
}

export async function upsertProgrammeRow(db: Executor, row: import('./types.ts').KpiProgrammeTable): Promise<void> {
  const { key, ...rest } = row;
  await db.insertInto('kpi_programme').values(row).onConflict((oc) => oc.column('key').doUpdateSet(rest)).execute();
}

export async function insertProgrammeChange(db: Executor, row: import('./types.ts').KpiProgrammeChangesTable): Promise<void> {
  await db.insertInto('kpi_programme_changes').values(row).execute();
}

export async function listProgrammeChanges(db: Executor, key: string): Promise<import('./types.ts').KpiProgrammeChangesTable[]> {
  return db.selectFrom('kpi_programme_changes').selectAll().where('key', '=', key).orderBy('at', 'desc').orderBy('id').execute();
}

export async function upsertKpiNote(db: Executor, row: import('./types.ts').KpiNotesTable): Promise<void> {
  await db.insertInto('kpi_notes').values(row).onConflict((oc) => oc.columns(['key', 'month']).doUpdateSet({ note: row.note, by_label: row.by_label, updated_at: row.updated_at })).execute();
}

/**
 * Per KPI, the daily values of the window: the city's row where one is kept, else the mean over the day's rows of
 * other scopes that have a value (null when none has).
 */
export async function kpiSnapshotSeries(db: Executor, fromDay: string, toDay: string): Promise<Map<string, Array<{ day: string; value: number | null }>>> {
  const rows = await db.selectFrom('kpi_snapshots').select(['day', 'scope', 'key', 'value']).where('day', '>=', fromDay).where('day', '<=', toDay).orderBy('day').execute();
  const byKeyDay = new Map<string, Map<string, { city: number | null | undefined; sum: number; n: number }>>();
  for (const r of rows) {
    const days = byKeyDay.get(r.key) ?? new Map();
    byKeyDay.set(r.key, days);
    const e = days.get(r.day) ?? { city: undefined, sum: 0, n: 0 };
    days.set(r.day, e);
    const v = r.value === null ? null : Number(r.value);
    if (r.scope === 'city') e.city = v;
    else if (v !== null) {
      e.sum += v;
      e.n++;
    }
  }
  const out = new Map<string, Array<{ day: string; value: number | null }>>();
  for (const [key, days] of byKeyDay) {
    out.set(key, [...days.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([day, e]) => ({ day, value: e.city !== undefined ? e.city : e.n === 0 ? null : Math.round((e.sum / e.n) * 100) / 100 })));
  }
  return out;
}

/** Every enabled device's state with its site and ward, for the live stream's diff. */
export async function liveDeviceStates(db: Executor): Promise<Array<{ id: string; name: string; role: string; site_id: string | null; site_name: string | null; ward_code: string | null; status: string | null; since_ms: number | null }>> {
  return db
    .selectFrom('devices as d')
    .leftJoin('sites as s', 's.id', 'd.site_id')
    .leftJoin('device_status as st', 'st.device_id', 'd.id')
    .select(['d.id', 'd.name', 'd.role', 'd.site_id', 's.name as site_name', 's.ward_code', 'st.status', 'st.since_ms'])
    .where('d.enabled', '=', 1)
    .execute();
}

/** Incidents open now, or ended or acknowledged since `sinceMs`. */
export async function liveIncidents(db: Executor, sinceMs: number): Promise<import('./types.ts').IncidentsTable[]> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where((eb) => eb.or([eb('ended_ms', 'is', null), eb('ended_ms', '>=', sinceMs), eb('ack_at_ms', '>=', sinceMs)]))
    .execute();
}
