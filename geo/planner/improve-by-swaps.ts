/**
 * Local search after the greedy: swap one chosen site for one unchosen candidate while that newly covers
 * more residents, keeping the budget (count, cost) and the ward minimums the greedy met. Greedy alone can
 * end a few percent below the optimum when sites overlap; one or two passes of swaps usually close most of
 * that gap. It never lowers the value, so every guarantee of the greedy still holds.
 *
 * Bookkeeping per pass, with a cell -> candidates index (the CSR transposed):
 * - cover[j]: chosen sites covering cell j; gain[x]: residents in cells of x that no chosen site covers.
 * - loss(s) = residents only s covers; swapping s for c gains gain[c] + bonus_s[c] - loss(s), where
 *   bonus_s[c] = residents c would take over from cells only s covers (found from s's cells via the index).
 * - an applied swap updates gain[] only for candidates touching the changed cells.
 */
import type { PreparedInstance } from './prepare-instance.ts';

export interface SwapParams {
  chosen: readonly number[];
  costBudget: number;
  /** Minimum sites (existing + new) per ward, aligned with wardCodes. */
  required: Int32Array;
  maxPasses?: number;
}

export interface SwapResult {
  /** Chosen candidates in the same slots as the input, swapped ones replaced. */
  chosen: number[];
  /** Slots whose candidate came in by a swap. */
  swappedSlots: Set<number>;
  swaps: number;
  /** Candidate scans done (for effort reporting). */
  evaluations: number;
}

const COST_EPS = 1e-9;

export function improveBySwaps(inst: PreparedInstance, params: SwapParams): SwapResult {
  const chosen = [...params.chosen];
  const swappedSlots = new Set<number>();
  const n = inst.candidateCount;
  if (chosen.length === 0 || n <= chosen.length) return { chosen, swappedSlots, swaps: 0, evaluations: 0 };
  const { offsets, cells, residual: w, costs, wards, feasible } = inst;

  // cell -> feasible candidates (transposed CSR), only for cells with residents
  const cellStart = new Uint32Array(inst.cellCount + 1);
  for (let c = 0; c < n; c++) {
    if (feasible[c] !== 1) continue;
    for (let p = offsets[c]!; p < offsets[c + 1]!; p++) if (w[cells[p]!]! > 0) cellStart[cells[p]! + 1]!++;
  }
  for (let j = 0; j < inst.cellCount; j++) cellStart[j + 1]! += cellStart[j]!;
  const fill = cellStart.slice(0, inst.cellCount);
  const cellCands = new Uint32Array(cellStart[inst.cellCount]!);
  for (let c = 0; c < n; c++) {
    if (feasible[c] !== 1) continue;
    for (let p = offsets[c]!; p < offsets[c + 1]!; p++) {
      const j = cells[p]!;
      if (w[j]! > 0) cellCands[fill[j]!++] = c;
    }
  }

  const isChosen = new Uint8Array(n);
  const cover = new Int32Array(inst.cellCount);
  const have = Int32Array.from(inst.existingPerWard);
  let costUsed = 0;
  for (const s of chosen) {
    isChosen[s] = 1;
    costUsed += costs[s]!;
    if (wards[s]! >= 0) have[wards[s]!]!++;
    for (let p = offsets[s]!; p < offsets[s + 1]!; p++) cover[cells[p]!]!++;
  }
  const gain = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    if (feasible[c] !== 1) continue;
    let g = 0;
    for (let p = offsets[c]!; p < offsets[c + 1]!; p++) if (cover[cells[p]!] === 0) g += w[cells[p]!]!;
    gain[c] = g;
  }

  const bonus = new Float64Array(n);
  const touched: number[] = [];
  let swaps = 0;
  let evaluations = 0;
  const maxPasses = params.maxPasses ?? 10;
  for (let pass = 0; pass < maxPasses; pass++) {
    let swapsThisPass = 0;
    for (let slot = 0; slot < chosen.length; slot++) {
      const s = chosen[slot]!;
      let loss = 0;
      for (let p = offsets[s]!; p < offsets[s + 1]!; p++) {
        const j = cells[p]!;
        if (cover[j] !== 1 || w[j]! <= 0) continue;
        loss += w[j]!;
        for (let q = cellStart[j]!; q < cellStart[j + 1]!; q++) {
          const x = cellCands[q]!;
          if (bonus[x] === 0) touched.push(x);
          bonus[x]! += w[j]!;
        }
      }
      const ws = wards[s]!;
      const lockedWard = ws >= 0 && have[ws]! <= params.required[ws]! ? ws : -2;
      const costRoom = params.costBudget - costUsed + costs[s]! + COST_EPS;
      let best = -1;
      let bestDelta = 1e-9 * Math.max(1, loss);
      for (let c = 0; c < n; c++) {
        if (feasible[c] !== 1 || isChosen[c] === 1 || costs[c]! > costRoom) continue;
        if (lockedWard !== -2 && wards[c] !== lockedWard) continue;
        const delta = gain[c]! + bonus[c]! - loss;
        if (delta > bestDelta) {
          bestDelta = delta;
          best = c;
        }
      }
      evaluations += n;
      for (const x of touched) bonus[x] = 0;
      touched.length = 0;
      if (best < 0) continue;

      // apply: s out, best in
      for (let p = offsets[s]!; p < offsets[s + 1]!; p++) {
        const j = cells[p]!;
        if (--cover[j]! === 0 && w[j]! > 0) for (let q = cellStart[j]!; q < cellStart[j + 1]!; q++) gain[cellCands[q]!]! += w[j]!;
      }
      for (let p = offsets[best]!; p < offsets[best + 1]!; p++) {
        const j = cells[p]!;
        if (cover[j]!++ === 0 && w[j]! > 0) for (let q = cellStart[j]!; q < cellStart[j + 1]!; q++) gain[cellCands[q]!]! -= w[j]!;
      }
      isChosen[s] = 0;
      isChosen[best] = 1;
      costUsed += costs[best]! - costs[s]!;
      if (ws >= 0) have[ws]!--;
      if (wards[best]! >= 0) have[wards[best]!]!++;
      chosen[slot] = best;
      swappedSlots.add(slot);
      swaps++;
      swapsThisPass++;
    }
    if (swapsThisPass === 0) break;
  }
  return { chosen, swappedSlots, swaps, evaluations };
}
