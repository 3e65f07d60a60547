/**
 * Validates an imported ward file (a GeoJSON FeatureCollection of Polygon/MultiPolygon kelurahan) and turns
 * it into ValidWard records. All or nothing: any fault rejects the whole file with one
 * AppError('validation_failed') whose details name every faulty feature (`features[3] (code 36.72.01.1001)`)
 * and each fault. Pure: no I/O, no clock.
 */
import { AppError } from '../../core/errors.ts';
import type { ErrorDetail } from '../../core/errors.ts';
import { checkWardGeometry } from './check-ward-geometry.ts';
import type { WardGeometry } from './check-ward-geometry.ts';
import { findWardOutliers } from './find-ward-outliers.ts';
import { repairWardGeometry, type RepairTolerance } from './repair-ward-geometry.ts';
import { ellipsoidalAreaM2 } from './ward-area.ts';
import type { Bbox } from './find-ward-outliers.ts';
import { checkRegionConsistency, readWardRegion, wantsRegions, type RegionFault, type WardRegion, type WardRegionProps } from './ward-regions.ts';

/** Largest ward file body the server should accept (bytes). The Cilegon file is about 0.2 MB. */
export const WARD_FILE_MAX_BYTES = 20 * 1024 * 1024;
export const WARD_MAX_FEATURES_DEFAULT = 10_000;
export const WARD_MAX_VERTICES_DEFAULT = 2_000_000;

export interface WardPropertyNames extends WardRegionProps {
  codeProp: string;
  nameProp: string;
  districtProp: string;
}

export interface ValidateWardOptions {
  maxFeatures?: number;
  maxVertices?: number;
  /** Features must touch this [minLng, minLat, maxLng, maxLat] box; catches a whole file swapped in range. */
  areaOfInterest?: Bbox;
  /** See findWardOutliers; default 50 km. */
  minFarKm?: number;
  /**
   * Repair rings that cross or touch themselves (repeated points, spikes, crossings) when that changes a feature's
   * area by at most the tolerance (repair-ward-geometry.ts); features that cannot be repaired so are still refused,
   * by name. Off by default: a file is taken as it is unless the caller asks.
   */
  repair?: RepairTolerance | false;
}

/** One repaired feature: which, what was done, and its area before and after. */
export interface WardRepairReport {
  feature: number;
  code: string;
  name: string | null;
  actions: string[];
  areaBeforeM2: number;
  areaAfterM2: number;
}

