/**
 * What the mayor's monthly report says, as plain data (the PDF renderer only draws it). KPIs are computed as of the
 * month's end (or now, for the month under way) with the same code as the console; counts of incidents and
 * citizens' reports are those of the month. A KPI without data stays `no-data` with its reason all the way to paper.
 */
import { AppError } from '../../../core/errors.ts';
import type { KpiStatus } from '../../../core/traffic-light.ts';
import { incidentRows } from '../../db/incidents.ts';
import { kpiNotesOfMonth, listKpiProgramme, reportsCreatedBetween, wardShapes } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';
import { CITY_UTC_OFFSET_MS, cityDay } from '../kpis/city-day.ts';
import { loadKpiInputs, programmeKpisFrom, providerKpisFrom, wardKpisFrom, type KpiValue, type ProgrammeKpisOut, type ProviderKpisOut, type WardKpisOut } from '../kpis/ward-kpis.ts';
import { groupAvailability } from '../../../core/availability.ts';
import { districtRowsFrom, type DistrictRow } from '../kpis/district-kpis.ts';
import { kpiStatus } from '../../../core/traffic-light.ts';

export interface CityKpi {
  key: string;
  value: number | null;
  unit: string;
  target: number | null;
  status: KpiStatus;
  reason?: string;
}

export type { DistrictRow };

export interface MonthlyReportModel {
  month: string;
  cityName: string;
  asOf: string;
  generatedAt: string;
  monthUnderWay: boolean;
  city: CityKpi[];
  districts: DistrictRow[];
  wards: WardKpisOut[];
  wardShapes: Array<{ code: string; name: string; geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon; status: KpiStatus; coveredPct: number | null }>;
  providers: ProviderKpisOut[];
  programmes: ProgrammeKpisOut[];
  incidents: { total: number; restored: number; open: number; meanRestoreH: number | null; longest: Array<{ device: string; site: string | null; startedAt: string; hours: number; open: boolean }> };
  reports: { total: number; byTriage: Record<string, number>; byDistrict: Array<{ kecamatan: string; n: number }> };
  notes: Array<{ key: string; note: string; by: string; department: string | null; pic: string | null }>;
  owners: Array<{ key: string; department: string | null; pic: string | null; contact: string | null }>;
}

const DAY_MS = 86_400_000;

export function monthRangeMs(month: string): { fromMs: number; toMs: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const fromMs = Date.UTC(y, m - 1, 1) - CITY_UTC_OFFSET_MS;
  const toMs = Date.UTC(y, m, 1) - CITY_UTC_OFFSET_MS;
  return { fromMs, toMs };
}

