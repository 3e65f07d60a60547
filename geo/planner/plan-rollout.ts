/**
 * planRollout: choose new sites that newly cover the most residents within a budget, optionally first
 * meeting per-ward minimums. Pure and deterministic (ties go to the lower candidate index).
 *
 * Method
 * - Count budget: lazy greedy by marginal residents; (1 - 1/e) of the optimum is guaranteed when there are
 *   no ward minimums (Nemhauser, Wolsey, Fisher 1978).
 * - Cost budget: two lazy greedy runs, one by residents per cost and one by residents alone (each skipping
 *   sites that no longer fit); the better is returned. That pair is guaranteed 1/2 (1 - 1/e) of the optimum
 *   (Krause & Guestrin 2005; Leskovec et al. 2007, "CELF"); the gain run also contains the best single site.
 * - Ward minimums (existing sites count toward them): first, among the wards still short, the candidate with
 *   the best marginal value is taken, again and again, until every minimum is met; then the free greedy.
 *   If the budget or a ward's candidates cannot meet the minimums, the best partial plan is returned with
 *   warnings and `unmetWardMinimums`.
 * - Then a local search (refine-plan.ts): swap one chosen site for one unchosen candidate while that covers
 *   more residents within the same budget and minimums, plus seeded ruin-and-recreate rounds on small
 *   instances. It never lowers the value. By default only on instances up to 1M candidate->cell entries
 *   (a few thousand candidates), where it costs little; `improvement` forces it on or off.
 * - Bound: submodularity gives OPT <= f(S) + sum of the marginal gains, given S, of the sites in OPT. So
 *   OPT <= f(S) + (the best `count` marginal gains) and <= f(S) + (a fractional knapsack of marginal gains
 *   within the cost budget). For a count budget, also OPT <= f(S_i) + count x (gain of pick i+1) at every
 *   free greedy step i, and, without minimums, OPT <= f(S) / (1 - 1/e). On instances up to 1M entries
 *   (or with `bound: 'lagrangian'`), also a Lagrangian bound (lagrangian-bound.ts), close to the LP bound.
 *   `upperBound` is the smallest that applies; `gapPct` the worst-case distance from the optimum.
 */
import { AppError } from '../../core/errors.ts';
import type { ErrorDetail } from '../../core/errors.ts';
import { allFreshGains, initialGains, runGreedy, topFreshGains } from './greedy-select.ts';
import type { GreedyRule, GreedyRun } from './greedy-select.ts';
import { lagrangianBound } from './lagrangian-bound.ts';
import { prepareInstance } from './prepare-instance.ts';
import { refinePlan } from './refine-plan.ts';
import type { PreparedInstance } from './prepare-instance.ts';
import type { CoverageInstance, PlannedSite, PlanRolloutOptions, RolloutPlan, UnmetWardMinimum } from './types.ts';

const GREEDY_FACTOR = 1 - 1 / Math.E;
/** Largest instance (candidate -> cell entries) on which `improvement: 'auto'` runs the local search. */
export const LOCAL_SEARCH_AUTO_MAX_ENTRIES = 1_000_000;

function checkOptions(options: PlanRolloutOptions, wardCodes: readonly string[]): void {
  const details: ErrorDetail[] = [];
  const { count, cost } = options.budget ?? {};
  if (count === undefined && cost === undefined) details.push({ path: 'budget', message: 'give a count of sites or a total cost' });
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) details.push({ path: 'budget.count', message: `${count} is not a whole number >= 0` });
  if (cost !== undefined && !(Number.isFinite(cost) && cost >= 0)) details.push({ path: 'budget.cost', message: `${cost} is not a finite number >= 0` });
  const perWard = options.minimumPerWard;
  if (perWard !== undefined && !(Number.isInteger(perWard) && perWard >= 0)) {
    details.push({ path: 'minimumPerWard', message: `${perWard} is not a whole number >= 0` });
  }
  const known = new Set(wardCodes);
  for (const [code, min] of Object.entries(options.wardMinimums ?? {})) {
    if (!known.has(code)) details.push({ path: `wardMinimums.${code}`, message: `unknown ward code "${code}"` });
    if (!(Number.isInteger(min) && min >= 0)) details.push({ path: `wardMinimums.${code}`, message: `${min} is not a whole number >= 0` });
  }
  if (details.length > 0) {
    throw new AppError('validation_failed', `Plan options rejected: ${details[0]!.path}: ${details[0]!.message}`, { details });
  }
}

