import type { Polygon } from 'geojson';
import { AppError } from '../../core/errors.ts';
import type { CoverageSpec } from '../../core/schemas/inventory.ts';
import type { Projection } from './projection.ts';
import type { ProjectedPolygon, XY } from './types.ts';

export interface FootprintShapeOptions {
  /** Vertices of a full circle (default 32); a sector gets a share of them (at least 4 on the arc). */
  circleVertices?: number;
}

export interface ProjectedFootprint {
  /** Closed ring in projected metres. */
  ring: XY[];
  bbox: [number, number, number, number];
  /** Planar area in projected units (= ground m2). */
  areaM2: number;
}

/**
 * The footprint polygon of one device in projected metres: an omni circle, or a sector when beamWidthDeg < 360
 * (azimuthDeg clockwise from north, default 0). The radius of the polygon's vertices is scaled so that the
 * polygon's area equals the true circle's (sector's) area, so grid, vector and PostGIS all measure the same shape.
 */
export function footprintRing(
  projection: Projection,
  lon: number,
  lat: number,
  radiusM: number,
  spec: Pick<CoverageSpec, 'azimuthDeg' | 'beamWidthDeg'>,
  options: FootprintShapeOptions = {},
): ProjectedFootprint {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lat < -85 || lat > 85) {
    throw new AppError('validation_failed', 'footprint needs a finite location', { details: [{ path: 'location', message: `lon ${lon}, lat ${lat}` }] });
  }
  const [cx, cy] = projection.forward(lon, lat);
  const full = options.circleVertices ?? 32;
  const beam = spec.beamWidthDeg ?? 360;
  const ring: XY[] = [];
  if (beam >= 360) {
    const step = (2 * Math.PI) / full;
    const r = radiusM * Math.sqrt(step / Math.sin(step));
    for (let i = 0; i < full; i += 1) {
      const t = i * step;
      const [dx, dy] = projection.groundOffset(lat, r * Math.sin(t), r * Math.cos(t));
      ring.push([cx + dx, cy + dy]);
    }
  } else {
    const beamRad = (beam * Math.PI) / 180;
    const segments = Math.max(4, Math.ceil((full * beam) / 360));
    const step = beamRad / segments;
    const r = radiusM * Math.sqrt(step / Math.sin(step));
    const start = (((spec.azimuthDeg ?? 0) - beam / 2) * Math.PI) / 180;
    ring.push([cx, cy]);
    for (let i = 0; i <= segments; i += 1) {
      const t = start + i * step;
      const [dx, dy] = projection.groundOffset(lat, r * Math.sin(t), r * Math.cos(t));
      ring.push([cx + dx, cy + dy]);
    }
  }
  // Counter-clockwise (GeoJSON outer ring order): bearings run clockwise, so reverse.
  ring.reverse();
  ring.push([ring[0]![0], ring[0]![1]]);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let sum = 0;
  for (let i = 0; i < ring.length; i += 1) {
    const p = ring[i]!;
    if (p[0] < minX) minX = p[0];
    if (p[0] > maxX) maxX = p[0];
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
    if (i + 1 < ring.length) {
      const q = ring[i + 1]!;
      sum += p[0] * q[1] - q[0] * p[1];
    }
  }
  return { ring, bbox: [minX, minY, maxX, maxY], areaM2: Math.abs(sum) / 2 };
}

/** Back to GeoJSON lon/lat. */
export function unprojectPolygon(projection: Projection, rings: ProjectedPolygon): Polygon {
  return {
    type: 'Polygon',
    coordinates: rings.map((ring) => ring.map(([x, y]) => {
      const [lon, lat] = projection.inverse(x, y);
      return [Math.round(lon * 1e9) / 1e9, Math.round(lat * 1e9) / 1e9];
    })),
  };
}
