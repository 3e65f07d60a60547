import type { CoverageLayer } from './types.ts';

/** Coverage of one ward for one layer. Areas in m2 on the WGS84 ellipsoid, from the grid. */
export interface WardCoverageFigures {
  code: string;
  name: string;
  district: string;
  /** The ward's area on the grid (cells it owns; overlap slivers go to one ward only). */
  areaM2: number;
  coveredAreaM2: number;
  coveredPct: number;
  /** null when the ward's population is unknown (and no population grid was given). */
  residents: number | null;
  residentsCovered: number | null;
  residentsCoveredPct: number | null;
  /** Devices located in the ward (not retired). */
  accessPoints: number;
  /** Devices located in the ward that are up now. */
  liveAccessPoints: number;
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
  residents: number | null;
  residentsCovered: number | null;
  accessPoints: number;
  liveAccessPoints: number;
}

export type PopulationSource = 'uniform' | 'population-grid';

export interface WardFiguresResult {
  layer: CoverageLayer;
  /** `uniform`: each ward's residents spread evenly over its area; `population-grid`: from the given grid. */
  populationSource: PopulationSource;
  cellSizeM: number;
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
