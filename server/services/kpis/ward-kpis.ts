/**
 * Programme KPIs with traffic lights, per ward, per provider and per programme.
 *
 * Ward KPIs (period: the last 7 days unless said):
 * - livePoints: sites in status `live` in the ward (target 10).
 * - residentsCoveredPct: residents covered by the live layer (devices up now), % of the ward's residents.
 * - availabilityPct: availability of the ward's devices over 7 days (core/availability.ts), SLA 98 %.
 * - contractedMbps: the lowest contracted bandwidth among the ward's live sites that state one (each point should
 *   have >= 50 Mbps, so the weakest counts).
 * - measuredMbps: per device, the peak of rx + tx over the last 24 h from the raw samples; the mean over the ward's
 *   devices that reported rates.
 * - timeToRestoreH: mean time to restore of incidents restored in the 7 days; with none restored but some open, the
 *   age of the oldest open one (it is at least that); with no incident and devices reporting, 0.
 * - citizenDownMbps, citizenLatencyMs (issue 14): the median of the speed tests citizens ran from the portal's success
 *   page at the ward's hotspots in the 7 days; no test: no data (`no-speed-tests`), never 0.
 * A KPI without data has value null, status `no-data` and a `reason` (a code from core/traffic-light.ts) with a
 * `note` in words; it is never red. Ward KPIs on coverage name their layer (`coverage.layer`: live) and how many
 * access points were never polled. Availability says the window actually observed (`observedSince`).
 */
import { deviceAvailability, groupAvailability, timeToRestore, type DeviceAvailability, type DeviceStatus, type StatusTransition } from '../../../core/availability.ts';
import { toCsv } from '../../../core/csv.ts';
import { COVERAGE_LAYER_DEFINITIONS } from '../../../core/coverage-layers.ts';
import { KPI_DEFINITIONS, KPI_NO_DATA_REASONS, kpiStatus, type KpiDefinition, type KpiNoDataReason, type KpiStatus, type KpiThreshold } from '../../../core/traffic-light.ts';
import type { LayerDevices, WardCoverageFigures, WardFiguresResult } from '../../../geo/coverage/index.ts';
import { fleetRows, incidentsOfDevices, transitionsOf } from '../../db/monitoring.ts';
import { anyActiveSite, kpiSites, listAllRolloutItems, peakRates, wardNames, type KpiSiteRow } from '../../db/planning.ts';
import type { IncidentsTable, RolloutItemsTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine } from '../coverage/coverage-engine-cache.ts';
import { cityDay } from './city-day.ts';
import { loadThresholds } from './thresholds.ts';
import { listKpiProgramme } from '../../db/satu-data.ts';
import { speedTestsBetween } from '../../portal/queries/speed.ts';
import { median } from '../../../core/stats.ts';

async function speedTestsByWard(db: ServiceCtx['db'], fromMs: number, toMs: number): Promise<Map<string, { down: number[]; latency: number[] }>> {
  const out = new Map<string, { down: number[]; latency: number[] }>();
  for (const r of await speedTestsBetween(db, fromMs, toMs)) {
    if (r.ward_code === null) continue;
    const g = out.get(r.ward_code) ?? { down: [], latency: [] };
    g.down.push(Number(r.down_mbps));
    g.latency.push(Number(r.latency_ms));
    out.set(r.ward_code, g);
  }
  return out;
}

async function programmeTargetMap(ctx: ServiceCtx): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for (const r of await listKpiProgramme(ctx.db)) if (r.target !== null) out.set(r.key, Number(r.target));
  return out;
}

const DAY_MS = 86_400_000;
export const KPI_PERIOD_MS = 7 * DAY_MS;
const MEASURED_PERIOD_MS = DAY_MS;

export interface KpiValue {
  key: string;
  label: string;
  value: number | null;
  target: number | null;
  unit: string;
  status: KpiStatus;
  /** Why there is no value (status no-data): a code the console translates; `note` says it in words. */
  reason?: KpiNoDataReason;
  note?: string;
  /** Availability KPIs: the first instant observed in the period (ISO), when later than the period's start. */
  observedSince?: string;
}

export interface KpiCoverageInfo {
  layer: 'live';
  layerDefinition: string;
  devices: LayerDevices;
}

