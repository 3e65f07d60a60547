/**
 * The open datasets (Satu Data): hotspots with status, coverage per ward, monthly KPIs, availability per hotspot per
 * day. Counts, places and figures only: no person, no phone number, no device address, nothing a citizen did.
 * Today's hotspots and coverage are also kept as a daily snapshot (open_data_snapshots), so a past month can be
 * downloaded later; the monthly KPIs come from the daily KPI snapshots and availability from the status history.
 */
import { toCsv, type CsvCell } from '../../../core/csv.ts';
import { AppError } from '../../../core/errors.ts';
import { isoAt } from '../../../core/time.ts';
import { kpiSnapshotsBetween, openDataSnapshotsBetween, upsertOpenDataSnapshot } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine } from '../coverage/coverage-engine-cache.ts';
import { cityDay } from '../kpis/city-day.ts';
import { dailyAvailability } from '../public/daily-availability.ts';
import { publicHotspots } from '../public/public-hotspots.ts';

export type Row = Record<string, CsvCell>;

export const SNAPSHOT_DATASETS = ['hotspots', 'coverage-wards'] as const;
export type SnapshotDataset = (typeof SNAPSHOT_DATASETS)[number];

export const HOTSPOT_COLUMNS = ['id', 'name', 'lat', 'lon', 'wardCode', 'wardName', 'kecamatan', 'state', 'ssids', 'lastSeen'] as const;
export const COVERAGE_COLUMNS = ['wardCode', 'wardName', 'kecamatan', 'layer', 'areaKm2', 'coveredPct', 'residents', 'residentsCovered', 'residentsCoveredPct', 'status', 'noDataReason', 'accessPoints', 'accessPointsUnverified', 'accessPointsDown'] as const;
export const KPI_MONTH_COLUMNS = ['month', 'scope', 'scopeKey', 'key', 'daysWithData', 'mean', 'min', 'max', 'last', 'lastStatus', 'noDataDays'] as const;
export const AVAILABILITY_COLUMNS = ['day', 'siteId', 'siteName', 'wardCode', 'availabilityPct', 'observedH', 'status'] as const;

export async function hotspotRows(ctx: ServiceCtx): Promise<Row[]> {
  return (await publicHotspots(ctx)).map((h) => ({
    id: h.id, name: h.name, lat: h.lat, lon: h.lon, wardCode: h.wardCode, wardName: h.wardName, kecamatan: h.kecamatan, state: h.state, ssids: h.ssids.join(';'), lastSeen: h.lastSeen,
  }));
}

/** Coverage per ward on the default layer (assumed). A figure nobody measured is empty with its reason, never 0. */
export async function coverageRows(ctx: ServiceCtx): Promise<Row[]> {
  const engine = await currentCoverageEngine(ctx);
  const f = engine.wardFigures('assumed');
  const none = f.devices.total === 0 ? 'no-devices' : null;
  return f.items.map((w) => {
    const reason = none ?? (w.residents === null ? 'residents-unknown' : null);
    return {
      wardCode: w.code, wardName: w.name, kecamatan: w.district, layer: f.layer, areaKm2: Math.round(w.areaM2 / 1e4) / 100,
      coveredPct: none === null ? w.coveredPct : null,
      residents: w.residents, residentsCovered: reason === null ? w.residentsCovered : null, residentsCoveredPct: reason === null ? w.residentsCoveredPct : null,
      status: reason === null ? 'measured' : 'no-data', noDataReason: reason,
      accessPoints: w.accessPoints, accessPointsUnverified: w.unverifiedAccessPoints, accessPointsDown: w.downAccessPoints,
    };
  });
}

async function rowsOf(ctx: ServiceCtx, dataset: SnapshotDataset): Promise<Row[]> {
  return dataset === 'hotspots' ? hotspotRows(ctx) : coverageRows(ctx);
}

/** Today's snapshot of each snapshot dataset (taking it again the same day replaces it). */
export async function snapshotOpenData(ctx: ServiceCtx): Promise<{ day: string; datasets: { dataset: string; rows: number }[] }> {
  const now = ctx.clock.nowMs();
  const day = cityDay(now);
  const out: { dataset: string; rows: number }[] = [];
  for (const dataset of SNAPSHOT_DATASETS) {
    const rows = await rowsOf(ctx, dataset);
    await upsertOpenDataSnapshot(ctx.db, { day, dataset, taken_at: isoAt(now), rows: rows.length, body: JSON.stringify(rows) });
    out.push({ dataset, rows: rows.length });
  }
  return { day, datasets: out };
}

