/**
 * The rollout planner's data: a weighted maximum-coverage instance in flat typed arrays.
 * Candidate -> covered cells is a CSR (compressed sparse row) layout: the cells of candidate c are
 * `candidateCells[candidateCellOffsets[c] .. candidateCellOffsets[c + 1])`.
 */
export interface CoverageInstance {
  /** Residents (or any demand weight >= 0) per demand cell. */
  cellWeights: Float64Array;
  /** Ward index per cell (into wardCodes), -1 for none. Optional; used for per-ward reporting. */
  cellWards?: Int32Array;
  /** CSR offsets, length = candidates + 1. */
  candidateCellOffsets: Uint32Array;
  /** CSR cell indices. */
  candidateCells: Uint32Array;
  /** Cost per candidate (>= 0); default 1. */
  candidateCosts?: Float64Array;
  /** Ward index per candidate (into wardCodes), -1 for none. Needed for per-ward minimums. */
  candidateWards?: Int32Array;
  /** 1 = may be chosen; default all. */
  candidateFeasible?: Uint8Array;
  /** 1 = already covered by an existing (fixed) site; such cells add nothing. */
  preCovered?: Uint8Array;
  /** Existing sites per ward (aligned with wardCodes); they count toward per-ward minimums. */
  existingSitesPerWard?: Int32Array;
  wardCodes?: readonly string[];
  /** Ids for the output; default the index as text. */
  candidateIds?: readonly string[];
}

export interface PlanBudget {
  /** Number of new sites. */
  count?: number;
  /** Total cost of new sites (same unit as candidate costs). */
  cost?: number;
}

export interface PlanRolloutOptions {
  /** At least one of count or cost. */
  budget: PlanBudget;
  /** Minimum sites (existing + new) per ward, by ward code; overrides minimumPerWard. */
  wardMinimums?: Readonly<Record<string, number>>;
  /** Minimum sites (existing + new) for every ward in wardCodes, e.g. 10 per kelurahan. */
  minimumPerWard?: number;
  /** 'lazy-greedy' (CELF, default) or 'plain-greedy' (re-evaluates every candidate each round; a baseline). */
  algorithm?: 'lazy-greedy' | 'plain-greedy';
  /**
   * 'local-search': after the greedy, swap single sites while that covers more residents, then a few seeded
   * ruin-and-recreate rounds (refine-plan.ts); 'none': the greedy's plan as it is; 'auto' (default):
   * local search when the instance has at most LOCAL_SEARCH_AUTO_MAX_ENTRIES candidate->cell entries
   * (its index costs about 60 ms per million entries), else none.
   */
  improvement?: 'auto' | 'local-search' | 'none';
  /**
   * 'online': the greedy's own bounds only (free); 'lagrangian': also the Lagrangian bound (subgradient,
   * up to 300 passes over the instance); 'auto' (default): lagrangian up to LOCAL_SEARCH_AUTO_MAX_ENTRIES.
   */
  bound?: 'auto' | 'lagrangian' | 'online';
  /** Ruin-and-recreate rounds of the local search; default scales down with candidates x sites (0 for large). */
  restarts?: number;
}

export interface PlannedSite {
  /** Order of choice, 1-based. */
  rank: number;
  candidateIndex: number;
  candidateId: string;
  wardCode: string | null;
  cost: number;
  /** Residents this site newly covers, given the sites before it. */
  marginalResidents: number;
  cumulativeResidents: number;
  cumulativeCost: number;
  /**
   * 'ward-minimum': chosen to meet a ward's minimum; 'greedy': chosen for the most new residents;
   * 'local-search': put in this slot by the local search (the plan covers more in total).
   */
  reason: 'ward-minimum' | 'greedy' | 'local-search';
}

export interface UnmetWardMinimum {
  wardCode: string;
  required: number;
  existing: number;
  planned: number;
}

export interface RolloutPlan {
  sites: PlannedSite[];
  /** Residents covered by new sites after 1, 2, ... sites (same as sites[i].cumulativeResidents). */
  curve: number[];
  /** Residents newly covered by the plan (the objective). */
  newResidents: number;
  /** Residents already covered by existing sites. */
  existingResidents: number;
  /** Residents in all demand cells. */
  totalResidents: number;
  totalCost: number;
  /**
   * No plan within the budget can newly cover more residents than this (an upper bound on the optimum).
   * The smaller of: the online bound value + best marginal gains at the end (Minoux / Leskovec et al.), and,
   * for a pure count budget without minimums, value / (1 - 1/e).
   */
  upperBound: number;
  /** 100 * (upperBound - newResidents) / upperBound; 0 when upperBound is 0. The true gap is at most this. */
  gapPct: number;
  /** Which greedy produced the plan: by marginal residents ('gain') or by residents per cost ('ratio'). */
  rule: 'gain' | 'ratio';
  algorithm: 'lazy-greedy' | 'plain-greedy';
  /** Residents newly covered by the greedy before the local search; swaps and restarts that helped. */
  greedyResidents: number;
  swaps: number;
  restartsImproved: number;
  newResidentsByWard: Record<string, number>;
  unmetWardMinimums: UnmetWardMinimum[];
  warnings: string[];
  /** Marginal-gain evaluations (each a pass over one candidate's cells). */
  evaluations: number;
}
