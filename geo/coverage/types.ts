import type { MultiPolygon, Polygon } from 'geojson';
import type { Evidence } from '../../core/coverage-layers.ts';
import type { CoverageSpec, SiteStatus } from '../../core/schemas/inventory.ts';

/** A ward (kelurahan) as the coverage engine needs it. Geometry in GeoJSON [lng, lat] order. */
export interface CoverageWard {
  code: string;
  name: string;
  district: string;
  geometry: Polygon | MultiPolygon;
  /** Residents of the ward, or null when unknown. */
  population: number | null;
}

/** An access point (or any device with a radio footprint). */
export interface CoverageDevice {
  id: string;
  siteId?: string;
  /** Location; null/undefined/NaN means "no location": counted under "outside the city". */
  lon: number | null | undefined;
  lat: number | null | undefined;
  /** Informational only: the engine assigns the ward from the location. */
  wardCode?: string | null;
  /** null/undefined: the device has no footprint (it still counts as an access point). */
  spec: CoverageSpec | null | undefined;
  /** Availability over the SLA period, 0..1. When absent, taken from `up` (1 or 0). */
  availability?: number;
  /** Up right now. */
  up?: boolean;
  /**
   * What monitoring knows (core/coverage-layers.ts): `down` is the evidence that leaves a device out of the
   * `assumed` layer; `unverified` (never polled) devices are counted and reported. Default: `up` when up is true,
   * else `down`.
   */
  evidence?: Evidence;
  /** Site status; `retired` devices are left out of every layer. */
  status?: SiteStatus;
}

export { COUNT_LAYERS, COVERAGE_LAYERS, COVERAGE_LAYER_DEFINITIONS } from '../../core/coverage-layers.ts';
export type { CountLayerName, CoverageLayer, Evidence } from '../../core/coverage-layers.ts';

/** A planar point in the engine's equal-area projection, metres. */
export type XY = [number, number];
/** A polygon in projected metres: outer ring first, then holes; rings closed or not. */
export type ProjectedPolygon = XY[][];
