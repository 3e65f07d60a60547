import type { MultiPolygon, Polygon } from 'geojson';
import { AppError } from '../../core/errors.ts';
import { createWardLocator } from '../wards/create-ward-locator.ts';
import { ellipsoidalAreaM2 } from '../wards/ward-area.ts';
import { createProjection, GRID_ROTATION_RAD, type Projection } from './projection.ts';
import type { CoverageWard, ProjectedPolygon, XY } from './types.ts';

export interface PreparedWard {
  ward: CoverageWard;
  /** Polygons (outer ring + holes) in projected metres. */
  polygons: ProjectedPolygon[];
  bbox: [number, number, number, number];
  /** The ward's own polygon on the ellipsoid, m2 (overlaps with neighbours included): its one area figure. */
  vectorAreaM2: number;
}

function polygonsOf(geometry: Polygon | MultiPolygon): number[][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** A projection centred on the wards' bounding box. */
export function projectionForWards(wards: ReadonlyArray<CoverageWard>): Projection {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const w of wards) {
    for (const poly of polygonsOf(w.geometry)) {
      for (const p of poly[0] ?? []) {
        minLon = Math.min(minLon, p[0]!);
        maxLon = Math.max(maxLon, p[0]!);
        minLat = Math.min(minLat, p[1]!);
        maxLat = Math.max(maxLat, p[1]!);
      }
    }
  }
  const options = { rotationRad: GRID_ROTATION_RAD };
  if (!Number.isFinite(minLon)) return createProjection(0, 0, options);
  return createProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2, options);
}

export function prepareWards(projection: Projection, wards: ReadonlyArray<CoverageWard>): PreparedWard[] {
  const seen = new Set<string>();
  return wards.map((ward, index) => {
    const path = `wards[${index}]`;
    if (seen.has(ward.code)) throw new AppError('validation_failed', `duplicate ward code ${ward.code}`, { details: [{ path: `${path}.code`, message: 'duplicate' }] });
    seen.add(ward.code);
    const g = ward.geometry;
    if (g === null || g === undefined || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      throw new AppError('validation_failed', `ward ${ward.code} needs a Polygon or MultiPolygon`, { details: [{ path: `${path}.geometry`, message: 'expected Polygon or MultiPolygon' }] });
    }
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const polygons: ProjectedPolygon[] = polygonsOf(g).map((rings) =>
      rings
        .filter((ring) => ring.length >= 4)
        .map((ring) =>
          ring.map((p): XY => {
            const lon = p[0]!;
            const lat = p[1]!;
            if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
              throw new AppError('validation_failed', `ward ${ward.code} has a non-numeric coordinate`, { details: [{ path: `${path}.geometry`, message: 'coordinate is not a number' }] });
            }
            const xy = projection.forward(lon, lat);
            if (xy[0] < minX) minX = xy[0];
            if (xy[0] > maxX) maxX = xy[0];
            if (xy[1] < minY) minY = xy[1];
            if (xy[1] > maxY) maxY = xy[1];
            return xy;
          }),
        ),
    ).filter((rings) => rings.length > 0);
    // The one area figure of a ward (geo/wards/ward-area.ts): the same number the ward import stores.
    const vectorAreaM2 = ellipsoidalAreaM2(g);
    return { ward, polygons, bbox: [minX, minY, maxX, maxY], vectorAreaM2 };
  });
}

/**
 * The ward of a location ([lng, lat]), by the one rule sites, devices, reports and the coverage engine share
 * (geo/wards/create-ward-locator.ts: inside one ward; on an overlap the ward it lies deepest in; within the
 * tolerance outside every ward the nearest). Returns the ward's index, or -1.
 */
export function wardLocator(wards: ReadonlyArray<PreparedWard>): (lon: number, lat: number) => number {
  if (wards.length === 0) return () => -1;
  const indexOf = new Map(wards.map((w, i) => [w.ward.code, i] as const));
  const locator = createWardLocator(wards.map((w) => ({ code: w.ward.code, geometry: w.ward.geometry, bbox: lonLatBbox(w.ward.geometry) })));
  return (lon: number, lat: number): number => {
    const code = locator.locate(lon, lat);
    return code === null ? -1 : indexOf.get(code)!;
  };
}

function lonLatBbox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const poly of polygonsOf(geometry)) {
    for (const p of poly[0] ?? []) {
      if (p[0]! < minLon) minLon = p[0]!;
      if (p[0]! > maxLon) maxLon = p[0]!;
      if (p[1]! < minLat) minLat = p[1]!;
      if (p[1]! > maxLat) maxLat = p[1]!;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}