export interface KpiInputs {
  nowMs: number;
  wards: { code: string; name: string; district: string }[];
  sites: KpiSiteRow[];
  devices: Array<{ id: string; wardCode: string | null; provider: string | null; availability: DeviceAvailability; peakBps: number | null }>;
  incidents: IncidentsTable[];
  figures: WardFiguresResult;
  rollout: RolloutItemsTable[];
  coverage: KpiCoverageInfo;
  thresholds: Map<string, KpiThreshold>;
  /** Issue 15: targets the programme set over the defaults (kpi_programme). */
  targets?: Map<string, number | null>;
  /** Issue 14: citizens' speed tests of the period, per ward (down Mbps and latency ms of each test). */
  speedTests?: Map<string, { down: number[]; latency: number[] }>;
  /** Whether any site anywhere is not retired (the "no sites" rule), kept when `sites` holds only a scope's. */
  anyActiveSite?: boolean;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Ward codes bound in one statement at most: D1's limit is 100 bound parameters, and the query binds a few more. */
export const MAX_WARDS_IN_QUERY = 90;

/**
 * The inputs of the KPIs. With `wardCodes`, only what lies in those wards is loaded and computed (devices, their
 * transitions, availability and incidents, sites, speed tests, coverage figures): a caller limited to one
 * kabupaten/kota pays for its wards, not the province's. `wards` and the city-wide facts the no-data rules read
 * (whether any site exists, how many access points were ever polled) stay whole, so KPIs of the wards in scope are
 * the same as from an unrestricted load.
 */
export async function loadKpiInputs(ctx: ServiceCtx, opts: { wardCodes?: ReadonlySet<string> | null } = {}): Promise<KpiInputs> {
  const only = opts.wardCodes ?? null;
  const inScope = (code: string | null): boolean => only === null || (code !== null && only.has(code));
  const nowMs = ctx.clock.nowMs();
  const period = { fromMs: nowMs - KPI_PERIOD_MS, toMs: nowMs };
  // A scope of up to 90 wards is filtered in the query (D1 binds at most 100 parameters a statement); a larger one
  // after it.
  const inQuery = only !== null && only.size <= MAX_WARDS_IN_QUERY ? { wardCodes: [...only] } : {};
  const fleet = (await fleetRows(ctx.db, inQuery)).filter((d) => inScope(d.ward_code));
  const ids = fleet.map((d) => d.id);
  const byDevice = new Map<string, StatusTransition[]>();
  for (const t of await transitionsOf(ctx.db, ids, nowMs)) {
    const list = byDevice.get(t.device_id) ?? [];
    list.push({ atMs: Number(t.at_ms), status: t.status as DeviceStatus });
    byDevice.set(t.device_id, list);
  }
  const peaks = await peakRates(ctx.db, nowMs - MEASURED_PERIOD_MS, nowMs);
  const incidents = (await incidentsOfDevices(ctx.db, ids, nowMs)).filter((i) => i.ended_ms === null || Number(i.ended_ms) > period.fromMs);
  const engine = await currentCoverageEngine(ctx);
  const sites = (await kpiSites(ctx.db, inQuery)).filter((s) => inScope(s.ward_code));
  const figures = engine.wardFigures('live');
  const speedTests = await speedTestsByWard(ctx.db, period.fromMs, nowMs);
  if (only !== null) for (const code of [...speedTests.keys()]) if (!only.has(code)) speedTests.delete(code);
  return {
    nowMs,
    wards: await wardNames(ctx.db),
    sites,
    anyActiveSite: only === null ? sites.some((s) => s.status !== 'retired') : await anyActiveSite(ctx.db),
    devices: fleet.map((d) => ({
      id: d.id, wardCode: d.ward_code, provider: d.provider,
      availability: deviceAvailability(byDevice.get(d.id) ?? [], period, { nowMs }),
      peakBps: peaks.get(d.id) ?? null,
    })),
    incidents,
    figures: only === null ? figures : { ...figures, items: figures.items.filter((f) => only.has(f.code)) },
    coverage: { layer: 'live', layerDefinition: COVERAGE_LAYER_DEFINITIONS.live, devices: engine.layerDevices('live') },
    rollout: await listAllRolloutItems(ctx.db),
    thresholds: await loadThresholds(ctx),
    targets: await programmeTargetMap(ctx),
    speedTests,
  };
}

/**
 * One KPI. `noData` is the reason used when the value is null (always given: a KPI without data must say why);
 * `note` qualifies a value that exists.
 */
function kpi(inputs: KpiInputs, def: KpiDefinition, value: number | null, noData: KpiNoDataReason, extra: { note?: string | undefined; observedSince?: string | undefined } = {}): KpiValue {
  const v = value === null || !Number.isFinite(value) ? null : round2(value);
  const status = kpiStatus(v, def.direction, inputs.thresholds.get(def.key) ?? def);
  const target = inputs.targets?.has(def.key) === true ? inputs.targets.get(def.key)! : def.target;
  const base = { key: def.key, label: def.label, value: v, target, unit: def.unit, status };
  if (v === null) return { ...base, reason: noData, note: KPI_NO_DATA_REASONS[noData] };
  return { ...base, ...(extra.note === undefined ? {} : { note: extra.note }), ...(extra.observedSince === undefined ? {} : { observedSince: extra.observedSince }) };
}

/** "observed for 2 min of the last 7 days" when a group was watched for less than the period. */
function observedNote(inputs: KpiInputs, firstKnownMs: number | null): { note?: string; observedSince?: string } {
  const from = inputs.nowMs - KPI_PERIOD_MS;
  if (firstKnownMs === null || firstKnownMs <= from + 60_000) return {};
  return { observedSince: new Date(firstKnownMs).toISOString(), note: `observed for ${span(inputs.nowMs - firstKnownMs)} of the last 7 days` };
}

function span(ms: number): string {
  if (ms < 3_600_000) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < 2 * DAY_MS) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / DAY_MS)} days`;
}

function defOf(key: string): KpiDefinition {
  return KPI_DEFINITIONS.find((d) => d.key === key)!;
}

function restoreHours(inputs: KpiInputs, deviceIds: Set<string>, withData: number): { value: number | null; note?: string } {
  return restoreHoursOf(inputs, inputs.incidents.filter((i) => deviceIds.has(i.device_id)), withData);
}

function restoreHoursOf(inputs: KpiInputs, incidents: ReadonlyArray<IncidentsTable>, withData: number): { value: number | null; note?: string } {
  const ttr = timeToRestore(
    incidents.map((i) => ({ startedAtMs: Number(i.started_ms), endedAtMs: i.ended_ms === null ? null : Number(i.ended_ms) })),
    { fromMs: inputs.nowMs - KPI_PERIOD_MS, toMs: inputs.nowMs },
  );
  if (ttr.meanMs !== null) return { value: ttr.meanMs / 3_600_000 };
  const open = incidents.filter((i) => i.ended_ms === null);
  if (open.length > 0) {
    const oldest = Math.min(...open.map((i) => Number(i.started_ms)));
    return { value: (inputs.nowMs - oldest) / 3_600_000, note: `${open.length} incident(s) still open; age of the oldest` };
  }
  if (withData > 0) return { value: 0, note: 'no incident in the period' };
  return { value: null };
}

/**
 * Residents covered by the live layer. No data (never red) when the ward's residents are unknown, when the city has
 * no access point, when no access point anywhere was ever polled, or when the ward's own access points were never
 * polled and nothing live covers it.
 */
function residentsCovered(inputs: KpiInputs, fig: WardCoverageFigures | undefined): { value: number | null; reason: KpiNoDataReason; note?: string } {
  const devices = inputs.coverage.devices;
  if (fig === undefined || fig.residents === null) return { value: null, reason: 'residents-unknown' };
  if (devices.total === 0) return { value: null, reason: 'no-devices' };
  if (devices.unverified === devices.total) return { value: null, reason: 'never-polled' };
  if ((fig.residentsCovered ?? 0) === 0 && fig.accessPoints > 0 && fig.unverifiedAccessPoints === fig.accessPoints) return { value: null, reason: 'never-polled' };
  const note = fig.unverifiedAccessPoints > 0 ? `${fig.unverifiedAccessPoints} access point(s) in this ward never polled: not counted as live` : undefined;
  return { value: fig.residentsCoveredPct, reason: 'never-polled', ...(note === undefined ? {} : { note }) };
}

/** The ward KPIs of one ward from loaded inputs. */
export function kpisOfWard(inputs: KpiInputs, code: string): KpiValue[] {
  return kpisOfWards(inputs, new Set([code]));
}

/**
 * The same KPIs over a set of wards (a kecamatan, kabupaten/kota or province, issue 17): sites, devices and incidents
 * of all of them; residents covered summed over the wards (no data when any ward's residents are unknown); live
 * points as the mean per ward, so the ward target still reads. Scans every input: for many sets use
 * kpisOfWardGroups, which gives the same values in one pass.
 */
export function kpisOfWards(inputs: KpiInputs, codes: ReadonlySet<string>): KpiValue[] {
  const devices = inputs.devices.filter((d) => d.wardCode !== null && codes.has(d.wardCode));
  const ids = new Set(devices.map((d) => d.id));
  return kpisOfSelection(inputs, codes, {
    live: inputs.sites.filter((s) => s.ward_code !== null && codes.has(s.ward_code) && s.status === 'live'),
    devices,
    incidents: inputs.incidents.filter((i) => ids.has(i.device_id)),
    figures: inputs.figures.items.filter((f) => codes.has(f.code)),
  }, noSitesAnywhere(inputs));
}

/** What one set of wards holds, each list in the order of the inputs (sums and medians then add up the same way). */
interface KpiSelection {
  live: KpiSiteRow[];
  devices: KpiInputs['devices'];
  incidents: IncidentsTable[];
  figures: WardCoverageFigures[];
}

function noSitesAnywhere(inputs: KpiInputs): boolean {
  return inputs.anyActiveSite === undefined ? !inputs.sites.some((s) => s.status !== 'retired') : !inputs.anyActiveSite;
}

/**
 * kpisOfWards for many sets of wards at once (the regions of a level, or every ward alone): the inputs are indexed
 * by ward once, so the cost is one pass over them plus each set's own share, not a scan of everything per set.
 * Same values as kpisOfWards set by set (test/server/region-kpis-one-pass.test.ts compares them).
 */
export function kpisOfWardGroups(inputs: KpiInputs, groups: ReadonlyArray<ReadonlySet<string>>): KpiValue[][] {
  const liveByWard = new Map<string, number[]>();
  inputs.sites.forEach((s, i) => {
    if (s.ward_code === null || s.status !== 'live') return;
    push(liveByWard, s.ward_code, i);
  });
  const devicesByWard = new Map<string, number[]>();
  inputs.devices.forEach((d, i) => {
    if (d.wardCode !== null) push(devicesByWard, d.wardCode, i);
  });
  const incidentsByDevice = new Map<string, number[]>();
  inputs.incidents.forEach((inc, i) => push(incidentsByDevice, inc.device_id, i));
  const figuresByWard = new Map<string, number[]>();
  inputs.figures.items.forEach((f, i) => push(figuresByWard, f.code, i));
  const noSites = noSitesAnywhere(inputs);
  const gather = <T>(all: ReadonlyArray<T>, index: Map<string, number[]>, keys: Iterable<string>): T[] => {
    const at: number[] = [];
    for (const k of keys) {
      const list = index.get(k);
      if (list !== undefined) for (const i of list) at.push(i);
    }
    at.sort((a, b) => a - b);
    return at.map((i) => all[i]!);
  };
  return groups.map((codes) => {
    const devices = gather(inputs.devices, devicesByWard, codes);
    return kpisOfSelection(inputs, codes, {
      live: gather(inputs.sites, liveByWard, codes),
      devices,
      incidents: gather(inputs.incidents, incidentsByDevice, new Set(devices.map((d) => d.id))),
      figures: gather(inputs.figures.items, figuresByWard, codes),
    }, noSites);
  });
}

function push(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [i]);
  else list.push(i);
}

function kpisOfSelection(inputs: KpiInputs, codes: ReadonlySet<string>, sel: KpiSelection, noSitesInCity: boolean): KpiValue[] {
  const { live, devices } = sel;
  const group = groupAvailability(devices.map((d) => d.availability));
  const contracted = live.map((s) => s.contracted_mbps).filter((x): x is number => x !== null).map(Number);
  const rates = devices.map((d) => d.peakBps).filter((x): x is number => x !== null);
  const ttr = restoreHoursOf(inputs, sel.incidents, group.devicesWithData);
  const covered = codes.size === 1 ? residentsCovered(inputs, sel.figures[0]) : residentsCoveredOver(inputs, sel.figures);
  const noDevice: KpiNoDataReason = devices.length === 0 ? 'no-devices' : 'never-polled';
  const livePoints = codes.size === 1 ? live.length : live.length / Math.max(1, codes.size);
  const speed = { down: [] as number[], latency: [] as number[] };
  for (const code of codes) {
    const s = inputs.speedTests?.get(code);
    if (s !== undefined) {
      speed.down.push(...s.down);
      speed.latency.push(...s.latency);
    }
  }
  const speedNote = speed.down.length === 0 ? undefined : `median of ${speed.down.length} speed test(s)`;
  return [
    kpi(inputs, defOf('livePoints'), noSitesInCity ? null : livePoints, 'no-sites', codes.size === 1 ? {} : { note: `mean per desa/kelurahan over ${codes.size}; ${live.length} live in all` }),
    kpi(inputs, defOf('residentsCoveredPct'), covered.value, covered.reason, { note: covered.note }),
    kpi(inputs, defOf('availabilityPct'), group.percent, noDevice, observedNote(inputs, group.firstKnownMs)),
    kpi(inputs, defOf('contractedMbps'), contracted.length === 0 ? null : Math.min(...contracted), live.length === 0 ? 'no-live-site' : 'no-bandwidth-stated'),
    kpi(inputs, defOf('measuredMbps'), rates.length === 0 ? null : rates.reduce((a, b) => a + b, 0) / rates.length / 1e6, devices.length === 0 ? 'no-devices' : 'no-rates'),
    kpi(inputs, defOf('timeToRestoreH'), ttr.value, noDevice, { note: ttr.note }),
    kpi(inputs, defOf('citizenDownMbps'), median(speed.down), 'no-speed-tests', { note: speedNote }),
    kpi(inputs, defOf('citizenLatencyMs'), median(speed.latency), 'no-speed-tests', { note: speedNote }),
  ];
}

function residentsCoveredOver(inputs: KpiInputs, figs: ReadonlyArray<WardCoverageFigures>): { value: number | null; reason: KpiNoDataReason; note?: string } {
  const devices = inputs.coverage.devices;
  if (figs.length === 0 || figs.some((f) => f.residents === null)) return { value: null, reason: 'residents-unknown' };
  if (devices.total === 0) return { value: null, reason: 'no-devices' };
  if (devices.unverified === devices.total) return { value: null, reason: 'never-polled' };
  const residents = figs.reduce((a, f) => a + (f.residents ?? 0), 0);
  const covered = figs.reduce((a, f) => a + (f.residentsCovered ?? 0), 0);
  const unverified = figs.reduce((a, f) => a + f.unverifiedAccessPoints, 0);
  return { value: residents > 0 ? (100 * covered) / residents : null, reason: 'residents-unknown', ...(unverified > 0 ? { note: `${unverified} access point(s) here never polled: not counted as live` } : {}) };
}

export interface WardKpisOut {
  wardCode: string;
  wardName: string;
  district: string;
  kpis: KpiValue[];
}

export function wardKpisFrom(inputs: KpiInputs): WardKpisOut[] {
  const kpis = kpisOfWardGroups(inputs, inputs.wards.map((w) => new Set([w.code])));
  return inputs.wards.map((w, i) => ({ wardCode: w.code, wardName: w.name, district: w.district, kpis: kpis[i]! }));
}

export async function wardKpis(ctx: ServiceCtx): Promise<{ asOf: string; periodDays: number; coverage: KpiCoverageInfo; items: WardKpisOut[] }> {
  const inputs = await loadKpiInputs(ctx);
  return { asOf: new Date(inputs.nowMs).toISOString(), periodDays: KPI_PERIOD_MS / DAY_MS, coverage: inputs.coverage, items: wardKpisFrom(inputs) };
}

export async function wardKpisCsv(ctx: ServiceCtx): Promise<string> {
  const { items } = await wardKpis(ctx);
  const rows = items.flatMap((w) => w.kpis.map((k) => ({
    wardCode: w.wardCode, wardName: w.wardName, district: w.district, key: k.key, label: k.label, value: k.value, target: k.target, unit: k.unit, status: k.status,
    reason: k.reason ?? '', note: k.note ?? '',
  })));
  return toCsv(rows, { columns: ['wardCode', 'wardName', 'district', 'key', 'label', 'value', 'target', 'unit', 'status', 'reason', 'note'] });
}

export interface ProviderKpisOut {
  provider: string;
  devices: number;
  kpis: KpiValue[];
}

export function providerKpisFrom(inputs: KpiInputs): ProviderKpisOut[] {
  const names = [...new Set(inputs.devices.map((d) => d.provider).filter((p): p is string => p !== null && p !== ''))].sort();
  return names.map((provider) => {
    const devices = inputs.devices.filter((d) => d.provider === provider);
    const ids = new Set(devices.map((d) => d.id));
    const group = groupAvailability(devices.map((d) => d.availability));
    const ttr = restoreHours(inputs, ids, group.devicesWithData);
    const incidents = inputs.incidents.filter((i) => ids.has(i.device_id) && Number(i.started_ms) >= inputs.nowMs - KPI_PERIOD_MS).length;
    return {
      provider,
      devices: devices.length,
      kpis: [
        kpi(inputs, defOf('providerAvailabilityPct'), group.percent, 'never-polled', observedNote(inputs, group.firstKnownMs)),
        kpi(inputs, defOf('providerIncidents'), group.devicesWithData === 0 && incidents === 0 ? null : incidents, 'never-polled'),
        kpi(inputs, defOf('providerTimeToRestoreH'), ttr.value, 'never-polled', { note: ttr.note }),
      ],
    };
  });
}

export async function providerKpis(ctx: ServiceCtx): Promise<{ items: ProviderKpisOut[] }> {
  return { items: providerKpisFrom(await loadKpiInputs(ctx)) };
}

export interface ProgrammeKpisOut {
  programme: string;
  items: number;
  live: number;
  dueByToday: number;
  progressPct: number;
  schedulePct: number;
  budgetTotal: number;
  budgetUsed: number;
  budgetUsedPct: number | null;
  kpis: KpiValue[];
}

/**
 * Per programme, over its rollout items that were not dropped: progress = live / items; schedule = items whose
 * `live` due date has come / items; budget used = budget of approved, installing and live items / all budget.
 * progressVsSchedulePts = progress - schedule (percentage points); budgetOverrunPts = budget used - progress.
 */
export function programmeKpisFrom(inputs: KpiInputs): ProgrammeKpisOut[] {
  const today = cityDay(inputs.nowMs);
  const names = [...new Set(inputs.rollout.map((r) => r.programme))].sort();
  return names.map((programme) => {
    const items = inputs.rollout.filter((r) => r.programme === programme && r.status !== 'dropped');
    const n = items.length;
    const live = items.filter((r) => r.status === 'live').length;
    const due = items.filter((r) => r.due_live !== null && r.due_live <= today).length;
    const budgetTotal = items.reduce((a, r) => a + Number(r.budget ?? 0), 0);
    const budgetUsed = items.filter((r) => r.status !== 'proposed').reduce((a, r) => a + Number(r.budget ?? 0), 0);
    const progressPct = n === 0 ? 0 : (100 * live) / n;
    const schedulePct = n === 0 ? 0 : (100 * due) / n;
    const budgetUsedPct = budgetTotal > 0 ? (100 * budgetUsed) / budgetTotal : null;
    return {
      programme, items: n, live, dueByToday: due, progressPct: round2(progressPct), schedulePct: round2(schedulePct), budgetTotal, budgetUsed,
      budgetUsedPct: budgetUsedPct === null ? null : round2(budgetUsedPct),
      kpis: [
        kpi(inputs, defOf('progressVsSchedulePts'), n === 0 ? null : progressPct - schedulePct, 'no-rollout-items'),
        kpi(inputs, defOf('budgetOverrunPts'), budgetUsedPct === null ? null : budgetUsedPct - progressPct, 'no-budget'),
      ],
    };
  });
}

export async function programmeKpis(ctx: ServiceCtx): Promise<{ items: ProgrammeKpisOut[] }> {
  return { items: programmeKpisFrom(await loadKpiInputs(ctx)) };
}
