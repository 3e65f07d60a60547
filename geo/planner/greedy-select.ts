/**
 * One greedy run over a prepared instance: optional ward-minimum phase, then the free phase.
 *
 * Lazy greedy (CELF, Minoux 1978 / Leskovec et al. 2007): coverage is submodular, so a candidate's marginal
 * gain only shrinks as sites are added. Each candidate keeps the last gain computed for it (an upper bound
 * on its gain now) and the round it was computed in. The heap is ordered by that bound; when the top entry
 * was computed this round it beats every other candidate's bound and is chosen, otherwise it is re-evaluated
 * and sifted down. Plain greedy re-evaluates every candidate every round (the baseline).
 *
 * Marginal gain = sum of `residual` weights over the candidate's cells; chosen cells get residual 0.
 */
import { IndexMaxHeap } from './max-heap.ts';
import type { PreparedInstance } from './prepare-instance.ts';

export type GreedyRule = 'gain' | 'ratio';
export type GreedyAlgorithm = 'lazy-greedy' | 'plain-greedy';

export interface GreedyPick {
  candidate: number;
  gain: number;
  reason: 'ward-minimum' | 'greedy' | 'local-search';
}

export interface GreedyRun {
  picks: GreedyPick[];
  residual: Float64Array;
  /** Last computed gain per candidate and the pick count it was computed at. */
  bound: Float64Array;
  stamp: Int32Array;
  picked: Uint8Array;
  wardNeed: Int32Array;
  costLeft: number;
  countLeft: number;
  value: number;
  evaluations: number;
  /** The free phase stopped because no candidate adds residents. */
  exhausted: boolean;
  /** Heap left after the free phase (lazy only): remaining candidates with valid upper bounds. */
  heap: IndexMaxHeap | null;
}

export interface GreedyParams {
  rule: GreedyRule;
  algorithm: GreedyAlgorithm;
  countBudget: number;
  costBudget: number;
  /** Sites still needed per ward (copied). */
  wardNeed: Int32Array;
  /** Gains with respect to the existing sites only (shared, copied). */
  initialGain: Float64Array;
  /** Sites taken first, as given (a partial plan to complete), with their reasons. */
  fixed?: readonly { candidate: number; reason: GreedyPick['reason'] }[];
}

const COST_EPS = 1e-9;

function gainOf(inst: PreparedInstance, residual: Float64Array, c: number): number {
  const cells = inst.cells;
  let s = 0;
  for (let p = inst.offsets[c]!, end = inst.offsets[c + 1]!; p < end; p++) s += residual[cells[p]!]!;
  return s;
}

/** Gain of every candidate against the existing sites: one pass over the CSR. */
export function initialGains(inst: PreparedInstance): Float64Array {
  const out = new Float64Array(inst.candidateCount);
  for (let c = 0; c < inst.candidateCount; c++) out[c] = gainOf(inst, inst.residual, c);
  return out;
}

function keyOf(rule: GreedyRule, gain: number, cost: number): number {
  if (rule === 'gain') return gain;
  if (gain <= 0) return 0;
  return cost > 0 ? gain / cost : Infinity;
}

