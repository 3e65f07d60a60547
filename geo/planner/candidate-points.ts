/**
 * Candidate points placed in the coverage gaps by uncovered residents. Pure: gaps and a projection in, points out.
 *
 * Rules
 * - Every gap is served: each gets at least one point inside it (its area centroid when that lies inside, else the
 *   interior point farthest from the gap's edge among a few probes).
 * - Dense places denser: the rest of the points go on a hexagonal lattice of spacing `spacingM` (default half the
 *   footprint radius: a disc of that radius then always has a lattice point within 0.29 r of its best centre) over
 *   the gaps in order of residents per m2, densest first, until the points run out; the last gap reached gets a
 *   coarser lattice that fits the points left.
 * - Sized to the budget: without `maxPoints`, enough lattice points to cover `focusFactor` (default 4) times the area
 *   `sites` footprints could cover, i.e. 4 x sites x pi r^2 / (lattice cell area), plus one point per gap.
 * - Positions come from a lattice anchored at the projection's origin, so the same gaps give the same points
 *   whatever else changes, and nothing depends on ids or input order.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Projection } from '../coverage/projection.ts';
import { pointInPolygons } from '../coverage/point-in-polygon.ts';
import { polygonCentroid } from '../coverage/projection.ts';
import type { ProjectedPolygon, XY } from '../coverage/types.ts';

export interface GapForCandidates {
  wardCode: string;
  wardName: string;
  areaM2: number;
  /** Residents the gap is ranked by (geo/coverage/gaps.ts): residents, or area x the city's mean density. */
  rankResidents: number;
  geometry: Polygon | MultiPolygon;
}

export interface CandidatePointOptions {
  /** Footprint radius the plan will use, m (sets the default spacing). */
  radiusM: number;
  /** How many new sites the set is meant for (sizes the set when maxPoints is not given). */
  sites: number;
  /** Total points, overriding the sizing (at least one per gap is kept while the total allows). */
  maxPoints?: number;
  /** Lattice spacing in the densest gaps, m (default radiusM / 2, at least 10 m). */
  spacingM?: number;
  /** Area covered by the fine lattice, in multiples of `sites` footprints (default 4). */
  focusFactor?: number;
  /** Hard ceiling on the total (default 20,000). */
  limit?: number;
}

export interface CandidatePoint {
  lon: number;
  lat: number;
  /** Index into the gaps given. */
  gap: number;
  kind: 'gap-centroid' | 'gap-grid';
}

export interface CandidatePointsResult {
  points: CandidatePoint[];
  spacingM: number;
  /** Gaps that got at least one point (all of them unless the total was smaller than the number of gaps). */
  gapsServed: number;
  /** Gaps that got lattice points beyond their first. */
  gapsWithLattice: number;
}

const SQRT3_2 = Math.sqrt(3) / 2;

function project(projection: Projection, geometry: Polygon | MultiPolygon): ProjectedPolygon[] {
  const polys: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polys.map((rings) => rings.map((ring) => ring.map((p): XY => projection.forward(p[0]!, p[1]!))));
}

function bboxOf(polys: ProjectedPolygon[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const rings of polys) {
    for (const p of rings[0] ?? []) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  }
  return [minX, minY, maxX, maxY];
}

/** Points of the hexagonal lattice of spacing s (anchored at the origin) inside the polygons. */
function latticeInside(polys: ProjectedPolygon[], s: number, bbox: [number, number, number, number]): XY[] {
  const rowStep = s * SQRT3_2;
  const out: XY[] = [];
  const j0 = Math.ceil(bbox[1] / rowStep);
  const j1 = Math.floor(bbox[3] / rowStep);
  for (let j = j0; j <= j1; j += 1) {
    const y = j * rowStep;
    const shift = (j & 1) === 0 ? 0 : s / 2;
    const i0 = Math.ceil((bbox[0] - shift) / s);
    const i1 = Math.floor((bbox[2] - shift) / s);
    for (let i = i0; i <= i1; i += 1) {
      const x = i * s + shift;
      if (pointInPolygons(x, y, polys)) out.push([x, y]);
    }
  }
  return out;
}

/** Squared distance from a point to the nearest edge of the polygons. */
function edgeDistance2(x: number, y: number, polys: ProjectedPolygon[]): number {
  let best = Infinity;
  for (const rings of polys) {
    for (const ring of rings) {
      for (let k = 0; k + 1 < ring.length; k += 1) {
        const a = ring[k]!;
        const b = ring[k + 1]!;
        const dx = b[0] - a[0];
        const dy = b[1] - a[1];
        const len2 = dx * dx + dy * dy;
        let t = len2 === 0 ? 0 : ((x - a[0]) * dx + (y - a[1]) * dy) / len2;
        t = Math.max(0, Math.min(1, t));
        const px = a[0] + t * dx - x;
        const py = a[1] + t * dy - y;
        const d = px * px + py * py;
        if (d < best) best = d;
      }
    }
  }
  return best;
}

