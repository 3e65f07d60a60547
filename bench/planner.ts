/**
 * Rollout planner benchmark: `npx tsx bench/planner.ts`.
 *
 * Instance: a 1,415 x 1,415 grid of 10 m demand cells (~2.0 million cells, about Cilegon's 163 km2) with
 * clustered residents; N candidate sites at seeded random places, each covering a disc of radius 80-120 m
 * (~200-450 cells); 300 existing sites whose cells count as covered. Choose 100.
 *
 * Figures (median of 5 runs after a warm-up):
 * - build: candidate discs -> CSR typed arrays (what the coverage side hands the planner);
 * - set-up: createRolloutPlanner (checks, existing coverage, one gain per candidate);
 * - selection: plan({ budget: { count: 100 }, improvement: 'none' }) with the lazy greedy (CELF);
 * - the same selection with plain greedy (the baseline; ratio = plain / lazy), and with the default
 *   local search, with the Lagrangian bound (10 subgradient passes at this size), and with a cost budget
 *   (two greedy runs).
 */
import { createRolloutPlanner } from '../geo/planner/index.ts';
import type { CoverageInstance } from '../geo/planner/index.ts';
import { seededRandom as seeded } from '../core/seeded-random.ts';

const GRID = 1415;
const CELL_M = 10;


function demand(random: () => number): Float64Array {
  const weights = new Float64Array(GRID * GRID);
  const hubs = Array.from({ length: 40 }, () => ({ x: random() * GRID, y: random() * GRID, s: 30 + random() * 150, p: 0.5 + random() * 4 }));
  for (let y = 0; y < GRID; y++) {
    for (let x = 0; x < GRID; x++) {
      let d = random() * 0.05;
      for (const h of hubs) {
        const dx = x - h.x;
        const dy = y - h.y;
        if (Math.abs(dx) < 4 * h.s && Math.abs(dy) < 4 * h.s) d += h.p * Math.exp(-(dx * dx + dy * dy) / (2 * h.s * h.s));
      }
      weights[y * GRID + x] = d;
    }
  }
  return weights;
}

interface Disc {
  x: number;
  y: number;
  r: number;
}

function discs(count: number, random: () => number): Disc[] {
  return Array.from({ length: count }, () => ({ x: random() * GRID, y: random() * GRID, r: (80 + random() * 40) / CELL_M }));
}

/** Candidate discs -> CSR (two passes: count, then fill). */
function buildCsr(list: Disc[]): { offsets: Uint32Array; cells: Uint32Array } {
  const offsets = new Uint32Array(list.length + 1);
  const spans = (d: Disc, visit: (cell: number) => void): void => {
    const y0 = Math.max(0, Math.ceil(d.y - d.r - 0.5));
    const y1 = Math.min(GRID - 1, Math.floor(d.y + d.r - 0.5));
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - d.y;
      const half = Math.sqrt(Math.max(0, d.r * d.r - dy * dy));
      const x0 = Math.max(0, Math.ceil(d.x - half - 0.5));
      const x1 = Math.min(GRID - 1, Math.floor(d.x + half - 0.5));
      for (let x = x0; x <= x1; x++) visit(y * GRID + x);
    }
  };
  let total = 0;
  list.forEach((d, i) => {
    let n = 0;
    spans(d, () => n++);
    offsets[i] = total;
    total += n;
  });
  offsets[list.length] = total;
  const cells = new Uint32Array(total);
  let p = 0;
  for (const d of list) spans(d, (cell) => (cells[p++] = cell));
  return { offsets, cells };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

function scenario(candidateCount: number, weights: Float64Array, existing: Uint8Array, random: () => number): Record<string, string> {
  const list = discs(candidateCount, random);
  const costs = new Float64Array(candidateCount).map(() => 1 + Math.floor(random() * 4));
  const builds: number[] = [];
  const setups: number[] = [];
  const lazy: number[] = [];
  let instance: CoverageInstance | null = null;
  let planner = null as ReturnType<typeof createRolloutPlanner> | null;
  for (let i = 0; i < 6; i++) {
    const built = time(() => buildCsr(list));
    instance = { cellWeights: weights, preCovered: existing, candidateCellOffsets: built.value.offsets, candidateCells: built.value.cells, candidateCosts: costs };
    const inst = instance;
    const set = time(() => createRolloutPlanner(inst));
    planner = set.value;
    const p = planner;
    const sel = time(() => p.plan({ budget: { count: 100 }, improvement: 'none' }));
    if (i > 0) {
      builds.push(built.ms);
      setups.push(set.ms);
      lazy.push(sel.ms);
    }
  }
  const p = planner!;
  const lazyPlan = p.plan({ budget: { count: 100 }, improvement: 'none' });
  const plain = time(() => p.plan({ budget: { count: 100 }, improvement: 'none', algorithm: 'plain-greedy' }));
  const refined = time(() => p.plan({ budget: { count: 100 }, improvement: 'local-search' }));
  const cost = time(() => p.plan({ budget: { cost: 250 }, improvement: 'none' }));
  const lagrangian = time(() => p.plan({ budget: { count: 100 }, improvement: 'none', bound: 'lagrangian' }));
  if (Math.abs(plain.value.newResidents - lazyPlan.newResidents) > 1e-6 * lazyPlan.newResidents) {
    throw new Error(`lazy and plain greedy disagree: ${lazyPlan.newResidents} vs ${plain.value.newResidents}`);
  }
  const nnz = instance!.candidateCells.length;
  return {
    candidates: candidateCount.toLocaleString('en'),
    'cover entries': nnz.toLocaleString('en'),
    'build CSR ms': median(builds).toFixed(1),
    'set-up ms': median(setups).toFixed(1),
    'lazy select 100 ms': median(lazy).toFixed(1),
    'lazy evaluations': String(lazyPlan.evaluations),
    'plain greedy ms': plain.ms.toFixed(0),
    'plain / lazy time': (plain.ms / median(lazy)).toFixed(1),
    'plain evaluations': String(plain.value.evaluations),
    'same residents': 'yes',
    'gap bound %': lazyPlan.gapPct.toFixed(2),
    'with Lagrangian bound ms': lagrangian.ms.toFixed(0),
    'Lagrangian gap %': lagrangian.value.gapPct.toFixed(2),
    'local search ms': refined.ms.toFixed(0),
    'local search gain %': ((100 * (refined.value.newResidents - lazyPlan.newResidents)) / lazyPlan.newResidents).toFixed(2),
    'cost budget (2 runs) ms': cost.ms.toFixed(1),
  };
}

const random = seeded(2026);
const prepared = time(() => demand(random));
const weights = prepared.value;
const existing = new Uint8Array(weights.length);
const existingCsr = buildCsr(discs(300, random));
for (const cell of existingCsr.cells) existing[cell] = 1;
console.log(`demand grid: ${weights.length.toLocaleString('en')} cells, made in ${prepared.ms.toFixed(0)} ms; node ${process.version}`);
const rows = [scenario(10_000, weights, existing, random), scenario(50_000, weights, existing, random)];
console.table(rows);
