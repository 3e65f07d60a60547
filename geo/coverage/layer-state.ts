import { forEachTilePiece, TILE } from './cell-tiles.ts';
import type { PopulationRaster } from './population-grid.ts';

/**
 * Per-cell coverage of one layer, with per-ward totals kept up to date on every change.
 * Count layers (planned, live, reliable) hold how many footprints cover each cell; the expected layer holds, per
 * cell, the number of footprints, how many of them are certain (availability 1) and the sum of log(1 - a) of the rest.
 */
export class CountLayer {
  readonly tiles = new Map<number, Uint16Array>();
  readonly coveredCells: Float64Array;
  readonly coveredResidents: Float64Array;
  private readonly population: PopulationRaster | null;

  constructor(wardCount: number, population: PopulationRaster | null) {
    this.coveredCells = new Float64Array(wardCount);
    this.coveredResidents = new Float64Array(wardCount);
    this.population = population;
  }

  apply(segments: Int32Array, sign: 1 | -1): void {
    for (let q = 0; q < segments.length; q += 4) {
      const j = segments[q]!;
      const w = segments[q + 3]!;
      forEachTilePiece(j, segments[q + 1]!, segments[q + 2]!, (key, first, length) => {
        let tile = this.tiles.get(key);
        if (tile === undefined) {
          tile = new Uint16Array(TILE * TILE);
          this.tiles.set(key, tile);
        }
        const pop = this.population?.tiles.get(key);
        let changed = 0;
        let changedResidents = 0;
        for (let idx = first; idx < first + length; idx += 1) {
          const old = tile[idx]!;
          if (sign > 0) {
            if (old === 0) {
              changed += 1;
              if (pop !== undefined) changedResidents += pop[idx]!;
            }
            tile[idx] = old + 1;
          } else {
            if (old === 1) {
              changed -= 1;
              if (pop !== undefined) changedResidents -= pop[idx]!;
            }
            tile[idx] = old - 1;
          }
        }
        this.coveredCells[w] = this.coveredCells[w]! + changed;
        this.coveredResidents[w] = this.coveredResidents[w]! + changedResidents;
      });
    }
  }

  countAt(key: number, idx: number): number {
    return this.tiles.get(key)?.[idx] ?? 0;
  }
}

interface ExpectedTile {
  n: Uint16Array;
  certain: Uint16Array;
  logSum: Float32Array;
}

export class ExpectedLayer {
  readonly tiles = new Map<number, ExpectedTile>();
  /** Sum over owned cells of the probability of being covered (expected covered cells). */
  readonly coveredCells: Float64Array;
  readonly coveredResidents: Float64Array;
  private readonly population: PopulationRaster | null;

  constructor(wardCount: number, population: PopulationRaster | null) {
    this.coveredCells = new Float64Array(wardCount);
    this.coveredResidents = new Float64Array(wardCount);
    this.population = population;
  }

  apply(segments: Int32Array, availability: number, sign: 1 | -1): void {
    if (!(availability > 0)) return;
    const certain = availability >= 1 ? 1 : 0;
    const log = certain === 1 ? 0 : Math.log1p(-availability);
    for (let q = 0; q < segments.length; q += 4) {
      const j = segments[q]!;
      const w = segments[q + 3]!;
      forEachTilePiece(j, segments[q + 1]!, segments[q + 2]!, (key, first, length) => {
        let tile = this.tiles.get(key);
        if (tile === undefined) {
          tile = { n: new Uint16Array(TILE * TILE), certain: new Uint16Array(TILE * TILE), logSum: new Float32Array(TILE * TILE) };
          this.tiles.set(key, tile);
        }
        const pop = this.population?.tiles.get(key);
        let changed = 0;
        let changedResidents = 0;
        for (let idx = first; idx < first + length; idx += 1) {
          const before = probability(tile.certain[idx]!, tile.logSum[idx]!);
          const n = tile.n[idx]! + sign;
          tile.n[idx] = n;
          tile.certain[idx] = tile.certain[idx]! + sign * certain;
          tile.logSum[idx] = n === 0 ? 0 : tile.logSum[idx]! + sign * log;
          const delta = probability(tile.certain[idx]!, tile.logSum[idx]!) - before;
          changed += delta;
          if (pop !== undefined) changedResidents += delta * pop[idx]!;
        }
        this.coveredCells[w] = this.coveredCells[w]! + changed;
        this.coveredResidents[w] = this.coveredResidents[w]! + changedResidents;
      });
    }
  }

  probabilityAt(key: number, idx: number): { n: number; certain: number; logSum: number } {
    const tile = this.tiles.get(key);
    if (tile === undefined) return { n: 0, certain: 0, logSum: 0 };
    return { n: tile.n[idx]!, certain: tile.certain[idx]!, logSum: tile.logSum[idx]! };
  }
}

export function probability(certain: number, logSum: number): number {
  return certain > 0 ? 1 : -Math.expm1(logSum);
}