export function runGreedy(inst: PreparedInstance, params: GreedyParams): GreedyRun {
  const run: GreedyRun = {
    picks: [],
    residual: Float64Array.from(inst.residual),
    bound: Float64Array.from(params.initialGain),
    stamp: new Int32Array(inst.candidateCount),
    picked: new Uint8Array(inst.candidateCount),
    wardNeed: Int32Array.from(params.wardNeed),
    costLeft: params.costBudget,
    countLeft: params.countBudget,
    value: 0,
    evaluations: 0,
    exhausted: false,
    heap: null,
  };
  let totalNeed = 0;
  for (const need of run.wardNeed) totalNeed += Math.max(0, need);

  const select = (c: number, reason: GreedyPick['reason']): void => {
    const gain = run.bound[c]!;
    const cells = inst.cells;
    for (let p = inst.offsets[c]!, end = inst.offsets[c + 1]!; p < end; p++) run.residual[cells[p]!] = 0;
    run.picked[c] = 1;
    run.picks.push({ candidate: c, gain, reason });
    run.value += gain;
    run.countLeft--;
    run.costLeft -= inst.costs[c]!;
    const w = inst.wards[c]!;
    if (w >= 0 && run.wardNeed[w]! > 0) {
      run.wardNeed[w]!--;
      totalNeed--;
    }
  };
  const needy = (c: number): boolean => {
    const w = inst.wards[c]!;
    return w >= 0 && run.wardNeed[w]! > 0;
  };
  const affordable = (c: number): boolean => inst.costs[c]! <= run.costLeft + COST_EPS;

  for (const { candidate, reason } of params.fixed ?? []) {
    if (run.picked[candidate] === 1 || run.countLeft <= 0) continue;
    run.bound[candidate] = gainOf(inst, run.residual, candidate);
    run.evaluations++;
    select(candidate, reason);
  }
  // Phase 1: meet ward minimums with the best candidates of the wards still short.
  if (totalNeed > 0) {
    const eligible: number[] = [];
    for (let c = 0; c < inst.candidateCount; c++) if (inst.feasible[c] === 1 && needy(c)) eligible.push(c);
    phase(eligible, 'ward-minimum', () => totalNeed > 0, needy, 'take-zero-gain');
  }
  // Phase 2: free greedy over all remaining feasible candidates.
  const rest: number[] = [];
  for (let c = 0; c < inst.candidateCount; c++) if (inst.feasible[c] === 1 && run.picked[c] === 0) rest.push(c);
  run.heap = phase(rest, 'greedy', () => true, () => true, 'stop-at-zero-gain');
  return run;

  function phase(
    eligible: number[],
    reason: GreedyPick['reason'],
    wanted: () => boolean,
    allowed: (c: number) => boolean,
    zeroGain: 'take-zero-gain' | 'stop-at-zero-gain',
  ): IndexMaxHeap | null {
    if (params.algorithm === 'plain-greedy') {
      let pool = eligible;
      while (run.countLeft > 0 && wanted()) {
        let best = -1;
        let bestKey = -Infinity;
        const next: number[] = [];
        for (const c of pool) {
          if (run.picked[c] === 1 || !affordable(c) || !allowed(c)) continue;
          next.push(c);
          const g = gainOf(inst, run.residual, c);
          run.evaluations++;
          run.bound[c] = g;
          const key = keyOf(params.rule, g, inst.costs[c]!);
          if (key > bestKey) {
            bestKey = key;
            best = c;
          }
        }
        pool = next;
        if (best < 0) break;
        if (zeroGain === 'stop-at-zero-gain' && run.bound[best]! <= 0) {
          run.exhausted = true;
          break;
        }
        select(best, reason);
      }
      return null;
    }
    const heap = IndexMaxHeap.from(eligible, (c) => keyOf(params.rule, run.bound[c]!, inst.costs[c]!));
    while (run.countLeft > 0 && heap.size > 0 && wanted()) {
      const c = heap.peekId();
      if (!affordable(c) || !allowed(c)) {
        heap.pop(); // the budget only shrinks and a met minimum stays met
        continue;
      }
      if (run.stamp[c] !== run.picks.length) {
        const g = gainOf(inst, run.residual, c);
        run.evaluations++;
        run.bound[c] = g;
        run.stamp[c] = run.picks.length;
        heap.updateTop(keyOf(params.rule, g, inst.costs[c]!));
        continue;
      }
      if (zeroGain === 'stop-at-zero-gain' && run.bound[c]! <= 0) {
        run.exhausted = true;
        break;
      }
      heap.pop();
      select(c, reason);
    }
    if (reason === 'greedy' && heap.size === 0) run.exhausted = run.exhausted || run.countLeft > 0;
    return heap;
  }
}

/**
 * Exact marginal gains of the best `k` remaining candidates, found lazily from the heap left by a lazy
 * run: pop, refresh stale bounds, stop once k fresh entries are out (every other bound is below them).
 * Candidates with cost above `maxCost` are skipped. Consumes the heap.
 */
export function topFreshGains(inst: PreparedInstance, run: GreedyRun, k: number, maxCost: number): { gains: number[]; evaluations: number } {
  const heap = run.heap;
  const gains: number[] = [];
  let evaluations = 0;
  if (heap === null) return { gains, evaluations };
  while (gains.length < k && heap.size > 0) {
    const c = heap.peekId();
    if (inst.costs[c]! > maxCost + COST_EPS) {
      heap.pop();
      continue;
    }
    if (run.stamp[c] !== run.picks.length) {
      const g = gainOf(inst, run.residual, c);
      evaluations++;
      run.bound[c] = g;
      run.stamp[c] = run.picks.length;
      heap.updateTop(g);
      continue;
    }
    gains.push(run.bound[c]!);
    heap.pop();
  }
  return { gains, evaluations };
}

/** Exact marginal gains of every feasible, unchosen candidate, given residual weights (one pass over the CSR). */
export function allFreshGains(inst: PreparedInstance, residual: Float64Array, picked: Uint8Array): { gains: Float64Array; evaluations: number } {
  const gains = new Float64Array(inst.candidateCount);
  let evaluations = 0;
  for (let c = 0; c < inst.candidateCount; c++) {
    if (inst.feasible[c] !== 1 || picked[c] === 1) continue;
    gains[c] = gainOf(inst, residual, c);
    evaluations++;
  }
  return { gains, evaluations };
}
