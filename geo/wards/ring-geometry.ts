/**
 * Small planar helpers on GeoJSON rings ([lng, lat] positions), shared by the validator and the locator.
 * Distances use a local equirectangular projection around the query point: within a city (< 50 km) the
 * error is far below a metre, which is all a ward boundary tolerance needs.
 */
import type { Position } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const DEG_TO_RAD = Math.PI / 180;

/** Even-odd ray casting. Points exactly on an edge may land either side; callers use a tolerance. */
export function pointInRing(lng: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    const ay = a[1]!;
    const by = b[1]!;
    if (ay > lat !== by > lat) {
      const ax = a[0]!;
      const bx = b[0]!;
      const xCross = ((bx - ax) * (lat - ay)) / (by - ay) + ax;
      if (lng < xCross) inside = !inside;
    }
  }
  return inside;
}

/** Inside the outer ring and outside every hole. */
export function pointInPolygonRings(lng: number, lat: number, rings: readonly (readonly Position[])[]): boolean {
  const outer = rings[0];
  if (outer === undefined || !pointInRing(lng, lat, outer)) return false;
  for (let h = 1; h < rings.length; h++) {
    if (pointInRing(lng, lat, rings[h]!)) return false;
  }
  return true;
}

/** Shortest distance in metres from a point to any edge of the rings. */
export function distanceToRingsM(lng: number, lat: number, rings: readonly (readonly Position[])[]): number {
  const kx = Math.cos(lat * DEG_TO_RAD) * DEG_TO_RAD * EARTH_RADIUS_M;
  const ky = DEG_TO_RAD * EARTH_RADIUS_M;
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]!;
      const b = ring[i]!;
      const ax = (a[0]! - lng) * kx;
      const ay = (a[1]! - lat) * ky;
      const bx = (b[0]! - lng) * kx;
      const by = (b[1]! - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d2 = px * px + py * py;
      if (d2 < best) best = d2;
    }
  }
  return Math.sqrt(best);
}

/** Metres per degree of latitude, for turning a metre tolerance into a bbox margin. */
export function metresToDegreesLat(metres: number): number {
  return metres / (DEG_TO_RAD * EARTH_RADIUS_M);
}

export function metresToDegreesLng(metres: number, atLat: number): number {
  return metres / (Math.cos(Math.min(89, Math.abs(atLat)) * DEG_TO_RAD) * DEG_TO_RAD * EARTH_RADIUS_M);
}

/** Great-circle distance in metres (haversine). */
export function haversineM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG_TO_RAD;
  const dLng = (lng2 - lng1) * DEG_TO_RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG_TO_RAD) * Math.cos(lat2 * DEG_TO_RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  return Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);
}

function segmentsIntersect(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
): boolean {
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) return true;
  if (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) return true;
  if (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) return true;
  if (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by)) return true;
  return false;
}

/**
 * First place where a closed ring crosses or touches itself, or null. Consecutive duplicate positions are
 * ignored. Sweep over edges sorted by their smallest longitude: each edge is only compared with edges whose
 * longitude span overlaps it, so a typical ring costs O(n log n) rather than the O(n^2) of all pairs.
 */
export function findRingSelfIntersection(ring: readonly Position[]): Position | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of ring) {
    const x = p[0]!;
    const y = p[1]!;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === x && ys[last] === y) continue;
    xs.push(x);
    ys.push(y);
  }
  const m = xs.length - 1; // number of edges (ring is closed: point m equals point 0)
  if (m < 3) return null;
  const order = new Int32Array(m);
  const minX = new Float64Array(m);
  const maxX = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    order[e] = e;
    minX[e] = Math.min(xs[e]!, xs[e + 1]!);
    maxX[e] = Math.max(xs[e]!, xs[e + 1]!);
  }
  order.sort((a, b) => minX[a]! - minX[b]!);
  const active: number[] = [];
  for (let k = 0; k < m; k++) {
    const e = order[k]!;
    const left = minX[e]!;
    // drop edges that end before this one starts
    let w = 0;
    for (let r = 0; r < active.length; r++) {
      const f = active[r]!;
      if (maxX[f]! >= left) active[w++] = f;
    }
    active.length = w;
    for (const f of active) {
      const gap = Math.abs(e - f);
      if (gap === 1 || gap === m - 1) continue; // neighbours share a vertex
      const ax = xs[e]!, ay = ys[e]!, bx = xs[e + 1]!, by = ys[e + 1]!;
      const cx = xs[f]!, cy = ys[f]!, dx = xs[f + 1]!, dy = ys[f + 1]!;
      if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) continue;
      if (segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy)) return [(ax + bx) / 2, (ay + by) / 2];
    }
    active.push(e);
  }
  return null;
}
