/**
 * Checks a CoverageInstance and fills defaults, so the greedy loops can run on plain typed arrays without
 * branches for optional data. Throws AppError('validation_failed') naming the faulty entries.
 */
import { AppError } from '../../core/errors.ts';
import type { ErrorDetail } from '../../core/errors.ts';
import type { CoverageInstance } from './types.ts';

export interface PreparedInstance {
  candidateCount: number;
  cellCount: number;
  offsets: Uint32Array;
  cells: Uint32Array;
  costs: Float64Array;
  wards: Int32Array;
  feasible: Uint8Array;
  cellWards: Int32Array | null;
  wardCodes: readonly string[];
  existingPerWard: Int32Array;
  /** Cell weights with cells of existing sites set to 0. */
  residual: Float64Array;
  totalResidents: number;
  existingResidents: number;
  candidateId(c: number): string;
}

const MAX_DETAILS = 50;

export function prepareInstance(instance: CoverageInstance): PreparedInstance {
  const details: ErrorDetail[] = [];
  const fail = (path: string, message: string): void => {
    if (details.length < MAX_DETAILS) details.push({ path, message });
  };
  const weights = instance.cellWeights;
  const cellCount = weights.length;
  const offsets = instance.candidateCellOffsets;
  const cells = instance.candidateCells;
  const candidateCount = Math.max(0, offsets.length - 1);
  const wardCodes = instance.wardCodes ?? [];

  if (offsets.length === 0) fail('candidateCellOffsets', 'must hold candidates + 1 offsets (at least [0])');
  else if (offsets[0] !== 0 || offsets[candidateCount] !== cells.length) {
    fail('candidateCellOffsets', `must start at 0 and end at candidateCells.length (${cells.length})`);
  }
  for (let c = 0; c < candidateCount; c++) {
    if (offsets[c + 1]! < offsets[c]!) fail(`candidates[${c}]`, 'cell offsets decrease');
  }
  for (let p = 0; p < cells.length; p++) {
    if (cells[p]! >= cellCount) {
      fail('candidateCells', `cell index ${cells[p]} at position ${p} is not below the cell count ${cellCount}`);
      break;
    }
  }
  const checkLength = (name: string, array: ArrayLike<number> | undefined, expected: number): void => {
    if (array !== undefined && array.length !== expected) fail(name, `has ${array.length} entries, expected ${expected}`);
  };
  checkLength('candidateCosts', instance.candidateCosts, candidateCount);
  checkLength('candidateWards', instance.candidateWards, candidateCount);
  checkLength('candidateFeasible', instance.candidateFeasible, candidateCount);
  checkLength('preCovered', instance.preCovered, cellCount);
  checkLength('cellWards', instance.cellWards, cellCount);
  checkLength('existingSitesPerWard', instance.existingSitesPerWard, wardCodes.length);
  if (instance.candidateIds !== undefined && instance.candidateIds.length !== candidateCount) {
    fail('candidateIds', `has ${instance.candidateIds.length} entries, expected ${candidateCount}`);
  }
  let totalResidents = 0;
  for (let i = 0; i < cellCount; i++) {
    const w = weights[i]!;
    if (!(w >= 0) || w === Infinity) fail(`cells[${i}]`, `weight ${w} is not a finite number >= 0`);
    else totalResidents += w;
  }
  const costs = instance.candidateCosts ?? new Float64Array(candidateCount).fill(1);
  for (let c = 0; c < candidateCount; c++) {
    const cost = costs[c]!;
    if (!(cost >= 0) || cost === Infinity) fail(`candidates[${c}]`, `cost ${cost} is not a finite number >= 0`);
  }
  const wards = instance.candidateWards ?? new Int32Array(candidateCount).fill(-1);
  for (let c = 0; c < candidateCount; c++) {
    if (wards[c]! >= wardCodes.length || wards[c]! < -1) fail(`candidates[${c}]`, `ward index ${wards[c]} has no ward code`);
  }
  if (details.length > 0) {
    throw new AppError('validation_failed', `Planner input rejected: ${details[0]!.path}: ${details[0]!.message}`, { details });
  }

  const residual = Float64Array.from(weights);
  let existingResidents = 0;
  const pre = instance.preCovered;
  if (pre !== undefined) {
    for (let i = 0; i < cellCount; i++) {
      if (pre[i] !== 0) {
        existingResidents += residual[i]!;
        residual[i] = 0;
      }
    }
  }
  const ids = instance.candidateIds;
  return {
    candidateCount,
    cellCount,
    offsets,
    cells,
    costs,
    wards,
    feasible: instance.candidateFeasible ?? new Uint8Array(candidateCount).fill(1),
    cellWards: instance.cellWards ?? null,
    wardCodes,
    existingPerWard: instance.existingSitesPerWard ?? new Int32Array(wardCodes.length),
    residual,
    totalResidents,
    existingResidents,
    candidateId: (c: number): string => (ids === undefined ? String(c) : ids[c]!),
  };
}
