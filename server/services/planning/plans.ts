/**
 * Plans: choose new sites among the stored candidates that newly cover the most residents within a budget
 * (count or cost), optionally with per-ward minimums, keeping the layer's existing sites fixed. The demand is the
 * coverage engine's own grid (geo/planner/from-coverage.ts), so a plan's `newResidents` is what the coverage
 * what-if reports when the same sites are added at once (up to the what-if's rounding to 0.1 resident per ward).
 * Plans are saved with their request and answer, listed, fetched and compared.
 */
import { AppError } from '../../../core/errors.ts';
import type { PlanBody } from '../../../core/schemas/planning.ts';
import { isoAt } from '../../../core/time.ts';
import { COVERAGE_LAYER_DEFINITIONS, type CountLayerName } from '../../../core/coverage-layers.ts';
import { PROFILE_RADIUS_M, type CoverageEngine, type LayerDevices } from '../../../geo/coverage/index.ts';
import { cityDensityOf } from '../../../geo/coverage/gaps.ts';
import { instanceFromCoverage, type CoverageCandidate, type InstanceFromCoverageOptions } from '../../../geo/planner/from-coverage.ts';
import { planRollout } from '../../../geo/planner/index.ts';
import { newId } from '../../crypto/random.ts';
import { findPlan, insertPlan, kpiSites, listAllCandidates, listPlans } from '../../db/planning.ts';
import { inTransaction } from '../../db/tx.ts';
import type { CandidatesTable, PlansTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { currentCoverageEngine, GAP_SLICING } from '../coverage/coverage-engine-cache.ts';
import { gapCandidatePoints } from './candidates.ts';

export interface PlanSiteOut {
  rank: number;
  candidateId: string;
  name: string;
  kind: string;
  generated: boolean;
  lat: number;
  lon: number;
  wardCode: string | null;
  cost: number | null;
  marginalResidents: number;
  cumulativeResidents: number;
  reason: 'ward-minimum' | 'greedy' | 'local-search';
}

export interface PlanOut {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string | null;
  layer: CountLayerName;
  layerDefinition: string;
  /** The access points behind the layer: how many count in it and how many of those were never polled. */
  devices: LayerDevices;
  radiusM: number;
  budget: { count?: number; cost?: number };
  perWardMin: number | null;
  effort: 'thorough' | 'fast';
  sites: PlanSiteOut[];
  /** [k, residents newly covered by the first k sites]. */
  curve: Array<[number, number]>;
  newResidents: number;
  /**
   * No plan from these candidates within the budget covers more than this; gapPct = how far from it this plan can
   * be. The bound is against this plan's own candidates: see denserCandidates for what other places would add.
   */
  upperBound: number;
  gapPct: number;
  /**
   * The same budget planned once on a denser automatic set of points in the gaps (the lattice at a third of the
   * radius, over twice the area the budget's sites could cover): how many residents that plan reaches and how many
   * more (or fewer: negative) than this one. null when there is no gap to place points in.
   */
  denserCandidates: DenserComparison | null;
  /** Residents counted in wards whose residents are unknown, at the city's mean density (included in newResidents). */
  newResidentsAssumed: number;
  totalCost: number;
  residentsCoveredBefore: number | null;
  unmetWardMinimums: Array<{ wardCode: string; required: number; existing: number; planned: number }>;
  warnings: string[];
  /** The same warnings as stable codes with their values, for clients to word in their language (issue 13). */
  notices: { code: string; params: Record<string, string | number> }[];
  candidatesConsidered: number;
  demandCells: number;
}

export interface DenserComparison {
  candidates: number;
  spacingM: number;
  sites: number;
  newResidents: number;
  /** denser newResidents minus this plan's. */
  moreResidents: number;
  morePct: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The planner's candidate order: by place (west to east, then south to north), so ties never depend on ids. */
function byPosition<T extends { lon: number | string; lat: number | string; id: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => Number(a.lon) - Number(b.lon) || Number(a.lat) - Number(b.lat) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Sites per ward counted toward minimums: live sites for the live/reliable layers, every non-retired site for planned and assumed. */
async function existingSitesPerWard(ctx: ServiceCtx, layer: PlanBody['layer']): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of await kpiSites(ctx.db)) {
    if (s.ward_code === null) continue;
    const counts = layer === 'planned' || layer === 'assumed' ? s.status !== 'retired' : s.status === 'live';
    if (counts) out[s.ward_code] = (out[s.ward_code] ?? 0) + 1;
  }
  return out;
}

export async function createPlan(ctx: ServiceCtx, body: PlanBody): Promise<PlanOut> {
  const warnings: string[] = [];
  const notices: PlanOut['notices'] = [];
  let rows = await listAllCandidates(ctx.db);
  if (!body.includeGenerated) rows = rows.filter((r) => r.source !== 'generated');
  if (body.candidateIds !== undefined) {
    const wanted = new Set(body.candidateIds);
    const known = new Set(rows.map((r) => r.id));
    const unknown = body.candidateIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AppError('validation_failed', `unknown candidate(s): ${unknown.slice(0, 10).join(', ')}`, { reason: 'plan.unknownCandidates', params: { n: unknown.length }, details: unknown.slice(0, 50).map((id) => ({ path: 'candidateIds', message: `unknown candidate ${id}` })) });
    rows = rows.filter((r) => wanted.has(r.id));
  }
  const byCost = 'cost' in body.budget;
  if (byCost) {
    const noCost = rows.filter((r) => r.cost === null).length;
    if (noCost > 0) {
      warnings.push(`${noCost} candidate(s) have no cost and were left out of this cost-budget plan`);
      notices.push({ code: 'plan.noCost', params: { n: noCost } });
    }
    rows = rows.filter((r) => r.cost !== null);
  }
  if (rows.length === 0) throw new AppError('validation_failed', 'no candidates to plan with: import candidates or generate them in the gaps first', { reason: 'plan.noCandidates', details: [{ path: 'candidates', message: 'none usable' }] });
  rows = byPosition(rows);
  const radiusM = body.radiusM ?? PROFILE_RADIUS_M.outdoor;
  const engine = await currentCoverageEngine(ctx);
  const existing = await existingSitesPerWard(ctx, body.layer);
  // The denser comparison below reads the gaps: cut ahead here, before the plan, so the plan and its comparison see
  // one coverage state (nothing awaits between them).
  await engine.prepareGaps(body.layer, GAP_SLICING);
  const cands: CoverageCandidate[] = rows.map((r) => ({
    id: r.id, lon: Number(r.lon), lat: Number(r.lat), feasible: Number(r.feasible) === 1, ...(byCost ? { cost: Number(r.cost) } : {}),
  }));
  const figures = engine.wardFigures(body.layer);
  const { cityDensity, missing } = cityDensityOf(engine.internals());
  const demandOptions = { layer: body.layer, spec: { radiusM }, existingSitesPerWard: existing, unknownWardDensityPerM2: cityDensity };
  const demand = instanceFromCoverage(engine, cands, demandOptions);
  const plan = planRollout(demand.instance, {
    budget: body.budget,
    ...(body.perWardMin === undefined ? {} : { minimumPerWard: body.perWardMin }),
    ...(body.wardMinimums === undefined ? {} : { wardMinimums: body.wardMinimums }),
    ...(body.effort === 'fast' ? { improvement: 'none' as const, bound: 'online' as const } : {}),
  });
  const byId = new Map<string, CandidatesTable>(rows.map((r) => [r.id, r]));
  const sites: PlanSiteOut[] = plan.sites.map((s) => {
    const r = byId.get(s.candidateId)!;
    return {
      rank: s.rank, candidateId: s.candidateId, name: r.name, kind: r.kind, generated: r.source === 'generated', lat: Number(r.lat), lon: Number(r.lon),
      wardCode: demand.candidateWardCodes[s.candidateIndex] ?? r.ward_code, cost: r.cost === null ? null : Number(r.cost),
      marginalResidents: round1(s.marginalResidents), cumulativeResidents: round1(s.cumulativeResidents), reason: s.reason,
    };
  });
  warnings.push(...plan.warnings);
  for (const w of plan.warnings) notices.push({ code: 'plan.geo', params: { text: w } });
  if (plan.unmetWardMinimums.length > 0) {
    warnings.push(`${plan.unmetWardMinimums.length} ward minimum(s) cannot be met with this budget and these candidates; this is the best partial plan`);
    notices.push({ code: 'plan.unmetMinimums', params: { n: plan.unmetWardMinimums.length } });
  }
  const budgetCount = 'count' in body.budget ? body.budget.count : undefined;
  if (budgetCount !== undefined && sites.length < budgetCount) {
    warnings.push(`only ${sites.length} of ${budgetCount} sites chosen: the other candidates add no residents or are not feasible`);
    notices.push({ code: 'plan.fewerSites', params: { n: sites.length, budget: budgetCount } });
  }
  const unknownWards = new Set(figures.items.filter((w) => w.residents === null).map((w) => w.code));
  let assumed = 0;
  for (const [code, v] of Object.entries(plan.newResidentsByWard)) if (unknownWards.has(code)) assumed += v;
  if (missing > 0) {
    warnings.push(`${missing} ward(s) have no residents figure: their gaps count at the city's mean density (${Math.round(cityDensity * 1e6)} per km2); ${round1(assumed)} of the new residents are that assumption`);
    notices.push({ code: 'plan.assumedDensity', params: { n: missing, density: Math.round(cityDensity * 1e6), assumed: round1(assumed) } });
  }
  const devices = engine.layerDevices(body.layer);
  if (devices.countedUnverified > 0) {
    warnings.push(`${devices.countedUnverified} access point(s) counted as covering in the ${body.layer} layer were never polled (unverified)`);
    notices.push({ code: 'plan.unverified', params: { n: devices.countedUnverified, layer: body.layer } });
  }
  const denser = denserComparison(engine, body, demandOptions, sites.length, plan.newResidents);
  const now = ctx.clock.nowMs();
  const out: PlanOut = {
    id: newId(),
    name: body.name,
    createdAt: isoAt(now),
    createdBy: ctx.actor?.email ?? null,
    layer: body.layer,
    layerDefinition: COVERAGE_LAYER_DEFINITIONS[body.layer],
    devices,
    radiusM,
    budget: body.budget,
    perWardMin: body.perWardMin ?? null,
    effort: body.effort,
    sites,
    curve: plan.curve.map((v, i): [number, number] => [i + 1, round1(v)]),
    newResidents: round1(plan.newResidents),
    upperBound: round1(plan.upperBound),
    gapPct: Math.round(plan.gapPct * 100) / 100,
    denserCandidates: denser,
    newResidentsAssumed: round1(assumed),
    totalCost: plan.totalCost,
    residentsCoveredBefore: figures.city.residentsCovered,
    unmetWardMinimums: plan.unmetWardMinimums,
    warnings,
    notices,
    candidatesConsidered: rows.length,
    demandCells: demand.demandCells,
  };
  const row: PlansTable = {
    id: out.id, name: out.name, created_at: out.createdAt, created_by: ctx.actor?.userId ?? null, site_count: sites.length,
    new_residents: out.newResidents, params: JSON.stringify(body), result: JSON.stringify(out),
  };
  await inTransaction(ctx, async (trx) => {
    await insertPlan(trx, row);
    await recordAudit(ctx, trx, { action: 'create', entity: 'plan', entityId: out.id, detail: { name: out.name, sites: sites.length, newResidents: out.newResidents } });
  });
  return out;
}

/**
 * Plans the same number of sites once more, on a denser automatic set of points in the gaps (a lattice at a third
 * of the radius over twice the area the sites could cover, every gap served), with the fast greedy: what the plan's
 * candidate set leaves on the table.
 */
function denserComparison(
  engine: CoverageEngine,
  body: PlanBody,
  demandOptions: InstanceFromCoverageOptions,
  sitesChosen: number,
  newResidents: number,
): DenserComparison | null {
  const count = 'count' in body.budget ? body.budget.count : sitesChosen;
  if (count <= 0) return null;
  const radiusM = Number(demandOptions.spec.radiusM);
  const spacingM = Math.max(10, radiusM / 3);
  const g = gapCandidatePoints(engine, { layer: body.layer, sites: count, radiusM, spacingM, focusFactor: 2, minAreaM2: 2000 });
  if (g.points.length === 0) return null;
  const cands: CoverageCandidate[] = byPosition(g.points.map((p, i) => ({ ...p, id: `dense-${i}` })));
  const demand = instanceFromCoverage(engine, cands, demandOptions);
  const plan = planRollout(demand.instance, { budget: { count }, improvement: 'none', bound: 'online' });
  return {
    candidates: cands.length, spacingM: Math.round(spacingM * 10) / 10, sites: count, newResidents: round1(plan.newResidents),
    moreResidents: round1(plan.newResidents - newResidents),
    morePct: newResidents > 0 ? Math.round((10_000 * (plan.newResidents - newResidents)) / newResidents) / 100 : 0,
  };
}

function planOf(row: PlansTable): PlanOut {
  // Plans saved before notices existed have none.
  const plan = JSON.parse(row.result) as Omit<PlanOut, 'notices'> & { notices?: PlanOut['notices'] };
  return { ...plan, notices: plan.notices ?? [] };
}

export async function getPlan(ctx: ServiceCtx, id: string): Promise<PlanOut> {
  const row = await findPlan(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no plan ${id}`);
  return planOf(row);
}

export async function listPlanPage(ctx: ServiceCtx, q: { limit: number; offset: number }): Promise<{ items: PlanOut[]; total: number; limit: number; offset: number }> {
  const { rows, total } = await listPlans(ctx.db, q);
  return { items: rows.map(planOf), total, limit: q.limit, offset: q.offset };
}

export interface PlanComparison {
  a: Omit<PlanOut, 'sites' | 'warnings'> & { siteCount: number };
  b: Omit<PlanOut, 'sites' | 'warnings'> & { siteCount: number };
  /** b minus a. */
  newResidentsDelta: number;
  totalCostDelta: number;
  common: string[];
  onlyA: string[];
  onlyB: string[];
  /** Residents newly covered per site index, both plans side by side: [k, a, b] (null past a plan's end). */
  curves: Array<[number, number | null, number | null]>;
}

export async function comparePlans(ctx: ServiceCtx, aId: string, bId: string): Promise<PlanComparison> {
  const [a, b] = await Promise.all([getPlan(ctx, aId), getPlan(ctx, bId)]);
  const aIds = new Set(a.sites.map((s) => s.candidateId));
  const bIds = new Set(b.sites.map((s) => s.candidateId));
  const summary = (p: PlanOut): PlanComparison['a'] => {
    const { sites: _s, warnings: _w, ...rest } = p;
    return { ...rest, siteCount: p.sites.length };
  };
  const n = Math.max(a.curve.length, b.curve.length);
  return {
    a: summary(a),
    b: summary(b),
    newResidentsDelta: round1(b.newResidents - a.newResidents),
    totalCostDelta: b.totalCost - a.totalCost,
    common: [...aIds].filter((id) => bIds.has(id)),
    onlyA: [...aIds].filter((id) => !bIds.has(id)),
    onlyB: [...bIds].filter((id) => !aIds.has(id)),
    curves: Array.from({ length: n }, (_, i): [number, number | null, number | null] => [i + 1, a.curve[i]?.[1] ?? null, b.curve[i]?.[1] ?? null]),
  };
}