/** Sites still needed per ward after the existing ones; warnings for wards without enough candidates. */
function wardNeeds(inst: PreparedInstance, options: PlanRolloutOptions, warnings: string[]): { need: Int32Array; required: Int32Array } {
  const n = inst.wardCodes.length;
  const required = new Int32Array(n);
  const need = new Int32Array(n);
  const feasiblePerWard = new Int32Array(n);
  for (let c = 0; c < inst.candidateCount; c++) {
    const w = inst.wards[c]!;
    if (w >= 0 && inst.feasible[c] === 1) feasiblePerWard[w]!++;
  }
  for (let w = 0; w < n; w++) {
    const code = inst.wardCodes[w]!;
    required[w] = options.wardMinimums?.[code] ?? options.minimumPerWard ?? 0;
    need[w] = Math.max(0, required[w]! - inst.existingPerWard[w]!);
    if (need[w]! > feasiblePerWard[w]!) {
      warnings.push(`ward ${code} needs ${need[w]} more site(s) for its minimum of ${required[w]} but has only ${feasiblePerWard[w]} feasible candidate(s)`);
    }
  }
  return { need, required };
}

function budgetWarnings(inst: PreparedInstance, need: Int32Array, countBudget: number, costBudget: number, warnings: string[]): void {
  let totalNeed = 0;
  let cheapestCost = 0;
  const costsByWard: number[][] = inst.wardCodes.map(() => []);
  for (let c = 0; c < inst.candidateCount; c++) {
    const w = inst.wards[c]!;
    if (w >= 0 && inst.feasible[c] === 1 && need[w]! > 0) costsByWard[w]!.push(inst.costs[c]!);
  }
  need.forEach((n, w) => {
    if (n <= 0) return;
    totalNeed += n;
    const costs = costsByWard[w]!.sort((a, b) => a - b);
    for (let i = 0; i < Math.min(n, costs.length); i++) cheapestCost += costs[i]!;
  });
  if (totalNeed > countBudget) {
    warnings.push(`the budget of ${countBudget} site(s) cannot meet the ward minimums: ${totalNeed} more site(s) are needed; the plan is the best partial one`);
  }
  if (costBudget !== Infinity && cheapestCost > costBudget) {
    warnings.push(`the cost budget of ${costBudget} cannot meet the ward minimums: the cheapest way costs ${cheapestCost}; the plan is the best partial one`);
  }
}

/** OPT <= value + best marginal gains within the budget (top `count`, and a fractional knapsack for cost). */
function boundFrom(value: number, gains: Float64Array, costs: Float64Array, options: PlanRolloutOptions, countBudget: number, costBudget: number): number {
  let bound = Infinity;
  if (options.budget.cost !== undefined) bound = Math.min(bound, value + knapsackBound(gains, costs, costBudget));
  if (options.budget.count !== undefined) {
    const sorted = Array.from(gains).sort((a, b) => b - a);
    let sum = 0;
    for (let i = 0; i < Math.min(countBudget, sorted.length); i++) sum += sorted[i]!;
    bound = Math.min(bound, value + sum);
  }
  return bound;
}

function unmetCount(run: GreedyRun): number {
  let n = 0;
  for (const need of run.wardNeed) n += Math.max(0, need);
  return n;
}

/** Fractional knapsack of gains within a cost capacity: an upper bound on any integral choice. */
function knapsackBound(gains: Float64Array, costs: Float64Array, capacity: number): number {
  const items: number[] = [];
  let free = 0;
  for (let c = 0; c < gains.length; c++) {
    if (gains[c]! <= 0 || costs[c]! > capacity) continue;
    if (costs[c]! === 0) free += gains[c]!;
    else items.push(c);
  }
  items.sort((a, b) => gains[b]! / costs[b]! - gains[a]! / costs[a]!);
  let left = capacity;
  let total = free;
  for (const c of items) {
    if (left <= 0) break;
    const take = Math.min(1, left / costs[c]!);
    total += take * gains[c]!;
    left -= take * costs[c]!;
  }
  return total;
}

