import type { Polygon } from 'geojson';
import type { CoverageSpec } from '../../core/schemas/inventory.ts';
import { footprintRing, unprojectPolygon } from './footprint-shape.ts';
import { resolveRadius, type RadiusOptions, type RadiusResult } from './footprint-radius.ts';
import { createProjection } from './projection.ts';

/**
 * A single device's footprint as GeoJSON ([lng, lat]) without an engine, e.g. to show a planned AP on the map.
 * Throws AppError('validation_failed') for a refused radius or a missing location.
 */
export function footprintPolygon(lon: number, lat: number, spec: CoverageSpec, options: RadiusOptions & { circleVertices?: number } = {}): { geometry: Polygon; radius: RadiusResult } {
  const radius = resolveRadius(spec, options);
  const projection = createProjection(lon, lat);
  const shape = footprintRing(projection, lon, lat, radius.radiusM, spec, options.circleVertices === undefined ? {} : { circleVertices: options.circleVertices });
  return { geometry: unprojectPolygon(projection, [shape.ring]), radius };
}
