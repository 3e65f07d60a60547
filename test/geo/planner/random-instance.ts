/**
 * Seeded test instances for the planner: a square grid of demand cells with clustered residents, candidate
 * sites covering a disc of cells, wards as blocks of the grid, optional existing sites.
 */
import { buildCoverageInstance } from '../../../geo/planner/index.ts';
import type { CoverageInstance } from '../../../geo/planner/index.ts';

import { seededRandom as seeded } from '../../../core/seeded-random.ts';
export { seeded };

export interface RandomInstanceSpec {
  seed: number;
  gridSize: number;
  candidates: number;
  radiusCells: number;
  /** Ward blocks per side (wards = blocksPerSide^2). */
  blocksPerSide?: number;
  existingSites?: number;
  /** Costs drawn from 1..maxCost (integers); default all 1. */
  maxCost?: number;
  infeasibleShare?: number;
}

function disc(cx: number, cy: number, r: number, size: number): string[] {
  const out: string[] = [];
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(size - 1, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(size - 1, Math.ceil(cx + r)); x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) out.push(`${x}:${y}`);
    }
  }
  return out;
}

export function randomInstance(spec: RandomInstanceSpec): CoverageInstance {
  const random = seeded(spec.seed);
  const size = spec.gridSize;
  const blocks = spec.blocksPerSide ?? 3;
  const wardOf = (x: number, y: number): string => `W${Math.floor((y * blocks) / size)}${Math.floor((x * blocks) / size)}`;
  const hubs = Array.from({ length: 6 }, () => ({ x: random() * size, y: random() * size, s: 2 + random() * size * 0.15, p: 20 + random() * 80 }));
  const cells = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let density = random() * 2;
      for (const h of hubs) density += h.p * Math.exp(-((x - h.x) ** 2 + (y - h.y) ** 2) / (2 * h.s * h.s));
      cells.push({ id: `${x}:${y}`, residents: Math.round(density * 10) / 10, wardCode: wardOf(x, y) });
    }
  }
  const candidates = Array.from({ length: spec.candidates }, (_, i) => {
    const x = random() * size;
    const y = random() * size;
    const r = spec.radiusCells * (0.6 + random() * 0.8);
    return {
      id: `c${i}`,
      cost: spec.maxCost === undefined ? 1 : 1 + Math.floor(random() * spec.maxCost),
      wardCode: wardOf(Math.min(size - 1, Math.floor(x)), Math.min(size - 1, Math.floor(y))),
      feasible: random() >= (spec.infeasibleShare ?? 0),
      cellIds: disc(x, y, r, size),
    };
  });
  const existingSites = Array.from({ length: spec.existingSites ?? 0 }, (_, i) => {
    const x = random() * size;
    const y = random() * size;
    return { id: `e${i}`, wardCode: wardOf(Math.floor(x), Math.floor(y)), cellIds: disc(x, y, spec.radiusCells, size) };
  });
  return buildCoverageInstance({ cells, candidates, existingSites });
}
