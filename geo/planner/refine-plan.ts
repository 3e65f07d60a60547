/**
 * Improves a greedy plan without ever making it worse:
 * 1. swap local search (improve-by-swaps.ts) until no single swap helps;
 * 2. a few rounds of "ruin and recreate" (iterated local search): drop about a third of the sites, chosen by
 *    a seeded generator (same input, same plan), complete the rest again with the lazy greedy, swap-search,
 *    and keep the result when it covers more residents.
 * The number of rounds scales down with the instance (candidates x sites), so large instances spend their
 * time in the greedy only; `restarts` overrides it.
 */
import { runGreedy } from './greedy-select.ts';
import type { GreedyPick, GreedyRule } from './greedy-select.ts';
import { improveBySwaps } from './improve-by-swaps.ts';
import type { PreparedInstance } from './prepare-instance.ts';
import { seededRandom as seeded } from '../../core/seeded-random.ts';

export interface RefineParams {
  rule: GreedyRule;
  countBudget: number;
  costBudget: number;
  wardNeed: Int32Array;
  required: Int32Array;
  initialGain: Float64Array;
  /** Ruin-and-recreate rounds; default by size (see defaultRestarts). */
  restarts?: number;
}

export interface RefinedPlan {
  picks: { candidate: number; reason: GreedyPick['reason'] }[];
  value: number;
  swaps: number;
  restartsRun: number;
  restartsImproved: number;
  evaluations: number;
}

/** About two million candidate scans of swap search in all; at most 30 rounds. */
export function defaultRestarts(candidateCount: number, sites: number): number {
  return Math.max(0, Math.min(30, Math.floor(2_000_000 / Math.max(1, candidateCount * Math.max(1, sites))) - 1));
}

function valueOf(inst: PreparedInstance, chosen: readonly number[]): number {
  const residual = Float64Array.from(inst.residual);
  let value = 0;
  for (const c of chosen) {
    for (let p = inst.offsets[c]!; p < inst.offsets[c + 1]!; p++) {
      value += residual[inst.cells[p]!]!;
      residual[inst.cells[p]!] = 0;
    }
  }
  return value;
}


function swapSearch(
  inst: PreparedInstance,
  picks: { candidate: number; reason: GreedyPick['reason'] }[],
  params: RefineParams,
): { picks: { candidate: number; reason: GreedyPick['reason'] }[]; swaps: number; evaluations: number } {
  const result = improveBySwaps(inst, { chosen: picks.map((p) => p.candidate), costBudget: params.costBudget, required: params.required });
  const out = result.chosen.map((candidate, slot) => ({ candidate, reason: result.swappedSlots.has(slot) ? ('local-search' as const) : picks[slot]!.reason }));
  return { picks: out, swaps: result.swaps, evaluations: result.evaluations };
}

export function refinePlan(inst: PreparedInstance, start: readonly GreedyPick[], params: RefineParams): RefinedPlan {
  let evaluations = 0;
  const first = swapSearch(inst, start.map((p) => ({ candidate: p.candidate, reason: p.reason })), params);
  evaluations += first.evaluations;
  let best = first.picks;
  let bestValue = valueOf(inst, best.map((p) => p.candidate));
  let swaps = first.swaps;
  const restarts = params.restarts ?? defaultRestarts(inst.candidateCount, best.length);
  const random = seeded(0x5eed + best.length);
  let improved = 0;
  let run = 0;
  for (; run < restarts && best.length >= 2; run++) {
    const drop = Math.max(1, Math.round(best.length / 3));
    const dropped = new Set<number>();
    while (dropped.size < drop) dropped.add(Math.floor(random() * best.length));
    const kept = best.filter((_, slot) => !dropped.has(slot));
    const refill = runGreedy(inst, {
      rule: params.rule,
      algorithm: 'lazy-greedy',
      countBudget: params.countBudget,
      costBudget: params.costBudget,
      wardNeed: params.wardNeed,
      initialGain: params.initialGain,
      fixed: kept,
    });
    evaluations += refill.evaluations;
    const candidate = swapSearch(inst, refill.picks.map((p) => ({ candidate: p.candidate, reason: p.reason })), params);
    evaluations += candidate.evaluations;
    const value = valueOf(inst, candidate.picks.map((p) => p.candidate));
    if (value > bestValue * (1 + 1e-12)) {
      best = candidate.picks;
      bestValue = value;
      swaps += candidate.swaps;
      improved++;
    }
  }
  return { picks: best, value: bestValue, swaps, restartsRun: run, restartsImproved: improved, evaluations };
}
