/**
 * Gaps, availability and citizens' reports per region at one level (issue 17): the ward figures grouped by the one
 * region filter (region-filter.ts), so a staff account limited to one kabupaten/kota gets its regions only and 403
 * for the province level, as for coverage and KPIs.
 */
import { COVERAGE_LAYER_DEFINITIONS, type CountLayerName } from '../../../core/coverage-layers.ts';
import type { RegionLevelName } from '../../../core/schemas/regions.ts';
import { REPORT_TRIAGE } from '../../../core/schemas/planning.ts';
import { fleetRows } from '../../db/monitoring.ts';
import { reportCountsByWard } from '../../db/planning.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine, GAP_SLICING } from '../coverage/coverage-engine-cache.ts';
import { assertPeriod, availabilityOf, loadAvailabilityInputs } from '../monitoring/availability.ts';
import { assertLevelInScope, groupWardsByRegion, loadHierarchy, wardsOf } from './region-filter.ts';

interface LevelQuery {
  level: RegionLevelName;
  parent?: string | undefined;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export async function regionGaps(ctx: ServiceCtx, q: LevelQuery & { layer: CountLayerName; minAreaM2?: number | undefined }): Promise<unknown> {
  const scope = assertLevelInScope(ctx, q.level);
  const h = await loadHierarchy(ctx);
  const { groups, wardsWithoutRegion } = groupWardsByRegion(h, wardsOf(h), q, scope);
  const wanted = groups.flatMap((g) => g.wards.map((w) => w.code));
  const engine = await currentCoverageEngine(ctx);
  await engine.prepareGaps(q.layer, { ...GAP_SLICING, wardCodes: wanted });
  const r = engine.gaps(q.layer, { wardCodes: wanted, ...(q.minAreaM2 === undefined ? {} : { minAreaM2: q.minAreaM2 }) });
  const summaries = new Map(r.wards.map((w) => [w.code, w]));
  const gapsOfWard = new Map<string, typeof r.items>();
  for (const gap of r.items) gapsOfWard.set(gap.wardCode, [...(gapsOfWard.get(gap.wardCode) ?? []), gap]);
  const items = groups.map((g) => {
    const gaps = g.wards.flatMap((w) => gapsOfWard.get(w.code) ?? []);
    const unknown = gaps.filter((x) => x.residents === null);
    const wardsUnknown = new Set(unknown.map((x) => x.wardCode)).size;
    const wardsWithGaps = new Set(gaps.map((x) => x.wardCode)).size;
    const largest = gaps.reduce<(typeof gaps)[number] | null>((a, x) => (a === null || x.areaM2 > a.areaM2 ? x : a), null);
    return {
      code: g.code, name: g.name, level: q.level, parentCode: g.parentCode, wards: g.wards.length,
      gaps: gaps.length,
      uncoveredAreaM2: round1(g.wards.reduce((a, w) => a + (summaries.get(w.code)?.uncoveredAreaM2 ?? 0), 0)),
      sliverAreaM2: round1(g.wards.reduce((a, w) => a + (summaries.get(w.code)?.sliverAreaM2 ?? 0), 0)),
      // Residents in gaps add up only where every ward with a gap has a figure; no gap at all is a true zero.
      residentsInGaps: unknown.length === 0 ? round1(gaps.reduce((a, x) => a + (x.residents ?? 0), 0)) : null,
      ...(unknown.length === 0 ? {} : { residentsReason: wardsUnknown === wardsWithGaps ? ('not-imported' as const) : ('partial' as const) }),
      largestGap: largest === null ? null : { wardCode: largest.wardCode, wardName: largest.wardName, areaM2: round1(largest.areaM2), residents: largest.residents === null ? null : round1(largest.residents), centroid: largest.centroid },
    };
  });
  return { level: q.level, layer: q.layer, layerDefinition: COVERAGE_LAYER_DEFINITIONS[q.layer], minAreaM2: r.minAreaM2, items, wardsWithoutRegion };
}

export async function regionAvailability(ctx: ServiceCtx, q: LevelQuery & { fromMs: number; toMs: number }): Promise<unknown> {
  const scope = assertLevelInScope(ctx, q.level);
  const period = { fromMs: q.fromMs, toMs: q.toMs };
  assertPeriod(period);
  const h = await loadHierarchy(ctx);
  const { groups, wardsWithoutRegion } = groupWardsByRegion(h, wardsOf(h), q, scope);
  const devicesOfWard = new Map<string, string[]>();
  for (const d of await fleetRows(ctx.db)) {
    if (d.ward_code === null) continue;
    devicesOfWard.set(d.ward_code, [...(devicesOfWard.get(d.ward_code) ?? []), d.id]);
  }
  const idsOf = (g: (typeof groups)[number]): string[] => g.wards.flatMap((w) => devicesOfWard.get(w.code) ?? []);
  const inputs = await loadAvailabilityInputs(ctx, groups.flatMap(idsOf), period);
  const nowMs = ctx.clock.nowMs();
  const items = groups.map((g) => {
    const ids = idsOf(g);
    const a = availabilityOf(ids, inputs, period, nowMs);
    return {
      code: g.code, name: g.name, level: q.level, parentCode: g.parentCode, wards: g.wards.length,
      percent: a.percent,
      ...(a.percent !== null ? {} : { reason: ids.length === 0 ? ('no-devices' as const) : ('never-observed' as const) }),
      devices: a.devices, devicesWithData: a.devicesWithData, upS: a.upS, downS: a.downS, observedS: a.observedS,
      incidents: a.incidents, openIncidents: a.openIncidents, mttrS: a.mttrS,
    };
  });
  return { level: q.level, from: new Date(period.fromMs).toISOString(), to: new Date(period.toMs).toISOString(), items, wardsWithoutRegion };
}

export async function regionReports(ctx: ServiceCtx, q: LevelQuery): Promise<unknown> {
  const scope = assertLevelInScope(ctx, q.level);
  const h = await loadHierarchy(ctx);
  const { groups, wardsWithoutRegion } = groupWardsByRegion(h, wardsOf(h), q, scope);
  const byWard = new Map<string, Record<(typeof REPORT_TRIAGE)[number], number>>();
  for (const r of await reportCountsByWard(ctx.db)) {
    if (r.ward_code === null) continue;
    const c = byWard.get(r.ward_code) ?? { new: 0, seen: 0, planned: 0, resolved: 0 };
    const state = (REPORT_TRIAGE as readonly string[]).includes(r.triage ?? 'new') ? ((r.triage ?? 'new') as (typeof REPORT_TRIAGE)[number]) : 'new';
    c[state] += r.n;
    byWard.set(r.ward_code, c);
  }
  const items = groups.map((g) => {
    const c = { new: 0, seen: 0, planned: 0, resolved: 0 };
    for (const w of g.wards) for (const s of REPORT_TRIAGE) c[s] += byWard.get(w.code)?.[s] ?? 0;
    return { code: g.code, name: g.name, level: q.level, parentCode: g.parentCode, wards: g.wards.length, reports: c.new + c.seen + c.planned + c.resolved, ...c };
  });
  return { level: q.level, items, wardsWithoutRegion };
}