export async function buildMonthlyReport(ctx: ServiceCtx, month: string): Promise<MonthlyReportModel> {
  const nowMs = ctx.clock.nowMs();
  const { fromMs, toMs } = monthRangeMs(month);
  if (fromMs > nowMs) throw new AppError('validation_failed', `${month} has not begun yet (today is ${cityDay(nowMs)} in the city)`, { reason: 'report.future-month', params: { month } });
  const asOfMs = Math.min(nowMs, toMs - 1);
  // The KPI code asks the clock for "now": for a past month it stands at the month's last instant.
  const at: ServiceCtx = { ...ctx, clock: { nowMs: () => asOfMs } };
  const inputs = await loadKpiInputs(at);
  const wards = wardKpisFrom(inputs);
  const byCode = new Map(wards.map((w) => [w.wardCode, w]));

  const anySite = inputs.sites.some((s) => s.status !== 'retired');
  const live = anySite ? inputs.sites.filter((s) => s.status === 'live').length : null;
  const devices = inputs.coverage.devices;
  const measured = devices.total > 0 && devices.unverified < devices.total;
  const cityFig = inputs.figures.city;
  const covered = measured && cityFig.residents > 0 ? Math.round((10_000 * cityFig.residentsCovered) / cityFig.residents) / 100 : null;
  const avail = groupAvailability(inputs.devices.map((d) => d.availability)).percent;
  const th = (k: string): { green: number; red: number } => inputs.thresholds.get(k)!;
  const cityTarget = 10 * inputs.wards.length;
  const city: CityKpi[] = [
    { key: 'livePoints', value: live, unit: 'points', target: cityTarget, status: kpiStatus(live, 'higher', { green: cityTarget, red: cityTarget / 2 }), ...(live === null ? { reason: 'no-sites' } : {}) },
    { key: 'residentsCoveredPct', value: covered, unit: '%', target: 80, status: kpiStatus(covered, 'higher', th('residentsCoveredPct')), ...(covered === null ? { reason: devices.total === 0 ? 'no-devices' : measured ? 'residents-unknown' : 'never-polled' } : {}) },
    { key: 'availabilityPct', value: avail === null ? null : Math.round(avail * 100) / 100, unit: '%', target: 98, status: kpiStatus(avail, 'higher', th('availabilityPct')), ...(avail === null ? { reason: devices.total === 0 ? 'no-devices' : 'never-polled' } : {}) },
  ];

  const districts = districtRowsFrom(inputs);

  const shapes = (await wardShapes(ctx.db)).map((w) => {
    const k = byCode.get(w.code)?.kpis.find((x) => x.key === 'residentsCoveredPct');
    return { code: w.code, name: w.name, geometry: JSON.parse(w.geometry) as GeoJSON.Polygon | GeoJSON.MultiPolygon, status: (k?.status ?? 'no-data') as KpiStatus, coveredPct: k?.value ?? null };
  });

  const inc = await incidentRows(ctx.db, { fromMs, toMs: Math.min(toMs, nowMs + 1), limit: 10_000, offset: 0 });
  const started = inc.rows.filter((i) => Number(i.started_ms) >= fromMs && Number(i.started_ms) < toMs);
  const restored = started.filter((i) => i.ended_ms !== null && Number(i.ended_ms) <= asOfMs);
  const durations = (list: typeof started): number[] => list.map((i) => ((i.ended_ms === null || Number(i.ended_ms) > asOfMs ? asOfMs : Number(i.ended_ms)) - Number(i.started_ms)) / 3_600_000);
  const restoreH = durations(restored);
  const longest = [...started]
    .map((i, n) => ({ i, h: durations([i])[0]! , n }))
    .sort((a, b) => b.h - a.h || a.n - b.n)
    .slice(0, 10)
    .map(({ i, h }) => ({ device: i.device_name ?? i.device_id, site: i.site_name, startedAt: new Date(Number(i.started_ms)).toISOString(), hours: Math.round(h * 10) / 10, open: i.ended_ms === null || Number(i.ended_ms) > asOfMs }));

  const reportRows = await reportsCreatedBetween(ctx.db, new Date(fromMs).toISOString(), new Date(toMs).toISOString());
  const byTriage: Record<string, number> = {};
  for (const r of reportRows) byTriage[r.triage ?? 'new'] = (byTriage[r.triage ?? 'new'] ?? 0) + 1;
  const districtOf = new Map(inputs.wards.map((w) => [w.code, w.district]));
  const byDistrictMap = new Map<string, number>();
  for (const r of reportRows) {
    const d = r.ward_code === null ? '-' : districtOf.get(r.ward_code) ?? '-';
    byDistrictMap.set(d, (byDistrictMap.get(d) ?? 0) + 1);
  }

  const programme = await listKpiProgramme(ctx.db);
  const owner = new Map(programme.map((p) => [p.key, p]));
  const notes = (await kpiNotesOfMonth(ctx.db, month)).map((n) => ({ key: n.key, note: n.note, by: n.by_label, department: owner.get(n.key)?.department ?? null, pic: owner.get(n.key)?.pic_name ?? null }));

  return {
    month,
    cityName: ctx.config.cityName ?? 'Kota Cilegon',
    asOf: new Date(asOfMs).toISOString(),
    generatedAt: new Date(nowMs).toISOString(),
    monthUnderWay: toMs > nowMs,
    city,
    districts,
    wards,
    wardShapes: shapes,
    providers: providerKpisFrom(inputs),
    programmes: programmeKpisFrom(inputs),
    incidents: {
      total: started.length, restored: restored.length, open: started.length - restored.length,
      meanRestoreH: restoreH.length === 0 ? null : Math.round((restoreH.reduce((a, b) => a + b, 0) / restoreH.length) * 100) / 100,
      longest,
    },
    reports: { total: reportRows.length, byTriage, byDistrict: [...byDistrictMap.entries()].map(([kecamatan, n]) => ({ kecamatan, n })).sort((a, b) => b.n - a.n || a.kecamatan.localeCompare(b.kecamatan)) },
    notes,
    owners: programme.map((p) => ({ key: p.key, department: p.department, pic: p.pic_name, contact: p.pic_contact })),
  };
}

export type { KpiValue };
export const REPORT_DAY_MS = DAY_MS;
