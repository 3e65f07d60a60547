import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.ts';
import { buildCoverageInstance, createRolloutPlanner, planRollout } from '../../../geo/planner/index.ts';
import type { CandidateInput, CoverageInstance, PlanRolloutOptions } from '../../../geo/planner/index.ts';
import { randomInstance, seeded } from './random-instance.ts';

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

/** Cells a..h on a line; residents as given. */
const line = (weights: number[]): { id: string; residents: number; wardCode: string }[] =>
  weights.map((residents, i) => ({ id: `c${i}`, residents, wardCode: i < weights.length / 2 ? 'W1' : 'W2' }));
const cand = (id: string, cells: number[], extra: Partial<CandidateInput> = {}): CandidateInput => ({ id, cellIds: cells.map((i) => `c${i}`), ...extra });

/** Exact optimum by enumerating every subset (tiny instances only). */
function bruteForce(instance: CoverageInstance, count: number): number {
  const n = instance.candidateCellOffsets.length - 1;
  let best = 0;
  const covered = new Uint8Array(instance.cellWeights.length);
  const walk = (start: number, left: number): void => {
    let value = 0;
    for (let j = 0; j < covered.length; j++) if (covered[j]! > 0 && instance.preCovered?.[j] !== 1) value += instance.cellWeights[j]!;
    best = Math.max(best, value);
    if (left === 0) return;
    for (let c = start; c < n; c++) {
      const cells = instance.candidateCells.subarray(instance.candidateCellOffsets[c]!, instance.candidateCellOffsets[c + 1]!);
      for (const j of cells) covered[j]!++;
      walk(c + 1, left - 1);
      for (const j of cells) covered[j]!--;
    }
  };
  walk(0, count);
  return best;
}

describe('planRollout on small instances with known answers', () => {
  it('orders sites by marginal residents, skips cells of existing sites and reports the curve', () => {
    const instance = buildCoverageInstance({
      cells: line([10, 20, 30, 40, 5, 5, 1, 1]),
      candidates: [cand('A', [0, 1, 2]), cand('B', [2, 3]), cand('C', [3, 4, 5]), cand('D', [6, 7]), cand('E', [1, 2, 3])],
      existingSites: [{ id: 'live-1', wardCode: 'W2', cellIds: ['c3'] }],
    });
    const plan = planRollout(instance, { budget: { count: 3 }, improvement: 'none' });
    expect(plan.existingResidents).toBe(40);
    expect(plan.totalResidents).toBe(112);
    expect(plan.sites.map((s) => [s.candidateId, s.marginalResidents, s.cumulativeResidents, s.reason])).toEqual([
      ['A', 60, 60, 'greedy'],
      ['C', 10, 70, 'greedy'],
      ['D', 2, 72, 'greedy'],
    ]);
    expect(plan.curve).toEqual([60, 70, 72]);
    expect(plan.newResidents).toBe(72);
    expect(plan.newResidentsByWard).toEqual({ W1: 60, W2: 12 });
    // nothing else adds residents: the bound proves the plan optimal
    expect(plan.upperBound).toBe(72);
    expect(plan.gapPct).toBe(0);
  });

  it('stops when no candidate adds residents and says so', () => {
    const instance = buildCoverageInstance({ cells: line([5, 5]), candidates: [cand('A', [0, 1]), cand('B', [0]), cand('C', [1])] });
    const plan = planRollout(instance, { budget: { count: 3 } });
    expect(plan.sites.map((s) => s.candidateId)).toEqual(['A']);
    expect(plan.warnings).toEqual(['only 1 of the 3 sites add residents or remain available; the plan stops there']);
  });

  it('never chooses an infeasible candidate', () => {
    const instance = buildCoverageInstance({ cells: line([50, 1, 1]), candidates: [cand('big', [0], { feasible: false }), cand('small', [1]), cand('tiny', [2])] });
    expect(planRollout(instance, { budget: { count: 1 } }).sites.map((s) => s.candidateId)).toEqual(['small']);
  });

  it('with a cost budget returns the better of the ratio and the plain-gain greedy', () => {
    // ratio greedy takes the cheap site A (2 per unit) and then cannot afford B; B alone is worth 10
    const instance = buildCoverageInstance({ cells: line([2, 10]), candidates: [cand('A', [0], { cost: 1 }), cand('B', [1], { cost: 10 })] });
    const plan = planRollout(instance, { budget: { cost: 10 }, improvement: 'none' });
    expect(plan.sites.map((s) => s.candidateId)).toEqual(['B']);
    expect(plan.rule).toBe('gain');
    expect(plan.totalCost).toBe(10);
    // and the ratio rule wins where cheap sites add up
    const cheap = buildCoverageInstance({
      cells: line([6, 6, 6, 10]),
      candidates: [cand('A', [0], { cost: 1 }), cand('B', [1], { cost: 1 }), cand('C', [2], { cost: 1 }), cand('D', [3], { cost: 3 })],
    });
    const ratio = planRollout(cheap, { budget: { cost: 3 }, improvement: 'none' });
    expect(ratio.rule).toBe('ratio');
    expect(ratio.newResidents).toBe(18);
  });

  it('bounds the optimum found by enumeration and stays within (1 - 1/e) of it', () => {
    for (let seed = 1; seed <= 15; seed++) {
      const instance = randomInstance({ seed, gridSize: 12, candidates: 12, radiusCells: 2.5, existingSites: 1 });
      for (const count of [2, 4]) {
        const opt = bruteForce(instance, count);
        const plan = planRollout(instance, { budget: { count }, improvement: 'none' });
        expect(plan.upperBound).toBeGreaterThanOrEqual(opt - 1e-6);
        expect(plan.newResidents).toBeLessThanOrEqual(opt + 1e-6);
        expect(plan.newResidents).toBeGreaterThanOrEqual((1 - 1 / Math.E) * opt);
        expect(plan.gapPct).toBeCloseTo((100 * (plan.upperBound - plan.newResidents)) / plan.upperBound, 9);
        const refined = planRollout(instance, { budget: { count } });
        expect(refined.newResidents).toBeGreaterThanOrEqual(plan.newResidents);
        expect(refined.upperBound).toBeGreaterThanOrEqual(opt - 1e-6);
      }
    }
  });
});

