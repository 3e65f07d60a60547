/**
 * Turns the coverage engine's own grid into a planner instance, so a plan's gain is measured exactly as the
 * coverage what-if measures it: each candidate's footprint is rasterised by the engine (same projection, same cells,
 * same ward ownership); demand cells are the grid cells under some candidate that the chosen layer does not cover
 * yet; a cell's residents are the population grid's value, or, without one, the ward's residents spread evenly over
 * its cells (exactly the engine's "uniform" model). Existing sites of the layer are thereby fixed: their cells hold
 * no demand.
 *
 * Pure: reads the engine, changes nothing. Imports geo/coverage internals (read only) and core.
 */
import { AppError } from '../../core/errors.ts';
import type { CoverageSpec } from '../../core/schemas/inventory.ts';
import { TILE, tileIndex, tileKey } from '../coverage/cell-tiles.ts';
import type { CoverageEngine } from '../coverage/coverage-engine.ts';
import type { CountLayerName } from '../coverage/types.ts';
import { buildEntry } from '../coverage/device-footprint.ts';
import type { CoverageInstance } from './types.ts';

export interface CoverageCandidate {
  id: string;
  lon: number;
  lat: number;
  /** Default 1. */
  cost?: number;
  /** Default true. */
  feasible?: boolean;
}

export interface InstanceFromCoverageOptions {
  /** Layer whose footprints stay fixed (their cells are covered already). */
  layer: CountLayerName;
  /**
   * Residents per m2 assumed in wards whose residents are unknown (default 0: such wards weigh nothing). The server
   * passes the city's mean density, the same assumption gaps are ranked by, and reports it.
   */
  unknownWardDensityPerM2?: number;
  /** Footprint of every candidate (e.g. `{ radiusM: 100 }`, or `{}` for the outdoor profile). */
  spec: CoverageSpec;
  /** Sites that exist per ward code, counted toward per-ward minimums. */
  existingSitesPerWard?: Readonly<Record<string, number>>;
}

export interface CoverageDemand {
  instance: CoverageInstance;
  /** Ward code of each candidate's location, or null outside every ward. */
  candidateWardCodes: Array<string | null>;
  /** Demand cells (uncovered grid cells under at least one candidate). */
  demandCells: number;
  /** Residents in the demand cells. */
  demandResidents: number;
}

/**
 * Demand cells met so far and the candidate -> cell entries, in growing typed arrays. A class, so V8 keeps the hot
 * loop of addPiece small and optimised on its own.
 */
class DemandCells {
  /** Demand cell index per grid cell, one Int32Array per engine tile (-1 = not a demand cell yet). */
  private readonly index = new Map<number, Int32Array>();
  weights: Float64Array;
  cellWards: Int32Array;
  cellCount = 0;
  cells: Uint32Array;
  nnz = 0;

  constructor(
    private readonly covered: ReadonlyMap<number, Uint16Array>,
    private readonly population: ReadonlyMap<number, Float32Array> | null,
    private readonly perWard: Float64Array,
    expectedEntries: number,
  ) {
    this.cells = new Uint32Array(Math.max(1024, expectedEntries));
    this.weights = new Float64Array(Math.max(1024, expectedEntries >> 1));
    this.cellWards = new Int32Array(this.weights.length);
  }

  /** Adds the uncovered cells [first, last) of one tile (owned by ward w) to the current candidate. */
  addPiece(key: number, first: number, last: number, w: number): void {
    const covered = this.covered.get(key);
    const pop = this.population === null ? undefined : this.population.get(key);
    let index = this.index.get(key);
    if (index === undefined) {
      index = new Int32Array(TILE * TILE).fill(-1);
      this.index.set(key, index);
    }
    if (this.nnz + (last - first) > this.cells.length) {
      const grown = new Uint32Array(Math.max(this.cells.length * 2, this.nnz + (last - first)));
      grown.set(this.cells);
      this.cells = grown;
    }
    const cells = this.cells;
    let nnz = this.nnz;
    const uniform = this.population === null ? this.perWard[w]! : 0;
    for (let idx = first; idx < last; idx += 1) {
      if (covered !== undefined && covered[idx]! > 0) continue;
      let cell = index[idx]!;
      if (cell < 0) {
        if (this.cellCount === this.weights.length) this.grow();
        cell = this.cellCount;
        this.cellCount = cell + 1;
        index[idx] = cell;
        this.weights[cell] = pop === undefined ? uniform : pop[idx]!;
        this.cellWards[cell] = w;
      }
      cells[nnz] = cell;
      nnz += 1;
    }
    this.nnz = nnz;
  }

