/**
 * The ILP cross-check on the planner's real input: demand cells built by geo/planner/from-coverage.ts from the
 * coverage engine's 5 m grid over the Cilegon wards (district residents spread to wards, live access points fixed),
 * candidates clustered so their footprints overlap each other and the existing ones. Cells covered by the same set
 * of candidates are merged (their residents summed; the optimum is unchanged) so GLPK solves the exact problem in
 * seconds. The planner must reach >= 97 % of glpsol's proven optimum and its upper bound must not be below it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../core/csv.ts';
import { createCoverageEngine, seededDevices, seededRandom, type CoverageEngine } from '../../geo/coverage/index.ts';
import { instanceFromCoverage } from '../../geo/planner/from-coverage.ts';
import { planRollout, writeCplexLp, type CoverageInstance, type PlanRolloutOptions } from '../../geo/planner/index.ts';
import { parseWardFile, spreadResidents } from '../../geo/wards/index.ts';
import { requireGlpsol, solveExactly } from '../geo/planner/glpsol.ts';
import { CILEGON_PROPS } from '../geo/wards/shared-data.ts';
import { readSharedData } from '../helpers/shared-data.ts';

/** Merges cells covered by exactly the same candidates. */
function mergeEquivalentCells(inst: CoverageInstance): CoverageInstance {
  const n = inst.candidateCellOffsets.length - 1;
  const covering: number[][] = Array.from({ length: inst.cellWeights.length }, () => []);
  for (let c = 0; c < n; c++) for (let p = inst.candidateCellOffsets[c]!; p < inst.candidateCellOffsets[c + 1]!; p++) covering[inst.candidateCells[p]!]!.push(c);
  const groups = new Map<string, number>();
  const weights: number[] = [];
  const cellWards: number[] = [];
  const lists: number[][] = Array.from({ length: n }, () => []);
  covering.forEach((cands, cell) => {
    const w = inst.cellWeights[cell]!;
    if (cands.length === 0 || w === 0) return;
    const key = cands.join(',');
    let g = groups.get(key);
    if (g === undefined) {
      g = weights.length;
      groups.set(key, g);
      weights.push(0);
      cellWards.push(inst.cellWards?.[cell] ?? -1);
      for (const c of cands) lists[c]!.push(g);
    }
    weights[g] = weights[g]! + w;
  });
  const offsets = new Uint32Array(n + 1);
  const cells: number[] = [];
  lists.forEach((l, c) => {
    offsets[c] = cells.length;
    cells.push(...l);
  });
  offsets[n] = cells.length;
  return { ...inst, cellWeights: Float64Array.from(weights), cellWards: Int32Array.from(cellWards), candidateCellOffsets: offsets, candidateCells: Uint32Array.from(cells) };
}

describe('planner on the coverage engine grid vs exact integer programming (glpsol)', () => {
  let engine: CoverageEngine;
  const random = seededRandom(55);
  let candidates: { id: string; lon: number; lat: number; cost: number }[] = [];

  beforeAll(() => {
    requireGlpsol();
    const { wards } = parseWardFile(readSharedData('cilegon-kelurahan.geojson'), CILEGON_PROPS);
    const residents = spreadResidents(wards, parseCsv(readSharedData('cilegon-kecamatan-population.csv')), { by: 'district', keyColumn: 'kecamatan', valueColumn: 'population_2025s1' });
    const population = new Map(residents.wards.map((w) => [w.code, w.population ?? null]));
    const engineWards = wards.map((w) => ({ code: w.code, name: w.name, district: w.district, geometry: w.geometry, population: population.get(w.code) ?? null }));
    engine = createCoverageEngine(engineWards, seededDevices(engineWards, 150, random, { radiusMinM: 60, radiusMaxM: 200 }));
    // 150 candidates in a 2.5 km x 2.5 km square around the middle of the city: footprints overlap a lot.
    const lon0 = 106.02;
    const lat0 = -5.99;
    const d = 2500 / 111_320;
    for (let i = 0; i < 150; i++) candidates.push({ id: `c${i}`, lon: lon0 + random() * d, lat: lat0 + random() * d, cost: 1 + Math.floor(random() * 4) });
    candidates = candidates.filter((c) => engine.coverageAt(c.lon, c.lat, 'live') !== null);
  });

  const cases: { name: string; options: PlanRolloutOptions; withCost: boolean }[] = [
    { name: '10 sites', options: { budget: { count: 10 } }, withCost: false },
    { name: '25 sites', options: { budget: { count: 25 } }, withCost: false },
    { name: 'cost budget 30', options: { budget: { cost: 30 } }, withCost: true },
  ];
  for (const c of cases) {
    it(`reaches >= 97 % of the optimum: ${c.name}`, () => {
      expect(candidates.length).toBeGreaterThan(100);
      const demand = instanceFromCoverage(engine, candidates.map((x) => ({ id: x.id, lon: x.lon, lat: x.lat, ...(c.withCost ? { cost: x.cost } : {}) })), { layer: 'live', spec: { radiusM: 100 } });
      const plan = planRollout(demand.instance, c.options);
      const merged = mergeEquivalentCells(demand.instance);
      // Merging must not change what the planner finds.
      expect(planRollout(merged, c.options).newResidents).toBeCloseTo(plan.newResidents, 6);
      const exact = solveExactly(writeCplexLp(merged, c.options));
      const share = plan.newResidents / exact.objective;
      console.log(`engine grid, ${candidates.length} candidates, ${c.name}: ${demand.demandCells} cells -> ${merged.cellWeights.length} merged; planner ${plan.newResidents.toFixed(1)}, optimum ${exact.objective.toFixed(1)} (${(100 * share).toFixed(2)} %), bound gap ${plan.gapPct.toFixed(2)} %, glpsol ${exact.seconds.toFixed(2)} s`);
      expect(share).toBeGreaterThanOrEqual(0.97);
      expect(share).toBeLessThanOrEqual(1 + 1e-6);
      expect(plan.upperBound).toBeGreaterThanOrEqual(exact.objective * (1 - 1e-6));
    }, 120_000);
  }
});