describe('lazy greedy (CELF) against plain greedy', () => {
  const cases: [string, PlanRolloutOptions][] = [
    ['count budget', { budget: { count: 25 } }],
    ['cost budget', { budget: { cost: 60 } }],
    ['count budget with 2 per ward', { budget: { count: 30 }, minimumPerWard: 2 }],
  ];
  for (const [name, options] of cases) {
    it(`chooses the same sites in the same order with far fewer evaluations: ${name}`, () => {
      const instance = randomInstance({ seed: 11, gridSize: 60, candidates: 400, radiusCells: 5, maxCost: 4, existingSites: 8, infeasibleShare: 0.1 });
      const lazy = planRollout(instance, { ...options, improvement: 'none' });
      const plain = planRollout(instance, { ...options, improvement: 'none', algorithm: 'plain-greedy' });
      expect(lazy.sites.map((s) => s.candidateId)).toEqual(plain.sites.map((s) => s.candidateId));
      expect(lazy.newResidents).toBeCloseTo(plain.newResidents, 6);
      expect(lazy.evaluations * 3).toBeLessThan(plain.evaluations);
    });
  }
});

describe('per-ward minimums', () => {
  const instance = randomInstance({ seed: 5, gridSize: 45, candidates: 180, radiusCells: 4, blocksPerSide: 3, existingSites: 6 });
  const wardCodes = instance.wardCodes!;

  it('meets every minimum first (existing sites count toward it), then adds the best sites', () => {
    const plan = planRollout(instance, { budget: { count: 30 }, minimumPerWard: 3 });
    expect(plan.warnings).toEqual([]);
    expect(plan.unmetWardMinimums).toEqual([]);
    wardCodes.forEach((code, w) => {
      const planned = plan.sites.filter((s) => s.wardCode === code).length;
      expect(planned + instance.existingSitesPerWard![w]!).toBeGreaterThanOrEqual(3);
    });
    const firstFree = plan.sites.findIndex((s) => s.reason === 'greedy');
    expect(plan.sites.slice(0, firstFree).every((s) => s.reason !== 'greedy')).toBe(true);
    expect(plan.sites).toHaveLength(30);
    const withoutMinimums = planRollout(instance, { budget: { count: 30 } });
    expect(plan.newResidents).toBeLessThanOrEqual(withoutMinimums.upperBound);
  });

  it('says when the budget cannot meet the minimums and returns the best partial plan', () => {
    const plan = planRollout(instance, { budget: { count: 10 }, minimumPerWard: 3 });
    expect(plan.sites).toHaveLength(10);
    expect(plan.sites.every((s) => s.reason !== 'greedy')).toBe(true);
    expect(plan.warnings[0]).toMatch(/budget of 10 site\(s\) cannot meet the ward minimums: \d+ more site\(s\) are needed/);
    expect(plan.unmetWardMinimums.length).toBeGreaterThan(0);
    for (const u of plan.unmetWardMinimums) expect(u.existing + u.planned).toBeLessThan(u.required);
  });

  it('warns about a ward with too few feasible candidates and a cost budget below the cheapest way', () => {
    const code = wardCodes[0]!;
    const plan = planRollout(instance, { budget: { cost: 5 }, wardMinimums: { [code]: 500 } });
    expect(plan.warnings.some((m) => m.startsWith(`ward ${code} needs`) && m.includes('feasible candidate'))).toBe(true);
    expect(plan.warnings.some((m) => m.startsWith('the cost budget of 5 cannot meet the ward minimums'))).toBe(true);
  });
});

