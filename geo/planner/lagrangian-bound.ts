/**
 * A Lagrangian upper bound on the optimum of the coverage problem, usually far tighter than the greedy's
 * online bound (it approaches the linear-programming relaxation).
 *
 * The integer program: max sum_j w_j y_j, y_j <= sum_{i covers j} x_i, budget on x. Moving the cover
 * constraints into the objective with multipliers 0 <= u_j <= w_j gives, for every u,
 *   OPT <= L(u) = sum_j (w_j - u_j) + max_{x within budget} sum_i x_i s_i(u),  s_i(u) = sum_{j in i} u_j,
 * where the inner max is the best `count` scores (count budget) or a fractional knapsack (cost budget; a
 * relaxation, so still an upper bound), whichever is smaller. Ward minimums are left out (a relaxation
 * again). u is improved by subgradient steps (Polyak step towards the plan's value, step factor halved
 * when 20 steps bring no progress). Any u gives a valid bound, so stopping early is safe.
 */
import type { PreparedInstance } from './prepare-instance.ts';

export interface LagrangianParams {
  countBudget: number;
  costBudget: number;
  /** Value of the best known plan (the target of the Polyak step). */
  lowerBound: number;
  maxIterations: number;
}

export function lagrangianBound(inst: PreparedInstance, params: LagrangianParams): number {
  const { offsets, cells, residual: w, costs, feasible } = inst;
  const candidates: number[] = [];
  for (let c = 0; c < inst.candidateCount; c++) if (feasible[c] === 1 && costs[c]! <= params.costBudget) candidates.push(c);
  if (candidates.length === 0) return 0;

  // u_j starts at w_j; only cells with residents that some candidate covers ever move.
  const u = Float64Array.from(w);
  const relevant: number[] = [];
  const seen = new Uint8Array(inst.cellCount);
  for (const c of candidates) {
    for (let p = offsets[c]!; p < offsets[c + 1]!; p++) {
      const j = cells[p]!;
      if (w[j]! > 0 && seen[j] === 0) {
        seen[j] = 1;
        relevant.push(j);
      }
    }
  }
  const score = new Float64Array(inst.candidateCount);
  const take = new Float64Array(inst.candidateCount);
  const count = new Float64Array(inst.cellCount);
  const order = candidates.slice();
  let best = Infinity;
  let lastBest = Infinity;
  let theta = 2;
  let sinceImproved = 0;

  for (let iter = 0; iter < params.maxIterations; iter++) {
    let constant = 0;
    for (const j of relevant) constant += w[j]! - u[j]!;
    for (const c of candidates) {
      let s = 0;
      for (let p = offsets[c]!; p < offsets[c + 1]!; p++) s += u[cells[p]!]!;
      score[c] = s;
      take[c] = 0;
    }
    // inner problem: best `count` scores and/or a fractional knapsack
    let inner = Infinity;
    let chosenBy: 'count' | 'cost' = 'count';
    if (params.countBudget < Number.MAX_SAFE_INTEGER) {
      order.sort((a, b) => score[b]! - score[a]!);
      let sum = 0;
      for (let k = 0; k < Math.min(params.countBudget, order.length); k++) sum += score[order[k]!]!;
      inner = sum;
    }
    if (params.costBudget !== Infinity) {
      const byRatio = candidates.slice().sort((a, b) => score[b]! / Math.max(costs[b]!, 1e-12) - score[a]! / Math.max(costs[a]!, 1e-12));
      let left = params.costBudget;
      let sum = 0;
      for (const c of byRatio) {
        if (score[c]! <= 0) break;
        const fraction = costs[c]! === 0 ? 1 : Math.min(1, left / costs[c]!);
        if (fraction <= 0) break;
        sum += fraction * score[c]!;
        left -= fraction * costs[c]!;
      }
      if (sum < inner) {
        inner = sum;
        chosenBy = 'cost';
        let room = params.costBudget;
        for (const c of byRatio) {
          if (score[c]! <= 0 || room <= 0) break;
          const fraction = costs[c]! === 0 ? 1 : Math.min(1, room / costs[c]!);
          take[c] = fraction;
          room -= fraction * costs[c]!;
        }
      }
    }
    if (chosenBy === 'count') for (let k = 0; k < Math.min(params.countBudget, order.length); k++) take[order[k]!] = 1;

    const value = constant + inner;
    if (value < best) best = value;
    if (lastBest === Infinity || value < lastBest - 1e-9 * Math.max(1, lastBest)) {
      lastBest = value;
      sinceImproved = 0;
    } else if (++sinceImproved >= 20) {
      theta /= 2;
      sinceImproved = 0;
    }
    if (theta < 1e-4 || best - params.lowerBound <= 1e-7 * Math.max(1, best)) break;

    // subgradient: (cover count by the inner choice) - 1, per relevant cell
    for (const j of relevant) count[j] = 0;
    for (const c of candidates) {
      const t = take[c]!;
      if (t === 0) continue;
      for (let p = offsets[c]!; p < offsets[c + 1]!; p++) count[cells[p]!]! += t;
    }
    let norm = 0;
    for (const j of relevant) norm += (count[j]! - 1) ** 2;
    if (norm === 0) break;
    const step = (theta * Math.max(value - params.lowerBound, 1e-9 * Math.max(1, value))) / norm;
    for (const j of relevant) {
      const next = u[j]! - step * (count[j]! - 1);
      u[j] = next < 0 ? 0 : next > w[j]! ? w[j]! : next;
    }
  }
  return best;
}
