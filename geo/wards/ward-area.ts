/**
 * Area of a ward (or any polygon in [lng, lat]) on the WGS84 ellipsoid, m2: what PostGIS `ST_Area(geography)`
 * measures. Each ring is mapped to the cylindrical equal-area plane of the ellipsoid (x = a * lng, y = a * q(lat) / 2,
 * q the authalic function), where the shoelace formula gives the ellipsoidal area of the ring with edges that are
 * straight in that plane; over a ward's short edges they differ from geodesic edges by far less than 0.01 %.
 * This is the one area figure of a ward: the import stores it and the coverage engine reports it.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** WGS84: semi-major axis (m), flattening, eccentricity squared; shared with geo/coverage/projection.ts. */
export const WGS84_A_M = 6_378_137;
const FLATTENING = 1 / 298.257223563;
export const WGS84_E2 = FLATTENING * (2 - FLATTENING);
const A_M = WGS84_A_M;
const E2 = WGS84_E2;
const E = Math.sqrt(E2);
const DEG = Math.PI / 180;

/** The authalic function q(phi) of the WGS84 ellipsoid (equal-area latitude), from sin(phi). */
export function authalicQ(sinPhi: number): number {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}

/** Signed ellipsoidal area of one ring, m2 (counter-clockwise positive); the ring may be open or closed. */
export function ringAreaSignedM2(ring: readonly Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  // Relative to the first vertex's longitude, so large longitudes lose no precision.
  const lon0 = ring[0]![0]!;
  let sum = 0;
  let px = 0;
  let py = authalicQ(Math.sin(ring[0]![1]! * DEG));
  for (let i = 1; i <= n; i += 1) {
    const p = ring[i % n]!;
    const x = (p[0]! - lon0) * DEG;
    const y = authalicQ(Math.sin(p[1]! * DEG));
    sum += px * y - x * py;
    px = x;
    py = y;
  }
  return (sum / 2) * A_M * (A_M / 2);
}

/** Area of a polygon (outer ring minus holes), m2. */
export function polygonAreaM2(rings: readonly (readonly Position[])[]): number {
  let area = 0;
  rings.forEach((ring, index) => {
    const a = Math.abs(ringAreaSignedM2(ring));
    area += index === 0 ? a : -a;
  });
  return area;
}

/** Area of a Polygon or MultiPolygon on the WGS84 ellipsoid, m2 (parts summed as given). */
export function ellipsoidalAreaM2(geometry: Polygon | MultiPolygon): number {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let area = 0;
  for (const rings of polys) area += polygonAreaM2(rings);
  return area;
}