export interface RolloutPlanner {
  candidateCount: number;
  cellCount: number;
  /** Plans on the prepared instance; call as often as needed (what-ifs with other budgets or minimums). */
  plan(options: PlanRolloutOptions): RolloutPlan;
}

/** Set-up once (checks, existing coverage, every candidate's gain), then plan many times. */
export function createRolloutPlanner(instance: CoverageInstance): RolloutPlanner {
  const inst = prepareInstance(instance);
  const initialGain = initialGains(inst);
  return {
    candidateCount: inst.candidateCount,
    cellCount: inst.cellCount,
    plan: (options: PlanRolloutOptions): RolloutPlan => planPrepared(inst, initialGain, options),
  };
}

export function planRollout(instance: CoverageInstance, options: PlanRolloutOptions): RolloutPlan {
  return createRolloutPlanner(instance).plan(options);
}

function planPrepared(inst: PreparedInstance, initialGain: Float64Array, options: PlanRolloutOptions): RolloutPlan {
  checkOptions(options, inst.wardCodes);
  const algorithm = options.algorithm ?? 'lazy-greedy';
  const countBudget = options.budget.count ?? Number.MAX_SAFE_INTEGER;
  const costBudget = options.budget.cost ?? Infinity;
  const warnings: string[] = [];
  const { need, required } = wardNeeds(inst, options, warnings);
  const hasMinimums = need.some((n) => n > 0);
  budgetWarnings(inst, need, countBudget, costBudget, warnings);

  let evaluations = 0;
  const rules: GreedyRule[] = options.budget.cost !== undefined ? ['ratio', 'gain'] : ['gain'];
  let best: { run: GreedyRun; rule: GreedyRule } | null = null;
  for (const rule of rules) {
    const run = runGreedy(inst, { rule, algorithm, countBudget, costBudget, wardNeed: need, initialGain });
    evaluations += run.evaluations;
    if (best === null) {
      best = { run, rule };
      continue;
    }
    const fewerUnmet = unmetCount(run) < unmetCount(best.run);
    const sameUnmet = unmetCount(run) === unmetCount(best.run);
    if (fewerUnmet || (sameUnmet && run.value > best.run.value)) best = { run, rule };
  }
  const { run, rule } = best!;

  // Upper bound on the optimum, from the greedy's set (any set S gives a valid bound).
  let upperBound = Infinity;
  if (options.budget.cost === undefined && algorithm === 'lazy-greedy') {
    const top = topFreshGains(inst, run, countBudget, costBudget);
    evaluations += top.evaluations;
    upperBound = run.value + top.gains.reduce((a, b) => a + b, 0);
  } else {
    const fresh = allFreshGains(inst, run.residual, run.picked);
    evaluations += fresh.evaluations;
    upperBound = Math.min(upperBound, boundFrom(run.value, fresh.gains, inst.costs, options, countBudget, costBudget));
  }
  if (options.budget.cost === undefined && rule === 'gain') {
    // Each free-phase pick had the largest marginal gain of all, so before it OPT <= f(S_i) + count x gain.
    let before = 0;
    for (const pick of run.picks) {
      if (pick.reason === 'greedy') upperBound = Math.min(upperBound, before + countBudget * pick.gain);
      before += pick.gain;
    }
  }
  if (options.budget.cost === undefined && !hasMinimums && run.picks.length === countBudget) {
    upperBound = Math.min(upperBound, run.value / GREEDY_FACTOR);
  }

  // Local search, then the final order: the greedy's slots, a swapped-in site taking its predecessor's slot.
  let finalPicks: { candidate: number; reason: PlannedSite['reason'] }[] = run.picks;
  let swaps = 0;
  let restartsImproved = 0;
  const improvement = options.improvement ?? 'auto';
  if (improvement === 'local-search' || (improvement === 'auto' && inst.cells.length <= LOCAL_SEARCH_AUTO_MAX_ENTRIES)) {
    const refined = refinePlan(inst, run.picks, {
      rule, countBudget, costBudget, wardNeed: need, required, initialGain,
      ...(options.restarts === undefined ? {} : { restarts: options.restarts }),
    });
    evaluations += refined.evaluations;
    if (refined.value > run.value) {
      finalPicks = refined.picks;
      swaps = refined.swaps;
      restartsImproved = refined.restartsImproved;
    }
  }
  const chosen = finalPicks.map((p) => p.candidate);
  const reasons = finalPicks.map((p) => p.reason);
  // The greedy's own residual serves when the local search kept its plan (saves a pass over every cell).
  const reuse = finalPicks === run.picks;
  const residual = reuse ? run.residual : Float64Array.from(inst.residual);
  const picked = reuse ? run.picked : new Uint8Array(inst.candidateCount);
  const sites: PlannedSite[] = [];
  let cumulativeResidents = 0;
  let cumulativeCost = 0;
  chosen.forEach((c, i) => {
    let gain = reuse ? run.picks[i]!.gain : 0;
    if (!reuse) {
      for (let p = inst.offsets[c]!; p < inst.offsets[c + 1]!; p++) {
        const cell = inst.cells[p]!;
        gain += residual[cell]!;
        residual[cell] = 0;
      }
      picked[c] = 1;
    }
    cumulativeResidents += gain;
    cumulativeCost += inst.costs[c]!;
    const w = inst.wards[c]!;
    sites.push({
      rank: i + 1,
      candidateIndex: c,
      candidateId: inst.candidateId(c),
      wardCode: w >= 0 ? inst.wardCodes[w]! : null,
      cost: inst.costs[c]!,
      marginalResidents: gain,
      cumulativeResidents,
      cumulativeCost,
      reason: reasons[i]!,
    });
  });
  const value = cumulativeResidents;
  if (finalPicks !== run.picks) {
    const fresh = allFreshGains(inst, residual, picked);
    evaluations += fresh.evaluations;
    upperBound = Math.min(upperBound, boundFrom(value, fresh.gains, inst.costs, options, countBudget, costBudget));
  }
  const boundMode = options.bound ?? 'auto';
  if (boundMode === 'lagrangian' || (boundMode === 'auto' && inst.cells.length <= LOCAL_SEARCH_AUTO_MAX_ENTRIES)) {
    const maxIterations = Math.max(10, Math.min(300, Math.floor(30_000_000 / Math.max(1, inst.cells.length))));
    upperBound = Math.min(upperBound, lagrangianBound(inst, { countBudget, costBudget, lowerBound: value, maxIterations }));
  }
  upperBound = Math.max(upperBound, value);

  const newResidentsByWard: Record<string, number> = {};
  if (inst.cellWards !== null) {
    for (let i = 0; i < inst.cellCount; i++) {
      const gained = inst.residual[i]! - residual[i]!;
      const w: number = inst.cellWards[i]!;
      if (gained > 0 && w >= 0) {
        const code = inst.wardCodes[w]!;
        newResidentsByWard[code] = (newResidentsByWard[code] ?? 0) + gained;
      }
    }
  }

  const unmetWardMinimums: UnmetWardMinimum[] = [];
  const plannedPerWard = new Int32Array(inst.wardCodes.length);
  for (const c of chosen) if (inst.wards[c]! >= 0) plannedPerWard[inst.wards[c]!]!++;
  required.forEach((min, w) => {
    const existing = inst.existingPerWard[w]!;
    if (existing + plannedPerWard[w]! < min) {
      unmetWardMinimums.push({ wardCode: inst.wardCodes[w]!, required: min, existing, planned: plannedPerWard[w]! });
    }
  });
  if (unmetWardMinimums.length > 0 && !warnings.some((m) => m.includes('minimum'))) {
    warnings.push(`${unmetWardMinimums.length} ward(s) stay below their minimum`);
  }
  if (run.exhausted && run.countLeft > 0 && options.budget.count !== undefined) {
    warnings.push(`only ${run.picks.length} of the ${options.budget.count} sites add residents or remain available; the plan stops there`);
  }

  return {
    sites,
    curve: sites.map((s) => s.cumulativeResidents),
    newResidents: value,
    existingResidents: inst.existingResidents,
    totalResidents: inst.totalResidents,
    totalCost: cumulativeCost,
    upperBound,
    gapPct: upperBound > 0 ? (100 * (upperBound - value)) / upperBound : 0,
    rule,
    algorithm,
    greedyResidents: run.value,
    swaps,
    restartsImproved,
    newResidentsByWard,
    unmetWardMinimums,
    warnings,
    evaluations,
  };
}
