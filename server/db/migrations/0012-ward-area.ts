import type { Kysely } from 'kysely';

/**
 * Frozen: issue 12. A ward's area is measured on the WGS84 ellipsoid (what PostGIS ST_Area(geography) gives) instead
 * of turf's sphere, which read 0.12 % low at Cilegon's latitude; this recomputes the stored figure of every ward
 * from its geometry. The formula is copied here on purpose: a migration never changes with the code.
 * Cylindrical equal-area plane of the ellipsoid: x = a * lng, y = a * q(lat) / 2; shoelace per ring.
 */
const A_M = 6_378_137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const DEG = Math.PI / 180;

function q(sinPhi: number): number {
  const es = E * sinPhi;
  return (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) - (1 / (2 * E)) * Math.log((1 - es) / (1 + es)));
}

function ringArea(ring: number[][]): number {
  const n = ring.length;
  if (n < 3) return 0;
  const lon0 = ring[0]![0]!;
  let sum = 0;
  let px = 0;
  let py = q(Math.sin(ring[0]![1]! * DEG));
  for (let i = 1; i <= n; i += 1) {
    const p = ring[i % n]!;
    const x = (p[0]! - lon0) * DEG;
    const y = q(Math.sin(p[1]! * DEG));
    sum += px * y - x * py;
    px = x;
    py = y;
  }
  return Math.abs((sum / 2) * A_M * (A_M / 2));
}

function area(geometry: { type: string; coordinates: number[][][] | number[][][][] }): number {
  const polys = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  let total = 0;
  for (const rings of polys) rings.forEach((ring, i) => (total += i === 0 ? ringArea(ring) : -ringArea(ring)));
  return total;
}

export async function up(db: Kysely<any>): Promise<void> {
  const rows = (await db.selectFrom('wards').select(['code', 'geometry']).execute()) as Array<{ code: string; geometry: string }>;
  for (const r of rows) {
    await db.updateTable('wards').set({ area_m2: area(JSON.parse(r.geometry)) }).where('code', '=', r.code).execute();
  }
}
