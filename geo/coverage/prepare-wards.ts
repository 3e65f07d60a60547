import type { MultiPolygon, Polygon } from 'geojson';
import { AppError } from '../../core/errors.ts';
import Flatbush from 'flatbush';
import { pointInPolygons } from './point-in-polygon.ts';
import { createProjection, GRID_ROTATION_RAD, polygonArea, type Projection } from './projection.ts';
import type { CoverageWard, ProjectedPolygon, XY } from './types.ts';

export interface PreparedWard {
  ward: CoverageWard;
  /** Polygons (outer ring + holes) in projected metres. */
  polygons: ProjectedPolygon[];
  bbox: [number, number, number, number];
  /** Vector area of the ward's own polygon, m2 (overlaps with neighbours included). */
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
    const vectorAreaM2 = polygons.reduce((s, rings) => s + polygonArea(rings), 0);
    return { ward, polygons, bbox: [minX, minY, maxX, maxY], vectorAreaM2 };
  });
}

/** Finds the ward holding a projected point: bbox index, then exact point-in-polygon; on overlaps the lowest code wins. */
export function wardLocator(wards: ReadonlyArray<PreparedWard>): (x: number, y: number) => number {
  if (wards.length === 0) return () => -1;
  const index = new Flatbush(wards.length);
  for (const w of wards) index.add(w.bbox[0], w.bbox[1], w.bbox[2], w.bbox[3]);
  index.finish();
  return (x: number, y: number): number => {
    let best = -1;
    for (const k of index.search(x, y, x, y)) {
      const w = wards[k]!;
      if (best >= 0 && wards[best]!.ward.code < w.ward.code) continue;
      if (pointInPolygons(x, y, w.polygons)) best = k;
    }
    return best;
  };
}
