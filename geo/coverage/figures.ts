import type { LayerDevices } from '../../core/coverage-layers.ts';
import type { CoverageLayer } from './types.ts';

/** Why a ward has no residents figure. */
export type ResidentsReason = 'not-imported';

/** Coverage of one ward for one layer. Areas in m2 on the WGS84 ellipsoid. */
export interface WardCoverageFigures {
  code: string;
  name: string;
  district: string;
  /**
   * The ward's area: its own polygon on the ellipsoid (the same figure GET /api/v1/wards gives; PostGIS
   * ST_Area(geography) agrees within 0.01 %).
   */
  areaM2: number;
  /** coveredPct of areaM2. The share is measured on the 5 m grid, where each cell belongs to one ward only. */
  coveredAreaM2: number;
  coveredPct: number;
  /** null when the ward's residents are unknown (see residentsReason). */
  residents: number | null;
  residentsCovered: number | null;
  residentsCoveredPct: number | null;
  /** Set when residents is null: `not-imported` (no residents figure was imported for this ward). */
  residentsReason?: ResidentsReason;
  /** Devices located in the ward (not retired). */
  accessPoints: number;
  /** Devices located in the ward that are up now. */
  liveAccessPoints: number;
  /** Devices located in the ward that were never polled (counted in planned and assumed, not in live). */
  unverifiedAccessPoints: number;
  /** Devices located in the ward that were polled and are down now (left out of assumed and live). */
  downAccessPoints: number;
  /** liveAccessPoints per 1,000 residents; null without residents. */
  apsPer1000Residents: number | null;
}

export interface OutsideCityFigures {
  accessPoints: number;
  liveAccessPoints: number;
  /** Devices without a location or located in no ward. */
  deviceIds: string[];
}

export interface CityFigures {
  areaM2: number;
  coveredAreaM2: number;
  coveredPct: number;
  /** Residents of the wards whose residents are known; `partial` says whether any ward is missing. */
  residents: number;
  residentsCovered: number;
  /** residentsCovered / residents over the wards with residents; null when no ward has residents. */
  residentsCoveredPct: number | null;
  /** True when some wards have no residents figure: the totals cover the others only. */
  partial: boolean;
  wardsWithoutResidents: number;
  accessPoints: number;
  liveAccessPoints: number;
}

/** Access points behind a layer's figures (core/coverage-layers.ts). */
export type { LayerDevices } from '../../core/coverage-layers.ts';

export type PopulationSource = 'uniform' | 'population-grid';

export interface WardFiguresResult {
  layer: CoverageLayer;
  /** `uniform`: each ward's residents spread evenly over its area; `population-grid`: from the given grid. */
  populationSource: PopulationSource;
  cellSizeM: number;
  devices: LayerDevices;
  items: WardCoverageFigures[];
  city: CityFigures;
  outsideCity: OutsideCityFigures;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function pct(part: number, whole: number): number {
  return whole > 0 ? round((100 * part) / whole, 4) : 0;
}