export interface ValidWard {
  code: string;
  name: string;
  district: string;
  geometry: WardGeometry;
  /** Area on the WGS84 ellipsoid (ward-area.ts), m2: the one area figure of the ward. */
  areaM2: number;
  /** [minLng, minLat, maxLng, maxLat] */
  bbox: Bbox;
  /** Kecamatan, kabupaten/kota and province, when the caller named their properties (ward-regions.ts). */
  region?: WardRegion;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Codes may arrive as strings or numbers; names and districts must be non-empty text. */
function textProp(props: Record<string, unknown>, key: string): string | null {
  const value = props[key];
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function rejectWhole(message: string): never {
  throw new AppError('validation_failed', message, { reason: 'ward.notCollection', details: [{ path: '$', message, code: 'ward.notCollection' }] });
}

/** JSON.parse plus validation, for a request body or a file read by the CLI. */
export function parseWardFile(text: string, props: WardPropertyNames, options: ValidateWardOptions & { maxBytes?: number } = {}): ValidWardCollection {
  const maxBytes = options.maxBytes ?? WARD_FILE_MAX_BYTES;
  if (text.length > maxBytes) {
    throw new AppError('payload_too_large', `Ward file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    rejectWhole(`Ward file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return validateWardCollection(input, props, options);
}

export interface ValidWardCollection {
  wards: ValidWard[];
  /** Features repaired (only with `repair`), in file order. */
  repairs: WardRepairReport[];
}

export function validateWardCollection(input: unknown, props: WardPropertyNames, options: ValidateWardOptions = {}): ValidWardCollection {
  const maxFeatures = options.maxFeatures ?? WARD_MAX_FEATURES_DEFAULT;
  const maxVertices = options.maxVertices ?? WARD_MAX_VERTICES_DEFAULT;
  if (!isRecord(input)) rejectWhole(`Ward file must be a GeoJSON FeatureCollection, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`}`);
  if (input.type !== 'FeatureCollection') {
    const got = typeof input.type === 'string' ? `a ${input.type}` : 'an object without "type"';
    const hint = input.type === 'Feature' || input.type === 'Polygon' || input.type === 'MultiPolygon' ? ' (wrap it in a FeatureCollection)' : '';
    rejectWhole(`Ward file must be a GeoJSON FeatureCollection, got ${got}${hint}`);
  }
  const features = input.features;
  if (!Array.isArray(features)) rejectWhole('FeatureCollection has no "features" array');
  if (features.length === 0) rejectWhole('FeatureCollection has no features');
  if (features.length > maxFeatures) {
    throw new AppError('payload_too_large', `Ward file has ${features.length} features, more than the limit of ${maxFeatures}`);
  }

  const faultsByFeature = new Map<number, { message: string; code: string; params?: Record<string, string | number> }[]>();
  /** Each fault keeps its English message and a stable code clients word in their language (`ward.geometry` for shape faults). */
  const addFault = (index: number, message: string, code = 'ward.geometry', params?: Record<string, string | number>): void => {
    const fault = { message, code, ...(params === undefined ? {} : { params }) };
    const list = faultsByFeature.get(index);
    if (list === undefined) faultsByFeature.set(index, [fault]);
    else list.push(fault);
  };
  const repairs: WardRepairReport[] = [];
  const codes: (string | null)[] = [];
  const drafts: (Omit<ValidWard, 'areaM2'> | null)[] = [];
  const boxes: { index: number; bbox: Bbox }[] = [];
  const withRegions = wantsRegions(props);
  const regions: (WardRegion | null)[] = [];
  const regionFaults: RegionFault[] = [];
  let vertices = 0;

  features.forEach((feature: unknown, index: number) => {
    if (!isRecord(feature) || feature.type !== 'Feature') {
      addFault(index, `is ${isRecord(feature) && typeof feature.type === 'string' ? `a ${feature.type}` : 'not a GeoJSON Feature'}; expected a Feature`, 'ward.notFeature');
      codes.push(null);
      drafts.push(null);
      regions.push(null);
      return;
    }
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const code = textProp(properties, props.codeProp);
    const name = textProp(properties, props.nameProp);
    const district = textProp(properties, props.districtProp);
    codes.push(code);
    if (code === null) addFault(index, `property "${props.codeProp}" (the ward code) is missing or empty`, 'ward.missingCode', { property: props.codeProp });
    if (name === null) addFault(index, `property "${props.nameProp}" (the ward name) is missing or empty`, 'ward.missingName', { property: props.nameProp });
    if (district === null) addFault(index, `property "${props.districtProp}" (the district) is missing or empty`, 'ward.missingDistrict', { property: props.districtProp });
    regions.push(withRegions ? readWardRegion(index, properties, district, props, regionFaults) : null);

    let check = checkWardGeometry(feature.geometry);
    vertices += check.vertexCount;
    const repairable = check.bbox !== null && check.faults.length > 0 && check.faults.length === check.selfIntersections;
    if (repairable && options.repair !== undefined && options.repair !== false) {
      const outcome = repairWardGeometry(feature.geometry as WardGeometry, options.repair);
      if (outcome.ok) {
        check = checkWardGeometry(outcome.geometry);
        if (check.faults.length === 0) {
          repairs.push({ feature: index, code: code ?? `features[${index}]`, name, ...outcome.repair });
        } else {
          for (const fault of check.faults) addFault(index, `cannot be repaired: after the repair, ${fault}`);
        }
      } else {
        check = { ...check, faults: check.faults.map((f) => `${f}; cannot be repaired: ${outcome.reason}`) };
      }
    }
    for (const fault of check.faults) addFault(index, fault);
    if (check.bbox !== null) boxes.push({ index, bbox: check.bbox });
    drafts.push(
      check.geometry !== null && check.bbox !== null && code !== null && name !== null && district !== null
        ? { code, name, district, geometry: check.geometry, bbox: check.bbox }
        : null,
    );
  });
  if (vertices > maxVertices) {
    throw new AppError('payload_too_large', `Ward file has ${vertices} vertices, more than the limit of ${maxVertices}`);
  }

  const firstIndexOfCode = new Map<string, number[]>();
  codes.forEach((code, index) => {
    if (code === null) return;
    const list = firstIndexOfCode.get(code);
    if (list === undefined) firstIndexOfCode.set(code, [index]);
    else list.push(index);
  });
  for (const [code, indices] of firstIndexOfCode) {
    if (indices.length < 2) continue;
    for (const index of indices) {
      const others = indices.filter((i) => i !== index).map((i) => `features[${i}]`).join(', ');
      addFault(index, `duplicate code "${code}", also used by ${others}`, 'ward.duplicateCode', { code, others });
    }
  }

  if (withRegions) {
    checkRegionConsistency(regions, regionFaults);
    for (const f of regionFaults) addFault(f.index, f.message, f.code, f.params);
  }

  const outlierOptions: { minFarKm?: number; areaOfInterest?: Bbox } = {};
  if (options.minFarKm !== undefined) outlierOptions.minFarKm = options.minFarKm;
  if (options.areaOfInterest !== undefined) outlierOptions.areaOfInterest = options.areaOfInterest;
  for (const finding of findWardOutliers(boxes, outlierOptions)) addFault(finding.index, finding.message, 'ward.outlier');

  if (faultsByFeature.size > 0) {
    const details: ErrorDetail[] = [];
    for (const index of [...faultsByFeature.keys()].sort((a, b) => a - b)) {
      const code = codes[index];
      const path = code === null || code === undefined ? `features[${index}]` : `features[${index}] (code ${code})`;
      for (const f of faultsByFeature.get(index)!) details.push({ path, message: f.message, code: f.code, params: { ...(f.params ?? {}), feature: index + 1 } });
    }
    const first = details[0]!;
    throw new AppError(
      'validation_failed',
      `Ward file rejected: ${details.length} fault${details.length === 1 ? '' : 's'} in ${faultsByFeature.size} of ${features.length} features; first: ${first.path}: ${first.message}`,
      { details, reason: 'ward.fileInvalid', params: { faults: details.length, features: faultsByFeature.size, total: features.length } },
    );
  }

  const wards = drafts.map((draft, index) => {
    const d = draft!;
    const region = regions[index];
    return { ...d, areaM2: ellipsoidalAreaM2(d.geometry), ...(region === null || region === undefined ? {} : { region }) };
  });
  return { wards, repairs };
}
