/**
 * Geometry checks for one ward feature: type, shape of the coordinate arrays, finite numbers, valid range,
 * [lat, lng] order, ring closure, ring length and self-intersection. Returns every fault found (as plain
 * messages) plus the bbox when the coordinates are usable.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { findRingSelfIntersection } from './ring-geometry.ts';

export type WardGeometry = Polygon | MultiPolygon;

export interface WardGeometryCheck {
  faults: string[];
  /** Set when the geometry is a well-formed Polygon/MultiPolygon with valid, in-range numbers. */
  geometry: WardGeometry | null;
  /** [minLng, minLat, maxLng, maxLat] of all positions when numbers are usable (even if rings are faulty). */
  bbox: [number, number, number, number] | null;
  vertexCount: number;
  /** How many of the faults are rings crossing or touching themselves (the faults a repair can fix). */
  selfIntersections: number;
}

function fmt(p: readonly unknown[]): string {
  return `[${p.slice(0, 2).map((v) => (typeof v === 'number' ? String(v) : JSON.stringify(v))).join(', ')}]`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const t = (value as { type?: unknown }).type;
    return typeof t === 'string' ? `a ${t}` : 'an object without a type';
  }
  return `a ${typeof value}`;
}

/** Polygons as arrays of rings, whatever the input type; null when the nesting is wrong. */
function polygonsOf(type: 'Polygon' | 'MultiPolygon', coordinates: unknown, faults: string[]): unknown[][] | null {
  if (!Array.isArray(coordinates)) {
    faults.push(`geometry.coordinates is ${describeType(coordinates)}, expected an array`);
    return null;
  }
  const polygons = type === 'Polygon' ? [coordinates] : coordinates;
  if (polygons.length === 0) {
    faults.push(`${type} has no coordinates`);
    return null;
  }
  const out: unknown[][] = [];
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p];
    if (!Array.isArray(rings) || rings.length === 0) {
      faults.push(`${type === 'Polygon' ? 'polygon' : `polygon ${p}`} has no rings (expected an array of rings)`);
      return null;
    }
    for (let r = 0; r < rings.length; r++) {
      if (!Array.isArray(rings[r])) {
        faults.push(`${ringName(type, p, r)} is ${describeType(rings[r])}, expected an array of positions`);
        return null;
      }
    }
    out.push(rings);
  }
  return out;
}

function ringName(type: 'Polygon' | 'MultiPolygon', p: number, r: number): string {
  const ring = r === 0 ? 'outer ring' : `hole ${r}`;
  return type === 'Polygon' ? ring : `polygon ${p} ${ring}`;
}

export function checkWardGeometry(geometry: unknown): WardGeometryCheck {
  const faults: string[] = [];
  const empty: WardGeometryCheck = { faults, geometry: null, bbox: null, vertexCount: 0, selfIntersections: 0 };
  if (geometry === null || geometry === undefined || typeof geometry !== 'object' || Array.isArray(geometry)) {
    faults.push(`geometry is ${describeType(geometry)}; expected a Polygon or MultiPolygon`);
    return empty;
  }
  const type = (geometry as { type?: unknown }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    const what = type === 'Point' || type === 'MultiPoint' ? 'points' : type === 'LineString' || type === 'MultiLineString' ? 'lines' : 'not an area';
    faults.push(`geometry is ${typeof type === 'string' ? `a ${type}` : 'of no known type'} (${what}); only Polygon and MultiPolygon are accepted`);
    return empty;
  }
  const polygons = polygonsOf(type, (geometry as { coordinates?: unknown }).coordinates, faults);
  if (polygons === null) return empty;

  // Pass 1: numbers.
  let vertexCount = 0;
  let badShape: string | null = null;
  let nonFinite = 0;
  let nonFiniteExample = '';
  let outOfRange = 0;
  let outOfRangeExample = '';
  let looksSwapped = 0;
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p]!;
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r] as unknown[];
      for (let v = 0; v < ring.length; v++) {
        vertexCount++;
        const pos = ring[v];
        if (!Array.isArray(pos) || pos.length < 2) {
          badShape ??= `${ringName(type, p, r)} position ${v} is ${describeType(pos)}, expected [lng, lat]`;
          continue;
        }
        const lng = pos[0] as unknown;
        const lat = pos[1] as unknown;
        if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
          if (nonFinite++ === 0) nonFiniteExample = `${ringName(type, p, r)} position ${v} ${fmt(pos)}`;
          continue;
        }
        if (Math.abs(lng) > 180 || Math.abs(lat) > 90) {
          if (outOfRange++ === 0) outOfRangeExample = `${ringName(type, p, r)} position ${v} ${fmt(pos)}`;
          if (Math.abs(lat) <= 180 && Math.abs(lng) <= 90) looksSwapped++;
          continue;
        }
        if (lng < minLng) minLng = lng;
        if (lng > maxLng) maxLng = lng;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      }
    }
  }
  if (badShape !== null) faults.push(badShape);
  if (nonFinite > 0) {
    faults.push(`${nonFinite} position${nonFinite === 1 ? ' is' : 's are'} not finite numbers, e.g. ${nonFiniteExample}`);
  }
  if (outOfRange > 0) {
    const hint =
      looksSwapped === outOfRange
        ? '; the coordinates look like [lat, lng] order, GeoJSON needs [lng, lat]'
        : '';
    faults.push(
      `${outOfRange} of ${vertexCount} positions are outside the valid range (longitude -180..180, latitude -90..90), e.g. ${outOfRangeExample}${hint}`,
    );
  }
  const bbox: [number, number, number, number] | null =
    badShape === null && nonFinite === 0 && outOfRange === 0 && minLng <= maxLng ? [minLng, minLat, maxLng, maxLat] : null;
  if (bbox === null) return { faults, geometry: null, bbox: null, vertexCount, selfIntersections: 0 };

  // Pass 2: rings (numbers are all valid here).
  let selfIntersections = 0;
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p] as Position[][];
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r]!;
      const name = ringName(type, p, r);
      if (ring.length < 4) {
        faults.push(`${name} has ${ring.length} position${ring.length === 1 ? '' : 's'}; a closed ring needs at least 4`);
        continue;
      }
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        faults.push(`${name} is not closed: it starts at ${fmt(first)} and ends at ${fmt(last)}`);
        continue;
      }
      const crossing = findRingSelfIntersection(ring);
      if (crossing !== null) {
        faults.push(`${name} intersects itself near ${fmt(crossing.map((c) => Math.round(c * 1e6) / 1e6))}`);
        selfIntersections += 1;
      }
    }
  }
  return { faults, geometry: faults.length === 0 ? (geometry as WardGeometry) : null, bbox, vertexCount, selfIntersections };
}
