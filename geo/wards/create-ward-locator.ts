/**
 * Point -> ward code. A flatbush index over the ward bboxes (grown by the tolerance) narrows the search to a
 * handful of wards; an even-odd point-in-polygon test decides.
 *
 * Rules (deterministic, independent of input order):
 * - inside exactly one ward: that ward (`match: 'inside'`).
 * - inside several (neighbouring polygons overlap in slivers, <= 0.005 km2 in the Cilegon file): the ward
 *   whose boundary is farthest from the point, i.e. the one it is most deeply inside; ties (within 1 mm)
 *   go to the smallest code (`match: 'overlap'`).
 * - inside none, but within `toleranceM` (default 25 m) of a ward's boundary: the nearest ward, ties to the
 *   smallest code (`match: 'near'`). This absorbs gaps between simplified neighbouring polygons and a site
 *   on the shore just past a simplified coastline. 25 m is about the vertex spacing error of the simplified
 *   source polygons and well under an AP's typical outdoor radius.
 * - farther than that from every ward: null (the caller keeps the site and flags it as outside every ward).
 */
import Flatbush from 'flatbush';
import type { Position } from 'geojson';
import type { WardGeometry } from './check-ward-geometry.ts';
import { distanceToRingsM, metresToDegreesLat, metresToDegreesLng, pointInPolygonRings } from './ring-geometry.ts';

export const WARD_LOCATOR_TOLERANCE_M_DEFAULT = 25;

export interface LocatableWard {
  code: string;
  geometry: WardGeometry;
  /** [minLng, minLat, maxLng, maxLat] */
  bbox: readonly [number, number, number, number];
}

export interface WardLocation {
  code: string;
  match: 'inside' | 'overlap' | 'near';
  /** Distance from the point to the chosen ward's boundary, metres (inside or outside). */
  boundaryDistanceM: number;
}

export interface WardLocator {
  locate(lon: number, lat: number): string | null;
  locateDetailed(lon: number, lat: number): WardLocation | null;
}

export interface WardLocatorOptions {
  /** How far outside every ward a point may be and still be given the nearest one. Default 25 m. */
  toleranceM?: number;
}

const TIE_M = 0.001;

export function createWardLocator(wards: readonly LocatableWard[], options: WardLocatorOptions = {}): WardLocator {
  const toleranceM = options.toleranceM ?? WARD_LOCATOR_TOLERANCE_M_DEFAULT;
  const polygons: Position[][][][] = wards.map((w) => (w.geometry.type === 'Polygon' ? [w.geometry.coordinates] : w.geometry.coordinates));
  const index = wards.length > 0 ? new Flatbush(wards.length) : null;
  if (index !== null) {
    for (const w of wards) {
      const [minLng, minLat, maxLng, maxLat] = w.bbox;
      const padLat = metresToDegreesLat(toleranceM);
      const padLng = metresToDegreesLng(toleranceM, Math.max(Math.abs(minLat), Math.abs(maxLat)));
      index.add(minLng - padLng, minLat - padLat, maxLng + padLng, maxLat + padLat);
    }
    index.finish();
  }

  function boundaryDistanceM(k: number, lon: number, lat: number): number {
    let best = Infinity;
    for (const rings of polygons[k]!) best = Math.min(best, distanceToRingsM(lon, lat, rings));
    return best;
  }

  function better(a: { k: number; d: number }, b: { k: number; d: number }, preferLarger: boolean): boolean {
    if (Math.abs(a.d - b.d) > TIE_M) return preferLarger ? a.d > b.d : a.d < b.d;
    return wards[a.k]!.code < wards[b.k]!.code;
  }

  function locateDetailed(lon: number, lat: number): WardLocation | null {
    if (index === null || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    const hits = index.search(lon, lat, lon, lat);
    const inside: number[] = [];
    for (const k of hits) {
      const b = wards[k]!.bbox;
      if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
      if (polygons[k]!.some((rings) => pointInPolygonRings(lon, lat, rings))) inside.push(k);
    }
    if (inside.length === 1) {
      const k = inside[0]!;
      return { code: wards[k]!.code, match: 'inside', boundaryDistanceM: boundaryDistanceM(k, lon, lat) };
    }
    if (inside.length > 1) {
      let best: { k: number; d: number } | null = null;
      for (const k of inside) {
        const candidate = { k, d: boundaryDistanceM(k, lon, lat) };
        if (best === null || better(candidate, best, true)) best = candidate;
      }
      return { code: wards[best!.k]!.code, match: 'overlap', boundaryDistanceM: best!.d };
    }
    let nearest: { k: number; d: number } | null = null;
    for (const k of hits) {
      const candidate = { k, d: boundaryDistanceM(k, lon, lat) };
      if (candidate.d <= toleranceM && (nearest === null || better(candidate, nearest, false))) nearest = candidate;
    }
    return nearest === null ? null : { code: wards[nearest.k]!.code, match: 'near', boundaryDistanceM: nearest.d };
  }

  /** The same rule without measuring the distance to the boundary when the point lies in exactly one ward. */
  function locate(lon: number, lat: number): string | null {
    if (index === null || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
    let only = -1;
    let several = false;
    for (const k of index.search(lon, lat, lon, lat)) {
      const b = wards[k]!.bbox;
      if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
      if (!polygons[k]!.some((rings) => pointInPolygonRings(lon, lat, rings))) continue;
      if (only >= 0) {
        several = true;
        break;
      }
      only = k;
    }
    if (only >= 0 && !several) return wards[only]!.code;
    return locateDetailed(lon, lat)?.code ?? null;
  }

  return { locate, locateDetailed };
}
