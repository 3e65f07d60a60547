/**
 * The outline of a layer's covered cells as polygons: the map layer. It is traced from the same 5 m grid the
 * figures are counted on, so the map shows exactly the area the figures count (clipped to the city's wards), and it
 * costs O(boundary cells) instead of a vector union of thousands of footprints.
 *
 * Method: every side between a covered and an uncovered cell becomes a directed edge with the covered cell on its
 * left; edges are chained into rings (outer rings counter-clockwise, holes clockwise); where two covered cells meet
 * only at a corner the walk turns left, so they stay separate rings. Rings are simplified (Douglas-Peucker, closed
 * rings anchored at their two farthest-apart vertices) to a tolerance, and each hole is given to the smallest outer
 * ring holding it.
 */
import Flatbush from 'flatbush';
import { TILE } from './cell-tiles.ts';
import { pointInPolygons } from './point-in-polygon.ts';
import { polygonArea, ringAreaSigned } from './projection.ts';
import type { ProjectedPolygon, XY } from './types.ts';

const OFFSET = 2 ** 15;
const SPAN = 2 ** 16;
/** Corner (ci, cj) -> one number; corners stay within +-2^20 cells (5,000 km at 5 m) of the projection's centre. */
const CORNER_OFF = 2 ** 20;
const CORNER_SPAN = 2 ** 21;
// Direction d: 0 = +x, 1 = +y, 2 = -x, 3 = -y.
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;

/** Covered cells of a layer: sparse tiles of TILE x TILE values, covered where the value is above 0. */
export type CoveredTiles = ReadonlyMap<number, ArrayLike<number>>;

export interface OutlineOptions {
  /** Douglas-Peucker tolerance, m (0: keep every corner where the outline turns). */
  toleranceM: number;
  /** Rings enclosing less than this after simplification are dropped, m2 (default: one cell). */
  minRingAreaM2?: number;
}

export interface OutlineResult {
  polygons: ProjectedPolygon[];
  /** Boundary cell sides traced (the work done). */
  edges: number;
  rings: number;
}

function tileCoords(key: number): [number, number] {
  const ti = Math.floor(key / SPAN) - OFFSET;
  const tj = key - (ti + OFFSET) * SPAN - OFFSET;
  return [ti, tj];
}

/** Traces the covered cells of `tiles` (cell edge `cellSizeM`) into simplified polygons in projected metres. */
export function traceCoverageOutline(tiles: CoveredTiles, cellSizeM: number, options: OutlineOptions): OutlineResult {
  // 1. Boundary edges, as sorted keys corner * 4 + direction (each directed edge is unique).
  const keys: number[] = [];
  const emptyTile = new Uint8Array(TILE * TILE);
  const at = (key: number): ArrayLike<number> => tiles.get(key) ?? emptyTile;
  for (const [key, tile] of tiles) {
    const [ti, tj] = tileCoords(key);
    const left = at(key - SPAN);
    const right = at(key + SPAN);
    const below = at(key - 1);
    const above = at(key + 1);
    for (let lj = 0; lj < TILE; lj += 1) {
      for (let li = 0; li < TILE; li += 1) {
        const idx = lj * TILE + li;
        if (!(tile[idx]! > 0)) continue;
        const i = ti * TILE + li;
        const j = tj * TILE + lj;
        const down = lj > 0 ? tile[idx - TILE]! : below[(TILE - 1) * TILE + li]!;
        const rightV = li < TILE - 1 ? tile[idx + 1]! : right[lj * TILE]!;
        const up = lj < TILE - 1 ? tile[idx + TILE]! : above[li]!;
        const leftV = li > 0 ? tile[idx - 1]! : left[lj * TILE + TILE - 1]!;
        if (!(down > 0)) keys.push(cornerKey(i, j) * 4 + 0);
        if (!(rightV > 0)) keys.push(cornerKey(i + 1, j) * 4 + 1);
        if (!(up > 0)) keys.push(cornerKey(i + 1, j + 1) * 4 + 2);
        if (!(leftV > 0)) keys.push(cornerKey(i, j + 1) * 4 + 3);
      }
    }
  }
  const sorted = Float64Array.from(keys);
  sorted.sort();
  const used = new Uint8Array(sorted.length);
  const find = (k: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo] === k ? lo : -1;
  };

  // 2. Rings: follow edges, turning left first at corners shared by two rings.
  const outers: XY[][] = [];
  const holes: XY[][] = [];
  let rings = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    if (used[start] === 1) continue;
    const ring: XY[] = [];
    let e = start;
    let prevDir = -1;
    while (e >= 0 && used[e] === 0) {
      used[e] = 1;
      const k = sorted[e]!;
      const d = k % 4;
      const corner = (k - d) / 4;
      const ci = Math.floor(corner / CORNER_SPAN) - CORNER_OFF;
      const cj = corner - (ci + CORNER_OFF) * CORNER_SPAN - CORNER_OFF;
      if (d !== prevDir) ring.push([ci * cellSizeM, cj * cellSizeM]);
      prevDir = d;
      const ni = ci + DX[d]!;
      const nj = cj + DY[d]!;
      const next = cornerKey(ni, nj) * 4;
      // Left turn first, then straight on, then right.
      e = find(next + ((d + 1) & 3));
      if (e < 0 || used[e] === 1) e = find(next + d);
      if (e < 0 || used[e] === 1) e = find(next + ((d + 3) & 3));
    }
    // The first vertex may sit on a straight run: drop it when the ring goes straight through it.
    if (ring.length >= 3) {
      const a = ring[ring.length - 1]!;
      const b = ring[0]!;
      const c = ring[1]!;
      if ((a[0] === b[0] && b[0] === c[0]) || (a[1] === b[1] && b[1] === c[1])) ring.shift();
    }
    if (ring.length < 3) continue;
    rings += 1;
    const simplified = simplifyClosedRing(ring, options.toleranceM);
    if (simplified.length < 3) continue;
    const area = ringAreaSigned(simplified);
    const minArea = options.minRingAreaM2 ?? cellSizeM * cellSizeM;
    if (Math.abs(area) < minArea) continue;
    if (area > 0) outers.push(simplified);
    else holes.push(simplified);
  }

  // 3. Holes into the smallest outer ring holding them.
  const polygons: ProjectedPolygon[] = outers.map((r) => [closeXY(r)]);
  if (holes.length > 0 && outers.length > 0) {
    const index = new Flatbush(outers.length);
    const boxes = outers.map((r) => bboxOf(r));
    for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
    index.finish();
    const areas = outers.map((r) => ringAreaSigned(r));
    for (const hole of holes) {
      const p = hole[0]!;
      let best = -1;
      for (const k of index.search(p[0], p[1], p[0], p[1])) {
        if (!pointInPolygons(p[0], p[1], [[outers[k]!]])) continue;
        if (best < 0 || areas[k]! < areas[best]!) best = k;
      }
      if (best >= 0) polygons[best]!.push(closeXY(hole));
    }
  }
  polygons.sort((a, b) => polygonArea(b) - polygonArea(a));
  return { polygons, edges: sorted.length, rings };
}

