import type { Polygon } from 'geojson';
import type { CoverageSpec } from '../../core/schemas/inventory.ts';
import { randomBetween, type RandomSource } from '../../core/seeded-random.ts';
import type { CoverageDevice, CoverageWard } from './types.ts';

/** Seeded test and benchmark data. Pure: the same seed gives the same data. */

function inRings(lon: number, lat: number, rings: number[][][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const a = ring[i]!;
      const b = ring[j]!;
      if (a[1]! > lat !== b[1]! > lat && lon < ((b[0]! - a[0]!) * (lat - a[1]!)) / (b[1]! - a[1]!) + a[0]!) inside = !inside;
    }
  }
  return inside;
}

/** A uniformly random point inside a ward (rejection sampling in its bbox), [lng, lat]. */
export function randomPointInWard(ward: CoverageWard, random: RandomSource): [number, number] {
  const polys = ward.geometry.type === 'Polygon' ? [ward.geometry.coordinates] : ward.geometry.coordinates;
  const rings = polys.flat();
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const ring of rings) for (const p of ring) {
    minX = Math.min(minX, p[0]!);
    maxX = Math.max(maxX, p[0]!);
    minY = Math.min(minY, p[1]!);
    maxY = Math.max(maxY, p[1]!);
  }
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const lon = randomBetween(random, minX, maxX);
    const lat = randomBetween(random, minY, maxY);
    if (inRings(lon, lat, rings)) return [lon, lat];
  }
  const first = rings[0]![0]!;
  return [first[0]!, first[1]!];
}

export interface SeededDeviceOptions {
  radiusMinM?: number;
  radiusMaxM?: number;
  /** Share of devices that are up (default 0.85). */
  upShare?: number;
  idPrefix?: string;
}

/** Devices spread over wards in proportion to ward count (each device picks a random ward, then a random point). */
export function seededDevices(wards: ReadonlyArray<CoverageWard>, count: number, random: RandomSource, options: SeededDeviceOptions = {}): CoverageDevice[] {
  const min = options.radiusMinM ?? 50;
  const max = options.radiusMaxM ?? 150;
  const upShare = options.upShare ?? 0.85;
  const out: CoverageDevice[] = [];
  for (let k = 0; k < count; k += 1) {
    const ward = wards[Math.floor(random() * wards.length)]!;
    const [lon, lat] = randomPointInWard(ward, random);
    const spec: CoverageSpec = { radiusM: Math.round(randomBetween(random, min, max)) };
    const up = random() < upShare;
    const availability = Math.round((up ? randomBetween(random, 0.9, 1) : randomBetween(random, 0.3, 0.9)) * 1000) / 1000;
    out.push({ id: `${options.idPrefix ?? 'ap'}-${String(k).padStart(5, '0')}`, lon, lat, spec, up, availability, wardCode: ward.code });
  }
  return out;
}

export interface SyntheticWardsOptions {
  columns: number;
  rows: number;
  /** Ward edge, m (default 2,500). */
  wardSizeM?: number;
  originLon?: number;
  originLat?: number;
  /** Vertices per ward edge (default 8): borders are shared exactly, so wards never overlap. */
  edgeVertices?: number;
}

/** A jittered lattice of wards (like a province's kelurahan), with residents. */
export function syntheticWards(random: RandomSource, options: SyntheticWardsOptions): CoverageWard[] {
  const size = options.wardSizeM ?? 2_500;
  const sub = options.edgeVertices ?? 8;
  const lon0 = options.originLon ?? 105.5;
  const lat0 = options.originLat ?? -6.9;
  const mPerDegLat = 110_574;
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const nx = options.columns * sub;
  const ny = options.rows * sub;
  const step = size / sub;
  const lattice: number[][] = [];
  for (let j = 0; j <= ny; j += 1) {
    for (let i = 0; i <= nx; i += 1) {
      const border = i === 0 || j === 0 || i === nx || j === ny;
      const jx = border ? 0 : randomBetween(random, -0.3, 0.3) * step;
      const jy = border ? 0 : randomBetween(random, -0.3, 0.3) * step;
      lattice.push([lon0 + (i * step + jx) / mPerDegLon, lat0 + (j * step + jy) / mPerDegLat]);
    }
  }
  const at = (i: number, j: number): number[] => lattice[j * (nx + 1) + i]!;
  const wards: CoverageWard[] = [];
  for (let r = 0; r < options.rows; r += 1) {
    for (let c = 0; c < options.columns; c += 1) {
      const i0 = c * sub;
      const j0 = r * sub;
      const ring: number[][] = [];
      for (let k = 0; k < sub; k += 1) ring.push(at(i0 + k, j0));
      for (let k = 0; k < sub; k += 1) ring.push(at(i0 + sub, j0 + k));
      for (let k = 0; k < sub; k += 1) ring.push(at(i0 + sub - k, j0 + sub));
      for (let k = 0; k < sub; k += 1) ring.push(at(i0, j0 + sub - k));
      ring.push(ring[0]!);
      const geometry: Polygon = { type: 'Polygon', coordinates: [ring] };
      const code = `S.${String(r).padStart(3, '0')}.${String(c).padStart(3, '0')}`;
      wards.push({ code, name: `Ward ${r}-${c}`, district: `District ${Math.floor(r / 5)}-${Math.floor(c / 5)}`, geometry, population: Math.round(randomBetween(random, 2_000, 25_000)) });
    }
  }
  return wards;
}

