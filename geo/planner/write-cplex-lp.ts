/**
 * Writes the planner's problem as an integer program in CPLEX LP format (readable by GLPK `glpsol --lp`,
 * CBC, HiGHS), for an exact cross-check or an offline solve:
 *
 *   maximise   sum_j w_j y_j                       (cells not covered by existing sites, w_j > 0)
 *   subject to y_j <= sum_{i covers j} x_i         for each such cell
 *              sum_i x_i <= count                   (count budget)
 *              sum_i cost_i x_i <= cost             (cost budget)
 *              sum_{i in ward} x_i >= min(need_w, feasible candidates in w)   (ward minimums)
 *              0 <= y_j <= 1, x_i binary, infeasible candidates left out
 *
 * A ward whose minimum the budget cannot meet makes the program infeasible (the planner instead returns
 * a partial plan with a warning). Variable x<i> is candidate index i, y<j> is cell index j.
 */
import { prepareInstance } from './prepare-instance.ts';
import type { CoverageInstance, PlanRolloutOptions } from './types.ts';

function num(value: number): string {
  return String(value);
}

/** Joins terms into lines of at most ~10 terms (LP readers limit line length). */
function wrap(terms: string[], indent = '   '): string {
  const lines: string[] = [];
  for (let i = 0; i < terms.length; i += 10) lines.push(indent + terms.slice(i, i + 10).join(' '));
  return lines.join('\n');
}

function signed(terms: { coef: number; name: string }[]): string[] {
  return terms.map(({ coef, name }, k) => {
    const sign = coef < 0 ? '-' : k === 0 ? '' : '+';
    const abs = Math.abs(coef);
    return `${sign} ${abs === 1 ? '' : `${num(abs)} `}${name}`.trim();
  });
}

export function writeCplexLp(instance: CoverageInstance, options: PlanRolloutOptions): string {
  const inst = prepareInstance(instance);
  const coveredBy: number[][] = Array.from({ length: inst.cellCount }, () => []);
  for (let c = 0; c < inst.candidateCount; c++) {
    if (inst.feasible[c] !== 1) continue;
    for (let p = inst.offsets[c]!; p < inst.offsets[c + 1]!; p++) {
      const cell = inst.cells[p]!;
      if (inst.residual[cell]! > 0) coveredBy[cell]!.push(c);
    }
  }
  const usedCells: number[] = [];
  for (let j = 0; j < inst.cellCount; j++) if (coveredBy[j]!.length > 0) usedCells.push(j);
  const candidates: number[] = [];
  for (let c = 0; c < inst.candidateCount; c++) if (inst.feasible[c] === 1) candidates.push(c);

  const out: string[] = ['\\ Jangkau rollout planner: weighted maximum coverage', 'Maximize'];
  const objective = usedCells.map((j) => ({ coef: inst.residual[j]!, name: `y${j}` }));
  out.push(` obj:\n${objective.length > 0 ? wrap(signed(objective)) : '   0 x0'}`);
  out.push('Subject To');
  for (const j of usedCells) {
    const terms = [{ coef: 1, name: `y${j}` }, ...coveredBy[j]!.map((c) => ({ coef: -1, name: `x${c}` }))];
    out.push(` cell${j}:\n${wrap(signed(terms))} <= 0`);
  }
  if (candidates.length > 0 && options.budget.count !== undefined) {
    out.push(` count:\n${wrap(signed(candidates.map((c) => ({ coef: 1, name: `x${c}` }))))} <= ${options.budget.count}`);
  }
  if (candidates.length > 0 && options.budget.cost !== undefined) {
    const terms = candidates.filter((c) => inst.costs[c]! !== 0).map((c) => ({ coef: inst.costs[c]!, name: `x${c}` }));
    if (terms.length > 0) out.push(` cost:\n${wrap(signed(terms))} <= ${num(options.budget.cost)}`);
  }
  inst.wardCodes.forEach((code, w) => {
    const required = options.wardMinimums?.[code] ?? options.minimumPerWard ?? 0;
    const members = candidates.filter((c) => inst.wards[c] === w);
    const need = Math.min(Math.max(0, required - inst.existingPerWard[w]!), members.length);
    if (need > 0) out.push(` ward${w}:\n${wrap(signed(members.map((c) => ({ coef: 1, name: `x${c}` }))))} >= ${need}`);
  });
  out.push('Bounds');
  for (const j of usedCells) out.push(` 0 <= y${j} <= 1`);
  if (candidates.length === 0) out.push(' x0 = 0');
  out.push('Binary');
  out.push(candidates.length > 0 ? wrap(candidates.map((c) => `x${c}`)) : '   x0');
  out.push('End', '');
  return out.join('\n');
}
