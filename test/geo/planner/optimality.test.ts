/**
 * Optimality check: the same problems solved exactly by GLPK (glpsol, an integer program in CPLEX LP format
 * from writeCplexLp); the planner must reach >= 97% of the optimum, and its upperBound must not be below it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../core/csv.ts';
import { buildCoverageInstance, planRollout, writeCplexLp } from '../../../geo/planner/index.ts';
import type { CoverageInstance, PlanRolloutOptions } from '../../../geo/planner/index.ts';
import { createWardLocator, parseWardFile, spreadResidents } from '../../../geo/wards/index.ts';
import { CILEGON_PROPS, readSharedData } from '../wards/shared-data.ts';
import { requireGlpsol, solveExactly } from './glpsol.ts';
import { randomInstance, seeded } from './random-instance.ts';

const REQUIRED_SHARE = 0.97;

function check(name: string, instance: CoverageInstance, options: PlanRolloutOptions): void {
  const plan = planRollout(instance, options);
  const exact = solveExactly(writeCplexLp(instance, options));
  const share = plan.newResidents / exact.objective;
  console.log(
    `${name}: planner ${plan.newResidents.toFixed(1)} (greedy ${plan.greedyResidents.toFixed(1)}), optimum ${exact.objective.toFixed(1)}, ` +
      `${(100 * share).toFixed(2)}% of optimum, gap to optimum ${(100 * (1 - share)).toFixed(2)}%, bound gap ${plan.gapPct.toFixed(2)}%, glpsol ${exact.seconds.toFixed(2)} s`,
  );
  expect(share, `${name}: planner reached ${(100 * share).toFixed(2)}% of the optimum`).toBeGreaterThanOrEqual(REQUIRED_SHARE);
  expect(share).toBeLessThanOrEqual(1 + 1e-6);
  expect(plan.upperBound).toBeGreaterThanOrEqual(exact.objective * (1 - 1e-6));
  expect(plan.unmetWardMinimums).toEqual([]);
}

beforeAll(() => {
  requireGlpsol();
});

describe('planner vs exact integer programming (glpsol)', () => {
  const cases: { name: string; seed: number; spec: Partial<Parameters<typeof randomInstance>[0]>; options: PlanRolloutOptions }[] = [
    { name: '200 candidates, 15 sites', seed: 101, spec: { candidates: 200, existingSites: 5 }, options: { budget: { count: 15 } } },
    { name: '200 candidates, 30 sites', seed: 102, spec: { candidates: 200, radiusCells: 4 }, options: { budget: { count: 30 } } },
    { name: '200 candidates, cost budget 40', seed: 103, spec: { candidates: 200, maxCost: 5, infeasibleShare: 0.1 }, options: { budget: { cost: 40 } } },
    { name: '150 candidates, 20 sites, 2 per ward', seed: 104, spec: { candidates: 150, existingSites: 4 }, options: { budget: { count: 20 }, minimumPerWard: 2 } },
    { name: '120 candidates, cost 30 and 10 sites', seed: 105, spec: { candidates: 120, maxCost: 4 }, options: { budget: { cost: 30, count: 10 } } },
    { name: '200 candidates, 15 sites (a seed where greedy alone reaches 96%)', seed: 136, spec: { candidates: 200, existingSites: 5 }, options: { budget: { count: 15 } } },
  ];
  for (const c of cases) {
    it(`reaches >= 97% of the optimum: ${c.name}`, () => {
      const instance = randomInstance({ seed: c.seed, gridSize: 50, radiusCells: 5, candidates: 200, ...c.spec });
      check(c.name, instance, c.options);
    });
  }

  it('reaches >= 97% of the optimum on the Cilegon wards with a 200 m grid of residents', () => {
    const { wards } = parseWardFile(readSharedData('cilegon-kelurahan.geojson'), CILEGON_PROPS);
    const residents = spreadResidents(wards, parseCsv(readSharedData('cilegon-kecamatan-population.csv')), {
      by: 'district',
      keyColumn: 'kecamatan',
      valueColumn: 'population_2025s1',
    });
    const locator = createWardLocator(wards, { toleranceM: 0 });
    const minLng = Math.min(...wards.map((w) => w.bbox[0]));
    const minLat = Math.min(...wards.map((w) => w.bbox[1]));
    const maxLng = Math.max(...wards.map((w) => w.bbox[2]));
    const maxLat = Math.max(...wards.map((w) => w.bbox[3]));
    const stepM = 200;
    const dLat = stepM / 111_195;
    const dLng = dLat / Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    const grid: { id: string; lng: number; lat: number; ward: string }[] = [];
    for (let lat = minLat + dLat / 2; lat < maxLat; lat += dLat) {
      for (let lng = minLng + dLng / 2; lng < maxLng; lng += dLng) {
        const ward = locator.locate(lng, lat);
        if (ward !== null) grid.push({ id: `${grid.length}`, lng, lat, ward });
      }
    }
    const cellsPerWard = new Map<string, number>();
    for (const g of grid) cellsPerWard.set(g.ward, (cellsPerWard.get(g.ward) ?? 0) + 1);
    const population = new Map(residents.wards.map((w) => [w.code, w.population ?? 0]));
    const cells = grid.map((g) => ({ id: g.id, residents: population.get(g.ward)! / cellsPerWard.get(g.ward)!, wardCode: g.ward }));

    const random = seeded(4323);
    const radiusM = 350;
    const sites = (count: number, prefix: string): { id: string; wardCode: string; cellIds: string[] }[] => {
      const out = [];
      while (out.length < count) {
        const lng = minLng + random() * (maxLng - minLng);
        const lat = minLat + random() * (maxLat - minLat);
        const ward = locator.locate(lng, lat);
        if (ward === null) continue;
        const cellIds = grid.filter((g) => Math.hypot((g.lng - lng) / dLng, (g.lat - lat) / dLat) * stepM <= radiusM).map((g) => g.id);
        out.push({ id: `${prefix}${out.length}`, wardCode: ward, cellIds });
      }
      return out;
    };
    const existingSites = sites(15, 'live-');
    const candidates = sites(200, 'cand-');
    const instance = buildCoverageInstance({ cells, candidates, existingSites, wardCodes: wards.map((w) => w.code) });
    expect(cells.reduce((s, c) => s + c.residents, 0)).toBeGreaterThan(483_015 * 0.9);
    check(`Cilegon ${grid.length} cells, 200 candidates, 30 sites`, instance, { budget: { count: 30 } });
    const coveredWards = new Set(candidates.map((c) => c.wardCode));
    const wardMinimums = Object.fromEntries([...coveredWards].map((code) => [code, 1]));
    check(`Cilegon, 200 candidates, 50 sites, 1 per ward`, instance, { budget: { count: 50 }, wardMinimums });
  });
});