  private grow(): void {
    const w2 = new Float64Array(this.weights.length * 2);
    w2.set(this.weights);
    this.weights = w2;
    const c2 = new Int32Array(this.cellWards.length * 2);
    c2.set(this.cellWards);
    this.cellWards = c2;
  }
}

export function instanceFromCoverage(engine: CoverageEngine, candidates: readonly CoverageCandidate[], options: InstanceFromCoverageOptions): CoverageDemand {
  const internals = engine.internals();
  const state = internals.layerCount(options.layer);
  const population = internals.population;
  const wardCodes = internals.wards.map((w) => w.ward.code);
  const assumedPerCell = (options.unknownWardDensityPerM2 ?? 0) * internals.cellSizeM * internals.cellSizeM;
  const uniform = internals.wards.map((_, w) => {
    const residents = internals.wardResidents[w];
    const owned = internals.owners.ownedCells[w] ?? 0;
    if (residents === null || residents === undefined) return assumedPerCell;
    return owned === 0 ? 0 : residents / owned;
  });
  const n = candidates.length;
  const offsets = new Uint32Array(n + 1);
  const costs = new Float64Array(n);
  const feasible = new Uint8Array(n);
  const candidateWards = new Int32Array(n);
  const candidateWardCodes: Array<string | null> = [];
  const demand = new DemandCells(state.tiles, population?.tiles ?? null, Float64Array.from(uniform), n * 1024);
  for (let c = 0; c < n; c += 1) {
    const cand = candidates[c]!;
    const cost = cand.cost ?? 1;
    if (!(Number.isFinite(cost) && cost >= 0)) {
      throw new AppError('validation_failed', `candidate ${cand.id}: cost ${cost} is not a finite number >= 0`, { details: [{ path: `candidates[${c}].cost`, message: 'expected >= 0' }] });
    }
    costs[c] = cost;
    feasible[c] = cand.feasible === false ? 0 : 1;
    const entry = buildEntry(internals.context, { id: cand.id, lon: cand.lon, lat: cand.lat, spec: options.spec, up: true, availability: 1 }, {
      path: `candidates[${c}]`,
      onInvalid: 'throw',
    });
    candidateWards[c] = entry.ward;
    candidateWardCodes.push(entry.ward < 0 ? null : wardCodes[entry.ward]!);
    offsets[c] = demand.nnz;
    const segs = entry.segments;
    for (let q = 0; q < segs.length; q += 4) {
      const j = segs[q]!;
      const end = segs[q + 2]!;
      const w = segs[q + 3]!;
      // The row's span [a, end) split at tile borders (see cell-tiles.ts), each piece contiguous in its tile.
      for (let i = segs[q + 1]!; i < end;) {
        const pieceEnd = Math.min(end, (Math.floor(i / TILE) + 1) * TILE);
        const first = tileIndex(i, j);
        demand.addPiece(tileKey(i, j), first, first + (pieceEnd - i), w);
        i = pieceEnd;
      }
    }
  }
  const nnz = demand.nnz;
  const cells = demand.cells;
  const cellCount = demand.cellCount;
  const weights = demand.weights;
  const cellWards = demand.cellWards;
  offsets[n] = nnz;
  const existing = new Int32Array(wardCodes.length);
  wardCodes.forEach((code, w) => {
    existing[w] = options.existingSitesPerWard?.[code] ?? 0;
  });
  const cellWeights = weights.subarray(0, cellCount);
  let demandResidents = 0;
  for (let k = 0; k < cellCount; k += 1) demandResidents += cellWeights[k]!;
  return {
    instance: {
      cellWeights,
      cellWards: cellWards.subarray(0, cellCount),
      candidateCellOffsets: offsets,
      candidateCells: cells.subarray(0, nnz),
      candidateCosts: costs,
      candidateWards,
      candidateFeasible: feasible,
      existingSitesPerWard: existing,
      wardCodes,
      candidateIds: candidates.map((c) => c.id),
    },
    candidateWardCodes,
    demandCells: cellWeights.length,
    demandResidents,
  };
}
