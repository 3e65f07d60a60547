/**
 * Local equal-area projection on the WGS84 ellipsoid (normal cylindrical equal-area, one standard parallel).
 * Planar areas of projected shapes equal ellipsoidal areas (the same thing PostGIS `ST_Area(geography)` measures),
 * and near the standard parallel one unit is one ground metre in both directions, so square grid cells are
 * square on the ground and all the same area.
 */
import { authalicQ, WGS84_A_M as A_M, WGS84_E2 as E2 } from '../wards/ward-area.ts';

const DEG = Math.PI / 180;

export interface Projection {
  readonly lon0Deg: number;
  readonly lat0Deg: number;
  forward(lon: number, lat: number): [number, number];
  inverse(x: number, y: number): [number, number];
  /** Map units per ground metre along a parallel at this latitude (along a meridian it is the inverse). */
  scaleXAt(lat: number): number;
  /** Projected offset of a ground displacement of eastM / northM metres at this latitude. */
  groundOffset(lat: number, eastM: number, northM: number): [number, number];
}

export interface ProjectionOptions {
  /**
   * Turns the map plane by this angle (radians) after projecting. Areas do not change; a grid laid on the plane is
   * then not aligned with north-south / east-west borders, which would otherwise bias cell counts along such
   * borders by up to half a cell (default 0).
   */
  rotationRad?: number;
}

/** The grid's turn: an angle no surveyor uses, so straight N-S / E-W borders cross the cell rows. */
export const GRID_ROTATION_RAD = 0.3;

export function createProjection(lon0Deg: number, lat0Deg: number, options: ProjectionOptions = {}): Projection {
  const rot = options.rotationRad ?? 0;
  const cosR = Math.cos(rot);
  const sinR = Math.sin(rot);
  const s0 = Math.sin(lat0Deg * DEG);
  const k0 = Math.cos(lat0Deg * DEG) / Math.sqrt(1 - E2 * s0 * s0);
  const xFactor = A_M * k0 * DEG;
  const yFactor = A_M / (2 * k0);
  return {
    lon0Deg,
    lat0Deg,
    forward(lon: number, lat: number): [number, number] {
      const u = (lon - lon0Deg) * xFactor;
      const v = authalicQ(Math.sin(lat * DEG)) * yFactor;
      return [u * cosR - v * sinR, u * sinR + v * cosR];
    },
    inverse(x: number, y: number): [number, number] {
      const u = x * cosR + y * sinR;
      const v = -x * sinR + y * cosR;
      const q = v / yFactor;
      let phi = Math.asin(Math.max(-1, Math.min(1, q / 2)));
      for (let i = 0; i < 8; i += 1) {
        const s = Math.sin(phi);
        const d = 1 - E2 * s * s;
        const dq = (2 * (1 - E2) * Math.cos(phi)) / (d * d);
        const step = (authalicQ(s) - q) / dq;
        phi -= step;
        if (Math.abs(step) < 1e-15) break;
      }
      return [lon0Deg + u / xFactor, phi / DEG];
    },
    scaleXAt(lat: number): number {
      const s = Math.sin(lat * DEG);
      return (k0 * Math.sqrt(1 - E2 * s * s)) / Math.cos(lat * DEG);
    },
    groundOffset(lat: number, eastM: number, northM: number): [number, number] {
      const s = Math.sin(lat * DEG);
      const kx = (k0 * Math.sqrt(1 - E2 * s * s)) / Math.cos(lat * DEG);
      const u = eastM * kx;
      const v = northM / kx;
      return [u * cosR - v * sinR, u * sinR + v * cosR];
    },
  };
}

/** Signed planar area of a ring (shoelace), positive when counter-clockwise. */
export function ringAreaSigned(ring: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  const n = ring.length;
  for (let i = 0; i < n; i += 1) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

/** Area of a polygon (outer ring minus holes), planar units squared. */
export function polygonArea(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): number {
  let area = 0;
  rings.forEach((ring, index) => {
    const a = Math.abs(ringAreaSigned(ring));
    area += index === 0 ? a : -a;
  });
  return area;
}

/** Area centroid of a polygon with holes; falls back to the vertex mean for a degenerate ring. */
export function polygonCentroid(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): [number, number] {
  let cx = 0;
  let cy = 0;
  let total = 0;
  rings.forEach((ring, index) => {
    const signOuter = index === 0 ? 1 : -1;
    const areaSigned = ringAreaSigned(ring);
    const orient = Math.sign(areaSigned) || 1;
    const n = ring.length;
    for (let i = 0; i < n; i += 1) {
      const a = ring[i]!;
      const b = ring[(i + 1) % n]!;
      const cross = (a[0] * b[1] - b[0] * a[1]) * orient * signOuter;
      cx += (a[0] + b[0]) * cross;
      cy += (a[1] + b[1]) * cross;
      total += cross;
    }
  });
  if (Math.abs(total) < 1e-9) {
    const outer = rings[0] ?? [];
    const sx = outer.reduce((s, p) => s + p[0], 0);
    const sy = outer.reduce((s, p) => s + p[1], 0);
    return [sx / Math.max(1, outer.length), sy / Math.max(1, outer.length)];
  }
  return [cx / (3 * total), cy / (3 * total)];
}