function cornerKey(i: number, j: number): number {
  return (i + CORNER_OFF) * CORNER_SPAN + (j + CORNER_OFF);
}

function closeXY(ring: XY[]): XY[] {
  return [...ring, [ring[0]![0], ring[0]![1]]];
}

function bboxOf(ring: ReadonlyArray<XY>): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of ring) {
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Douglas-Peucker on an open list of ring vertices (not repeated at the end), anchored at vertex 0 and the vertex
 * farthest from it, so a closed ring keeps its extent. Returns the kept vertices, open.
 */
export function simplifyClosedRing(ring: ReadonlyArray<XY>, toleranceM: number): XY[] {
  const n = ring.length;
  if (toleranceM <= 0 || n <= 4) return [...ring];
  let far = 0;
  let farD = -1;
  const p0 = ring[0]!;
  for (let k = 1; k < n; k += 1) {
    const d = (ring[k]![0] - p0[0]) ** 2 + (ring[k]![1] - p0[1]) ** 2;
    if (d > farD) {
      farD = d;
      far = k;
    }
  }
  const keep = new Uint8Array(n + 1);
  keep[0] = 1;
  keep[far] = 1;
  keep[n] = 1;
  const t2 = toleranceM * toleranceM;
  const point = (k: number): XY => ring[k % n]!;
  const stack: number[] = [0, far, far, n];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const a = stack.pop()!;
    if (b - a < 2) continue;
    const pa = point(a);
    const pb = point(b);
    const dx = pb[0] - pa[0];
    const dy = pb[1] - pa[1];
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = -1;
    for (let k = a + 1; k < b; k += 1) {
      const p = point(k);
      let d: number;
      if (len2 === 0) d = (p[0] - pa[0]) ** 2 + (p[1] - pa[1]) ** 2;
      else {
        const cross = (p[0] - pa[0]) * dy - (p[1] - pa[1]) * dx;
        d = (cross * cross) / len2;
      }
      if (d > worstD) {
        worstD = d;
        worst = k;
      }
    }
    if (worstD > t2) {
      keep[worst] = 1;
      stack.push(a, worst, worst, b);
    }
  }
  const out: XY[] = [];
  for (let k = 0; k < n; k += 1) if (keep[k] === 1) out.push(ring[k]!);
  return out;
}
