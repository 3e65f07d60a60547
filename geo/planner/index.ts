export { createRolloutPlanner, LOCAL_SEARCH_AUTO_MAX_ENTRIES, planRollout } from './plan-rollout.ts';
export type { RolloutPlanner } from './plan-rollout.ts';
export { buildCoverageInstance } from './build-coverage-instance.ts';
export type { CandidateInput, CoverageInstanceInput, DemandCellInput, ExistingSiteInput } from './build-coverage-instance.ts';
export { writeCplexLp } from './write-cplex-lp.ts';
export type {
  CoverageInstance,
  PlanBudget,
  PlannedSite,
  PlanRolloutOptions,
  RolloutPlan,
  UnmetWardMinimum,
} from './types.ts';
