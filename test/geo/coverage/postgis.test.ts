import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoverageEngine, seededRandom, type CoverageEngine, type CoverageWard } from '../../../geo/coverage/index.ts';
import { seededDevices } from '../../../geo/coverage/synthetic.ts';
import { cilegonWards } from './cilegon.ts';

/**
 * Independent cross-check: PostGIS computes each ward's covered area from the same footprint polygons the engine
 * uses: ST_Area(geography(ST_Intersection(ward, ST_Union(footprints)))), on the WGS84 spheroid.
 */
const schema = `coverage_check_${process.pid}`;
let client: pg.Client;
let wards: CoverageWard[];
let engine: CoverageEngine;
let postgis: Map<string, number>;

beforeAll(async () => {
  client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public');
  } catch (error) {
    // Another test may have created it at the same moment; only a missing package is fatal.
    const present = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'");
    if (present.rowCount === 1) return prepare();
    throw new Error(`PostGIS is not available in Postgres on 127.0.0.1:5432 (${(error as Error).message}). Install it: apt-get install -y postgresql-15-postgis-3`);
  }
  await prepare();
}, 120_000);

async function prepare(): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}, public`);
  await client.query('CREATE TABLE wards (code text PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL)');
  await client.query('CREATE TABLE footprints (id text PRIMARY KEY, geom geometry(Polygon, 4326) NOT NULL)');
  wards = cilegonWards();
  const devices = seededDevices(wards, 400, seededRandom(2026), { radiusMinM: 40, radiusMaxM: 250 });
  // A few sectors and link-budget footprints as well.
  devices.slice(0, 40).forEach((d, i) => {
    d.spec = i % 2 === 0 ? { radiusM: 180, azimuthDeg: (i * 37) % 360, beamWidthDeg: 90 } : { txPowerDbm: 18, sensitivityDbm: -72, environment: 'dense-urban' };
  });
  engine = createCoverageEngine(wards, devices);
  for (const w of wards) await client.query('INSERT INTO wards VALUES ($1, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))', [w.code, JSON.stringify(w.geometry)]);
  for (const f of engine.footprints('planned').features) {
    await client.query('INSERT INTO footprints VALUES ($1, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))', [f.properties?.['deviceId'], JSON.stringify(f.geometry)]);
  }
  const rows = await client.query<{ code: string; covered: number; area: number }>(`
    WITH u AS (SELECT ST_Union(geom) AS geom FROM footprints)
    SELECT w.code, ST_Area(geography(ST_Intersection(w.geom, u.geom)))::float8 AS covered, ST_Area(geography(w.geom))::float8 AS area
    FROM wards w, u ORDER BY w.code`);
  postgis = new Map(rows.rows.map((r) => [r.code, r.covered]));
  expect(rows.rows).toHaveLength(43);
}

const worst = { grid: 0, vector: 0 };

afterAll(async () => {
  if (process.env['COVERAGE_REPORT'] === '1') console.log(`worst relative difference to PostGIS: grid ${(worst.grid * 100).toFixed(3)}%, vector ${(worst.vector * 100).toFixed(3)}%`);
  if (client === undefined) return;
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await client.end();
});

function tolerance(wardAreaM2: number): number {
  return wardAreaM2 < 500_000 ? 0.01 : 0.005;
}

describe('covered area per ward agrees with PostGIS', () => {
  it('grid figures: within 0.5% per ward (1% under 0.5 km2)', () => {
    const figures = engine.wardFigures('planned').items;
    const report: string[] = [];
    for (const w of figures) {
      const truth = postgis.get(w.code)!;
      const diff = Math.abs(w.coveredAreaM2 - truth) / Math.max(truth, 1);
      worst.grid = Math.max(worst.grid, diff);
      if (diff > tolerance(w.areaM2)) report.push(`${w.code} ${w.name}: engine ${w.coveredAreaM2} PostGIS ${truth.toFixed(1)} (${(diff * 100).toFixed(3)}%)`);
    }
    expect(report).toEqual([]);
  });

  it('vector figures (gap clipping): within 0.5% per ward (1% under 0.5 km2)', () => {
    const vector = engine.gaps('planned', { minAreaM2: 0 }).wards;
    const report: string[] = [];
    for (const w of vector) {
      const truth = postgis.get(w.code)!;
      const diff = Math.abs(w.coveredAreaM2 - truth) / Math.max(truth, 1);
      worst.vector = Math.max(worst.vector, diff);
      if (diff > tolerance(w.areaM2)) report.push(`${w.code}: engine ${w.coveredAreaM2} PostGIS ${truth.toFixed(1)} (${(diff * 100).toFixed(3)}%)`);
    }
    expect(report).toEqual([]);
  });
});