/** One point well inside the gap: the centroid when inside, else the probe farthest from the edge. */
function interiorPoint(polys: ProjectedPolygon[], bbox: [number, number, number, number]): XY | null {
  const largest = polys.length === 1 ? polys[0]! : [...polys].sort((a, b) => Math.abs(ringArea(b[0]!)) - Math.abs(ringArea(a[0]!)))[0]!;
  const c = polygonCentroid(largest);
  if (pointInPolygons(c[0], c[1], polys)) return c;
  let best: XY | null = null;
  let bestD = -1;
  for (const n of [8, 16, 32]) {
    const sx = (bbox[2] - bbox[0]) / n;
    const sy = (bbox[3] - bbox[1]) / n;
    for (let a = 0; a < n; a += 1) {
      for (let b = 0; b < n; b += 1) {
        const x = bbox[0] + (a + 0.5) * sx;
        const y = bbox[1] + (b + 0.5) * sy;
        if (!pointInPolygons(x, y, polys)) continue;
        const d = edgeDistance2(x, y, polys);
        if (d > bestD) {
          bestD = d;
          best = [x, y];
        }
      }
    }
    if (best !== null) return best;
  }
  const first = largest[0]?.[0];
  return first === undefined ? null : [first[0], first[1]];
}

function ringArea(ring: ReadonlyArray<XY>): number {
  let s = 0;
  for (let k = 0; k + 1 < ring.length; k += 1) s += ring[k]![0] * ring[k + 1]![1] - ring[k + 1]![0] * ring[k]![1];
  return s / 2;
}

/** Points for candidate sites in the given gaps (see the rules above). */
export function candidatePoints(projection: Projection, gaps: ReadonlyArray<GapForCandidates>, options: CandidatePointOptions): CandidatePointsResult {
  const spacing = Math.max(10, options.spacingM ?? options.radiusM / 2);
  const cellArea = spacing * spacing * SQRT3_2;
  const limit = options.limit ?? 20_000;
  const focusArea = (options.focusFactor ?? 4) * Math.max(1, options.sites) * Math.PI * options.radiusM * options.radiusM;
  const sized = gaps.length + Math.ceil(focusArea / cellArea);
  const total = Math.max(0, Math.min(limit, options.maxPoints ?? sized));
  // Densest first (residents per m2), then the larger, then by place: never by input order.
  const order = gaps.map((_, k) => k).sort((a, b) => {
    const ga = gaps[a]!;
    const gb = gaps[b]!;
    const da = ga.areaM2 > 0 ? ga.rankResidents / ga.areaM2 : 0;
    const db = gb.areaM2 > 0 ? gb.rankResidents / gb.areaM2 : 0;
    return db - da || gb.rankResidents - ga.rankResidents || gb.areaM2 - ga.areaM2 || (ga.wardCode < gb.wardCode ? -1 : ga.wardCode > gb.wardCode ? 1 : 0);
  });
  const shapes = new Map<number, { polys: ProjectedPolygon[]; bbox: [number, number, number, number] }>();
  const shapeOf = (k: number): { polys: ProjectedPolygon[]; bbox: [number, number, number, number] } => {
    let s = shapes.get(k);
    if (s === undefined) {
      const polys = project(projection, gaps[k]!.geometry);
      s = { polys, bbox: bboxOf(polys) };
      shapes.set(k, s);
    }
    return s;
  };
  // 1. One point per gap, most residents first while the total allows.
  const rank = new Int32Array(gaps.length);
  order.forEach((k, r) => {
    rank[k] = r;
  });
  const byResidents = gaps.map((_, k) => k).sort((a, b) => gaps[b]!.rankResidents - gaps[a]!.rankResidents || rank[a]! - rank[b]!);
  const served = new Set(byResidents.slice(0, Math.min(total, gaps.length)));
  const out: Array<{ xy: XY; gap: number; kind: CandidatePoint['kind'] }> = [];
  for (const k of byResidents) {
    if (!served.has(k)) continue;
    const { polys, bbox } = shapeOf(k);
    const p = interiorPoint(polys, bbox);
    if (p !== null) out.push({ xy: p, gap: k, kind: 'gap-centroid' });
  }
  // 2. Lattice points, densest gaps first.
  let left = total - out.length;
  let withLattice = 0;
  for (const k of order) {
    if (left <= 0) break;
    if (!served.has(k)) continue;
    const { polys, bbox } = shapeOf(k);
    let pts = latticeInside(polys, spacing, bbox);
    if (pts.length > left) {
      // The last gap reached: a coarser lattice that fits the points left.
      let s = spacing * Math.sqrt(pts.length / left);
      for (let tries = 0; tries < 4 && pts.length > left; tries += 1) {
        pts = latticeInside(polys, s, bbox);
        s *= 1.1;
      }
      pts = pts.slice(0, left);
    }
    if (pts.length === 0) continue;
    withLattice += 1;
    for (const p of pts) out.push({ xy: p, gap: k, kind: 'gap-grid' });
    left -= pts.length;
  }
  const points = out.map(({ xy, gap, kind }): CandidatePoint => {
    const [lon, lat] = projection.inverse(xy[0], xy[1]);
    return { lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7, gap, kind };
  });
  return { points, spacingM: spacing, gapsServed: served.size, gapsWithLattice: withLattice };
}