export interface SyntheticCityOptions {
  /** Wards in the lattice (default 20 x 10 = 200). */
  columns?: number;
  rows?: number;
  /** Ward edge, m (default 1,100: a dense city of about 240 km2). */
  wardSizeM?: number;
  originLon?: number;
  originLat?: number;
  /** Island parts of the ward with the most (default 36); a few other coastal wards get 1-4. */
  maxIslands?: number;
}

/**
 * A seeded city shaped like the hard cases of real ward files: a jittered lattice of wards with shared borders, every
 * seventh ward with a lake (a hole that belongs to no ward), coastal wards in the bottom row owning islands off the
 * coast (MultiPolygons, one of them with `maxIslands` parts), and residents per ward.
 */
export function syntheticCity(random: RandomSource, options: SyntheticCityOptions = {}): CoverageWard[] {
  const columns = options.columns ?? 20;
  const rows = options.rows ?? 10;
  const size = options.wardSizeM ?? 1_100;
  const lon0 = options.originLon ?? 106.0;
  const lat0 = options.originLat ?? -6.1;
  const mPerDegLat = 110_574;
  const mPerDegLon = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const base = syntheticWards(random, { columns, rows, wardSizeM: size, originLon: lon0, originLat: lat0, edgeVertices: 10 });
  const circle = (cx: number, cy: number, r: number, n: number, clockwise: boolean): number[][] => {
    const ring: number[][] = [];
    for (let k = 0; k < n; k += 1) {
      const a = ((clockwise ? -1 : 1) * 2 * Math.PI * k) / n;
      ring.push([cx + (r * Math.cos(a)) / mPerDegLon, cy + (r * Math.sin(a)) / mPerDegLat]);
    }
    ring.push(ring[0]!);
    return ring;
  };
  const maxIslands = options.maxIslands ?? 36;
  return base.map((ward, index) => {
    const outer = (ward.geometry as Polygon).coordinates[0]!;
    const row = Math.floor(index / columns);
    const col = index % columns;
    const cx = outer.reduce((s, p) => s + p[0]!, 0) / outer.length;
    const cy = outer.reduce((s, p) => s + p[1]!, 0) / outer.length;
    const polygon: number[][][] = [outer];
    if (index % 7 === 3) polygon.push(circle(cx, cy, randomBetween(random, 80, 220), 24, true));
    const islands = row === 0 ? (col === Math.floor(columns / 2) ? maxIslands : col % 3 === 0 ? 1 + Math.floor(random() * 4) : 0) : 0;
    if (islands === 0) return { ...ward, geometry: { type: 'Polygon', coordinates: polygon } };
    const parts: number[][][][] = [polygon];
    for (let k = 0; k < islands; k += 1) {
      // South of the coast, in a band 300 m to 2 km out, spread along the ward's width.
      const ix = cx + ((k % 6) - 2.5) * (size / 6 / mPerDegLon);
      const iy = lat0 - (300 + Math.floor(k / 6) * 280 + randomBetween(random, 0, 80)) / mPerDegLat;
      parts.push([circle(ix, iy, randomBetween(random, 20, 90), 12, false)]);
    }
    return { ...ward, geometry: { type: 'MultiPolygon', coordinates: parts } };
  });
}