export function monthBounds(month: string): { fromDay: string; toDay: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { fromDay: `${month}-01`, toDay: `${month}-${String(last).padStart(2, '0')}` };
}

/** Rows of a month from the daily snapshots, each with its day first. 404 when no day of that month was kept. */
export async function snapshotMonthRows(ctx: ServiceCtx, dataset: SnapshotDataset, month: string): Promise<Row[]> {
  const { fromDay, toDay } = monthBounds(month);
  const snaps = await openDataSnapshotsBetween(ctx.db, dataset, fromDay, toDay);
  if (snaps.length === 0) throw new AppError('not_found', `no daily snapshot of ${dataset} was kept in ${month}`);
  return snaps.flatMap((s) => (JSON.parse(s.body) as Row[]).map((r) => ({ day: s.day, ...r })));
}

export async function hotspotsCsv(ctx: ServiceCtx, month?: string): Promise<string> {
  if (month === undefined) return toCsv(await hotspotRows(ctx), { columns: HOTSPOT_COLUMNS });
  return toCsv(await snapshotMonthRows(ctx, 'hotspots', month), { columns: ['day', ...HOTSPOT_COLUMNS] });
}

export async function coverageCsv(ctx: ServiceCtx, month?: string): Promise<string> {
  if (month === undefined) return toCsv(await coverageRows(ctx), { columns: COVERAGE_COLUMNS });
  return toCsv(await snapshotMonthRows(ctx, 'coverage-wards', month), { columns: ['day', ...COVERAGE_COLUMNS] });
}

export async function hotspotsGeoJson(ctx: ServiceCtx, asOf: string): Promise<{ type: 'FeatureCollection'; features: unknown[]; [k: string]: unknown }> {
  const rows = await publicHotspots(ctx);
  return {
    type: 'FeatureCollection',
    name: 'jangkau-hotspots',
    asOf,
    features: rows.map((h) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
      properties: { id: h.id, name: h.name, wardCode: h.wardCode, wardName: h.wardName, kecamatan: h.kecamatan, state: h.state, ssids: h.ssids, lastSeen: h.lastSeen },
    })),
  };
}

/** Monthly KPIs from the daily snapshots: per scope and KPI, days with data, mean, min, max and the last value. */
export async function kpiMonthRows(ctx: ServiceCtx, month: string): Promise<Row[]> {
  const { fromDay, toDay } = monthBounds(month);
  const rows = await kpiSnapshotsBetween(ctx.db, fromDay, toDay);
  const groups = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.scope}|${r.scope_key}|${r.key}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()].map(([k, list]) => {
    const [scope, scopeKey, key] = k.split('|') as [string, string, string];
    const values = list.map((r) => (r.value === null ? null : Number(r.value))).filter((v): v is number => v !== null);
    const last = list[list.length - 1]!;
    const round = (x: number): number => Math.round(x * 100) / 100;
    return {
      month, scope, scopeKey, key, daysWithData: values.length,
      mean: values.length === 0 ? null : round(values.reduce((a, b) => a + b, 0) / values.length),
      min: values.length === 0 ? null : Math.min(...values), max: values.length === 0 ? null : Math.max(...values),
      last: last.value === null ? null : Number(last.value), lastStatus: last.status, noDataDays: list.length - values.length,
    };
  });
}

export async function kpiMonthCsv(ctx: ServiceCtx, month: string): Promise<string> {
  return toCsv(await kpiMonthRows(ctx, month), { columns: KPI_MONTH_COLUMNS });
}

export async function availabilityMonthCsv(ctx: ServiceCtx, month: string): Promise<string> {
  const { fromDay, toDay } = monthBounds(month);
  const days = await dailyAvailability(ctx, { fromDay, toDay });
  const sites = new Map((await publicHotspots(ctx)).map((h) => [h.id, h]));
  const rows = days
    .filter((d) => sites.has(d.siteId))
    .map((d) => ({
      day: d.day, siteId: d.siteId, siteName: sites.get(d.siteId)!.name, wardCode: sites.get(d.siteId)!.wardCode,
      availabilityPct: d.availabilityPct, observedH: d.observedH, status: d.availabilityPct === null ? 'no-data' : 'measured',
    }));
  return toCsv(rows, { columns: AVAILABILITY_COLUMNS });
}
