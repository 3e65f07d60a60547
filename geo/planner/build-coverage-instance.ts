/**
 * Builds a CoverageInstance from id-keyed records (what a server or the coverage module has at hand):
 * demand cells with residents and ward code, candidate sites with their covered cell ids, and existing
 * live sites whose cells count as covered already.
 *
 * Cell ids a candidate lists that are not among the demand cells are ignored (they hold no residents,
 * e.g. sea); a cell listed twice by one candidate counts once. Rejects, naming each entry: duplicate
 * candidate or cell ids, empty ids, negative or non-finite residents or costs.
 */
import { AppError } from '../../core/errors.ts';
import type { ErrorDetail } from '../../core/errors.ts';
import type { CoverageInstance } from './types.ts';

export interface DemandCellInput {
  id: string;
  residents: number;
  wardCode?: string | null;
}

export interface CandidateInput {
  id: string;
  /** Default 1. */
  cost?: number;
  wardCode?: string | null;
  /** Default true. */
  feasible?: boolean;
  cellIds: readonly string[];
}

export interface ExistingSiteInput {
  id: string;
  wardCode?: string | null;
  cellIds: readonly string[];
}

export interface CoverageInstanceInput {
  cells: readonly DemandCellInput[];
  candidates: readonly CandidateInput[];
  existingSites?: readonly ExistingSiteInput[];
  /** Ward codes that exist even with no cell or candidate (e.g. all imported wards, for minimums). */
  wardCodes?: readonly string[];
}

const MAX_DETAILS = 100;

export function buildCoverageInstance(input: CoverageInstanceInput): CoverageInstance {
  const details: ErrorDetail[] = [];
  const fail = (path: string, message: string): void => {
    if (details.length < MAX_DETAILS) details.push({ path, message });
  };
  const wardIndex = new Map<string, number>();
  const wardCodes: string[] = [];
  const wardOf = (code: string | null | undefined): number => {
    if (code === null || code === undefined || code === '') return -1;
    let w = wardIndex.get(code);
    if (w === undefined) {
      w = wardCodes.length;
      wardIndex.set(code, w);
      wardCodes.push(code);
    }
    return w;
  };
  for (const code of input.wardCodes ?? []) wardOf(code);

  const cellIndex = new Map<string, number>();
  const cellWeights = new Float64Array(input.cells.length);
  const cellWards = new Int32Array(input.cells.length);
  input.cells.forEach((cell, i) => {
    if (typeof cell.id !== 'string' || cell.id === '') fail(`cells[${i}]`, 'id is empty');
    else if (cellIndex.has(cell.id)) fail(`cells[${i}] (id ${cell.id})`, `duplicate cell id, first at cells[${cellIndex.get(cell.id)}]`);
    else cellIndex.set(cell.id, i);
    if (!(Number.isFinite(cell.residents) && cell.residents >= 0)) fail(`cells[${i}] (id ${cell.id})`, `residents ${cell.residents} is not a finite number >= 0`);
    cellWeights[i] = Number.isFinite(cell.residents) && cell.residents > 0 ? cell.residents : 0;
    cellWards[i] = wardOf(cell.wardCode);
  });

  const n = input.candidates.length;
  const offsets = new Uint32Array(n + 1);
  const costs = new Float64Array(n);
  const wards = new Int32Array(n);
  const feasible = new Uint8Array(n);
  const ids: string[] = [];
  const seenCandidate = new Map<string, number>();
  const lists: number[][] = [];
  let nnz = 0;
  input.candidates.forEach((cand, c) => {
    const path = `candidates[${c}]${cand.id ? ` (id ${cand.id})` : ''}`;
    if (typeof cand.id !== 'string' || cand.id === '') fail(path, 'id is empty');
    else if (seenCandidate.has(cand.id)) fail(path, `duplicate candidate id, first at candidates[${seenCandidate.get(cand.id)}]`);
    else seenCandidate.set(cand.id, c);
    const cost = cand.cost ?? 1;
    if (!(Number.isFinite(cost) && cost >= 0)) fail(path, `cost ${cand.cost} is not a finite number >= 0`);
    costs[c] = cost;
    wards[c] = wardOf(cand.wardCode);
    feasible[c] = cand.feasible === false ? 0 : 1;
    ids.push(cand.id);
    const list: number[] = [];
    const seen = new Set<number>();
    for (const id of cand.cellIds) {
      const k = cellIndex.get(id);
      if (k === undefined || seen.has(k)) continue;
      seen.add(k);
      list.push(k);
    }
    lists.push(list);
    nnz += list.length;
  });
  if (details.length > 0) {
    throw new AppError('validation_failed', `Planner input rejected: ${details.length} problem(s); first: ${details[0]!.path}: ${details[0]!.message}`, { details });
  }
  const candidateCells = new Uint32Array(nnz);
  let p = 0;
  lists.forEach((list, c) => {
    offsets[c] = p;
    for (const k of list) candidateCells[p++] = k;
  });
  offsets[n] = p;

  const preCovered = new Uint8Array(input.cells.length);
  const existingWards: number[] = [];
  for (const site of input.existingSites ?? []) {
    for (const id of site.cellIds) {
      const k = cellIndex.get(id);
      if (k !== undefined) preCovered[k] = 1;
    }
    existingWards.push(wardOf(site.wardCode));
  }
  const perWard = new Int32Array(wardCodes.length);
  for (const w of existingWards) if (w >= 0) perWard[w]!++;

  return {
    cellWeights,
    cellWards,
    candidateCellOffsets: offsets,
    candidateCells,
    candidateCosts: costs,
    candidateWards: wards,
    candidateFeasible: feasible,
    preCovered,
    existingSitesPerWard: perWard,
    wardCodes,
    candidateIds: ids,
  };
}