describe('planner input checks', () => {
  it('rejects impossible budgets and unknown wards in minimums, naming the field', () => {
    const instance = randomInstance({ seed: 1, gridSize: 10, candidates: 10, radiusCells: 2 });
    expect(rejection(() => planRollout(instance, { budget: {} })).details).toEqual([{ path: 'budget', message: 'give a count of sites or a total cost' }]);
    expect(rejection(() => planRollout(instance, { budget: { count: -1 } })).details![0]!.path).toBe('budget.count');
    expect(rejection(() => planRollout(instance, { budget: { count: 2.5 } })).details![0]!.path).toBe('budget.count');
    expect(rejection(() => planRollout(instance, { budget: { cost: Number.NaN } })).details![0]!.path).toBe('budget.cost');
    expect(rejection(() => planRollout(instance, { budget: { count: 3 }, wardMinimums: { X: 1 } })).details![0]).toEqual({ path: 'wardMinimums.X', message: 'unknown ward code "X"' });
  });

  it('rejects duplicate ids, negative costs and bad residents, naming each entry', () => {
    const error = rejection(() =>
      buildCoverageInstance({
        cells: [{ id: 'a', residents: 1 }, { id: 'a', residents: 2 }, { id: 'b', residents: -3 }],
        candidates: [cand('A', []), cand('A', []), cand('B', [], { cost: -1 }), cand('', [])],
      }),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([
      { path: 'cells[1] (id a)', message: 'duplicate cell id, first at cells[0]' },
      { path: 'cells[2] (id b)', message: 'residents -3 is not a finite number >= 0' },
      { path: 'candidates[1] (id A)', message: 'duplicate candidate id, first at candidates[0]' },
      { path: 'candidates[2] (id B)', message: 'cost -1 is not a finite number >= 0' },
      { path: 'candidates[3]', message: 'id is empty' },
    ]);
  });

  it('rejects a malformed typed-array instance', () => {
    const bad: CoverageInstance = { cellWeights: new Float64Array(3), candidateCellOffsets: Uint32Array.of(0, 2), candidateCells: Uint32Array.of(0, 7) };
    expect(rejection(() => planRollout(bad, { budget: { count: 1 } })).message).toMatch(/cell index 7 .* not below the cell count 3/);
  });
});

describe('createRolloutPlanner', () => {
  it('plans repeatedly on one set-up with the same answers as planRollout, deterministically', () => {
    const instance = randomInstance({ seed: 21, gridSize: 40, candidates: 150, radiusCells: 4, maxCost: 3 });
    const planner = createRolloutPlanner(instance);
    for (const options of [{ budget: { count: 12 } }, { budget: { cost: 20 } }, { budget: { count: 20 }, minimumPerWard: 1 }]) {
      const a = planner.plan(options);
      expect(planner.plan(options)).toEqual(a);
      expect(planRollout(instance, options)).toEqual(a);
    }
  });

  it('handles an instance with no candidates or no residents', () => {
    const none = planRollout({ cellWeights: Float64Array.of(1, 2), candidateCellOffsets: Uint32Array.of(0), candidateCells: new Uint32Array(0) }, { budget: { count: 5 } });
    expect(none.sites).toEqual([]);
    expect(none.upperBound).toBe(0);
    const random = seeded(3);
    const empty = planRollout(
      { cellWeights: new Float64Array(4), candidateCellOffsets: Uint32Array.of(0, 2, 4), candidateCells: Uint32Array.from([0, 1, 2, 3].map(() => Math.floor(random() * 4))) },
      { budget: { count: 2 } },
    );
    expect(empty.newResidents).toBe(0);
    expect(empty.gapPct).toBe(0);
  });
});
