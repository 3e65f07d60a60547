/**
 * Coverage at city and province scale, through the API: `npx tsx bench/coverage-scale.ts [city|banten]`.
 *
 * Two data sets, both seeded:
 * - city: a synthetic city of 200 wards (geo/coverage/synthetic.ts syntheticCity: a jittered lattice with shared
 *   borders, 27 wards with a lake as a hole, 8 coastal wards owning islands, one with 36 of them) x 3,500 APs;
 * - banten: the 1,552 villages of Banten province (../shared/data/banten-desa.geojson, imported with repair=true)
 *   x 10,000 APs.
 * Residents per ward are seeded (the province file has none); 85 % of the APs reported up, 5 % down, 10 % never
 * polled; radius 50-150 m.
 *
 * Measured (wall clock, performance.now(); the app runs in this process on a SQLite file):
 * - first gaps after a ward import: re-import of the same file, then GET /api/v1/gaps?layer=planned (the engine is
 *   rebuilt and every ward's gap shapes computed);
 * - the map layer: GET /api/v1/coverage?layer=planned&zoom=13 cold (a fresh database handle: engine built, outline
 *   traced, JSON, gzip), cold after one device moved (outline again), and warm (cache); size gzipped;
 * - candidate generation (sites: 100) after a re-import and warm; a 100-site plan on them (with its denser
 *   comparison run).
 * Baselines on the same run, the same machine, the same footprints: PostGIS (local Postgres, a fresh schema, GiST
 * indexes) doing the same geometric work: ST_Union of all footprints as GeoJSON (the map layer), each ward minus
 * the union of the footprints meeting it (the gaps), a 50 m hexagon-centre lattice inside the gaps (the candidates),
 * and the residents newly covered by the 100 sites the plan chose (evaluating one plan). Ratios are PostGIS / ours.
 * Prints a Markdown block for bench/RESULTS.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { seededRandom, seededDevices, syntheticCity, type CoverageDevice, type CoverageWard } from '../geo/coverage/index.ts';
import { openSqlite } from '../server/db/connect-node.ts';
import { insertDevices } from '../server/db/devices.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { insertSites } from '../server/db/sites.ts';
import type { DbHandle, DevicesTable, SitesTable } from '../server/db/types.ts';
import { makeTestApp, type TestApp } from '../test/helpers/app.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.JANGKAU_SHARED_DATA ?? path.resolve(repoRoot, '../shared/data');
const PG_URL = process.env.JANGKAU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const only = process.argv.slice(2);
const lines: string[] = [];
const say = (line: string): void => {
  lines.push(line);
  console.log(line);
};

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function ok(res: Response, what: string): Promise<Response> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res;
}

interface Scenario {
  name: string;
  title: string;
  wardFile: string;
  importQuery: string;
  wards: CoverageWard[];
  aps: number;
}

function cityScenario(): Scenario {
  const wards = syntheticCity(seededRandom(12));
  const fc = { type: 'FeatureCollection', features: wards.map((w) => ({ type: 'Feature', properties: { code: w.code, name: w.name, district: w.district }, geometry: w.geometry })) };
  return { name: 'city', title: 'Synthetic city: 200 wards (27 with a hole, 8 MultiPolygons up to 37 parts, 240 km2) x 3,500 APs', wardFile: JSON.stringify(fc), importQuery: 'codeProp=code&nameProp=name&districtProp=district', wards, aps: 3500 };
}

function bantenScenario(): Scenario {
  const text = readFileSync(path.join(dataDir, 'banten-desa.geojson'), 'utf8');
  const fc = JSON.parse(text) as { features: Array<{ properties: { kode: string; nama: string; kecamatan: string; area_km2: number }; geometry: CoverageWard['geometry'] }> };
  const rnd = seededRandom(36);
  const wards: CoverageWard[] = fc.features.map((f) => ({
    code: f.properties.kode, name: f.properties.nama, district: f.properties.kecamatan, geometry: f.geometry,
    // Seeded residents: 300-12,000 per km2 (the file carries none).
    population: Math.round(f.properties.area_km2 * (300 + rnd() * 11_700)),
  }));
  return { name: 'banten', title: "Banten: 1,552 villages (the published file, imported with repair=true, 9,393 km2) x 10,000 APs", wardFile: text, importQuery: 'codeProp=kode&nameProp=nama&districtProp=kecamatan&repair=true', wards, aps: 10_000 };
}

async function seed(handle: DbHandle, t: TestApp, s: Scenario): Promise<CoverageDevice[]> {
  const csv = ['code,residents', ...s.wards.map((w) => `${w.code},${w.population ?? 0}`)].join('\n');
  await ok(await t.call('POST', '/api/v1/wards/residents?by=ward&keyColumn=code&valueColumn=residents', { as: admin, body: csv, contentType: 'text/csv' }), 'residents');
  const devices = seededDevices(s.wards, s.aps, seededRandom(s.aps), { radiusMinM: 50, radiusMaxM: 150 });
  const now = new Date().toISOString();
  const sites: SitesTable[] = devices.map((d, i) => ({
    id: `site-${i}`, name: `Titik ${i}`, code: null, lat: d.lat!, lon: d.lon!, ward_code: d.wardCode ?? null, outside_city: 0, status: 'live', provider: null,
    contracted_mbps: null, address: null, planned_at: null, live_at: null, notes: null, created_at: now, updated_at: now,
  }));
  const rows: DevicesTable[] = devices.map((d, i) => ({
    id: d.id, site_id: `site-${i}`, name: `AP ${i}`, role: 'ap', vendor: null, model: null, address: `127.10.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    snmp_port: null, snmp_version: null, routeros_port: null, routeros_tls: null, routeros_username: null, secrets_sealed: null,
    poll_interval_s: 60, enabled: 1, coverage: JSON.stringify(d.spec), created_at: now, updated_at: now,
  }));
  await insertSites(handle.db, sites);
  await insertDevices(handle.db, rows);
  // 85 % up, 5 % down, 10 % never polled.
  const nowMs = Date.now();
  const status = rows.flatMap((r, i) => (i % 20 < 2 ? [] : [{ device_id: r.id, status: i % 20 === 2 ? 'down' : 'up', since_ms: nowMs - 3_600_000, last_poll_ms: nowMs - 30_000, last_ok_ms: nowMs - 30_000 }]));
  for (let i = 0; i < status.length; i += 100) await handle.db.insertInto('device_status').values(status.slice(i, i + 100) as never).execute();
  return devices;
}

let admin = '';

async function importWards(t: TestApp, s: Scenario): Promise<number> {
  const r = await timed(async () => ok(await t.call('POST', `/api/v1/wards/import?${s.importQuery}`, { as: admin, body: s.wardFile, contentType: 'application/geo+json' }), 'ward import'));
  return r.ms;
}

async function mapLayer(t: TestApp): Promise<{ ms: number; gzipBytes: number; plainBytes: number; features: number }> {
  const r = await timed(async () => {
    const res = await ok(await t.call('GET', '/api/v1/coverage?layer=planned&zoom=13', { as: admin, headers: { 'accept-encoding': 'gzip' } }), 'map layer');
    return new Uint8Array(await res.arrayBuffer());
  });
  const plain = await ok(await t.call('GET', '/api/v1/coverage?layer=planned&zoom=13', { as: admin }), 'map layer plain');
  const body = (await plain.json()) as { features: unknown[] };
  return { ms: r.ms, gzipBytes: r.value.length, plainBytes: JSON.stringify(body).length, features: body.features.length };
}

async function run(s: Scenario): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jk-bench-'));
  const file = path.join(dir, 'bench.db');
  const handle = openSqlite(file);
  await migrateToLatest(handle.db, 'sqlite');
  const t = await makeTestApp(handle, { config: { maxBodyBytes: 8 * 1024 * 1024 } });
  admin = await t.signIn('admin');
  const importMs = await importWards(t, s);
  const devices = await seed(handle, t, s);
  // Warm the engine once, then re-import: the engine is rebuilt on the next request.
  await ok(await t.call('GET', '/api/v1/coverage/wards?layer=planned', { as: admin }), 'warm');
  const reimportMs = await importWards(t, s);
  const firstGaps = await timed(async () => (await (await ok(await t.call('GET', '/api/v1/gaps?layer=planned&limit=20', { as: admin }), 'gaps')).json()) as { totalGaps: number });
  const gapsWarm = median(await Promise.all([0, 1, 2].map(async () => (await timed(async () => ok(await t.call('GET', '/api/v1/gaps?layer=planned&limit=20', { as: admin }), 'gaps'))).ms)));

  // Map layer: cold on a fresh database handle (what a restarted server does), after one move, warm.
  const handle2 = openSqlite(file);
  const t2 = await makeTestApp(handle2);
  const admin2 = admin;
  admin = await t2.signIn('admin');
  const mapCold = await mapLayer(t2);
  const mapWarm = median([await mapLayer(t2), await mapLayer(t2), await mapLayer(t2)].map((m) => m.ms));
  const moved = devices[5]!;
  await handle2.db.updateTable('sites').set({ lon: moved.lon! + 0.0003 }).where('id', '=', 'site-5').execute();
  const mapAfterMove = await mapLayer(t2);
  admin = admin2;

  // Candidates after a re-import (cold gaps) and warm, then a 100-site plan on them.
  await importWards(t, s);
  const genCold = await timed(async () => (await (await ok(await t.call('POST', '/api/v1/candidates/generate', { as: admin, json: { sites: 100, layer: 'planned' } }), 'generate')).json()) as { created: number; gapsUsed: number; totalGaps: number });
  const genWarm = await timed(async () => ok(await t.call('POST', '/api/v1/candidates/generate', { as: admin, json: { sites: 100, layer: 'planned' } }), 'generate'));
  const plan = await timed(async () => (await (await ok(await t.call('POST', '/api/v1/plans', { as: admin, json: { name: 'bench', budget: { count: 100 }, layer: 'planned' } }), 'plan')).json()) as {
    newResidents: number; gapPct: number; candidatesConsidered: number; sites: { lat: number; lon: number }[]; radiusM: number; denserCandidates: { candidates: number; newResidents: number } | null;
  });
  const planAgain = await timed(async () => ok(await t.call('POST', '/api/v1/plans', { as: admin, json: { name: 'bench 2', budget: { count: 100 }, layer: 'planned' } }), 'plan'));

  // PostGIS baselines on the same footprints.
  const fps = (await (await ok(await t.call('GET', '/api/v1/coverage?layer=planned&footprints=polygons&zoom=13', { as: admin }), 'footprints')).json()) as { features: { properties: { kind: string }; geometry: unknown }[] };
  const wardsGeo = (await (await ok(await t.call('GET', '/api/v1/public/wards.geojson'), 'wards')).json()) as { features: { properties: { code: string; population: number | null }; geometry: unknown }[] };
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const schema = `bench_${s.name}_${process.pid}`;
  const pgT: Record<string, number> = {};
  let pgUnionGzip = 0;
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path TO ${schema}, public`);
    await client.query('CREATE TABLE w (code text primary key, residents double precision, geom geometry(Geometry, 4326)); CREATE TABLE f (geom geometry(Polygon, 4326))');
    const insert = async (table: string, rows: unknown[][], cols: string): Promise<void> => {
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        const params: unknown[] = [];
        const values = chunk.map((r) => `(${r.map((v, k) => { params.push(v); return k === r.length - 1 ? `ST_SetSRID(ST_GeomFromGeoJSON($${params.length}), 4326)` : `$${params.length}`; }).join(', ')})`);
        await client.query(`INSERT INTO ${table} ${cols} VALUES ${values.join(', ')}`, params);
      }
    };
    await insert('w', wardsGeo.features.map((x) => [x.properties.code, x.properties.population ?? 0, JSON.stringify(x.geometry)]), '(code, residents, geom)');
    await insert('f', fps.features.filter((x) => x.properties.kind === 'footprint').map((x) => [JSON.stringify(x.geometry)]), '(geom)');
    await client.query('CREATE INDEX ON w USING gist (geom); CREATE INDEX ON f USING gist (geom); ANALYZE w; ANALYZE f');
    const q = async (name: string, sql: string): Promise<pg.QueryResult> => {
      const r = await timed(() => client.query(sql));
      pgT[name] = r.ms;
      return r.value;
    };
    const u = await q('union', 'SELECT ST_AsGeoJSON(ST_Union(geom), 6) AS g FROM f');
    pgUnionGzip = (await new Response(new Blob([String(u.rows[0]!.g)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()).byteLength;
    await q('gaps', `CREATE TABLE gaps AS SELECT w.code, (ST_Dump(ST_Difference(w.geom, COALESCE((SELECT ST_Union(f.geom) FROM f WHERE f.geom && w.geom), 'POLYGON EMPTY'::geometry)))).geom AS geom FROM w`);
    await client.query('CREATE INDEX ON gaps USING gist (geom)');
    await q('lattice', `SELECT count(*) FROM gaps g, LATERAL ST_HexagonGrid(0.00025, g.geom) h WHERE ST_Area(geography(g.geom)) >= 2000 AND ST_Intersects(g.geom, ST_Centroid(h.geom))`);
    const sites = plan.value.sites.map((p) => `ST_Buffer(geography(ST_SetSRID(ST_MakePoint(${p.lon}, ${p.lat}), 4326)), ${plan.value.radiusM})::geometry`).join(', ');
    await q('planEval', `WITH n AS (SELECT ST_Union(ARRAY[${sites}]) AS geom), gu AS (SELECT ST_Union(geom) AS geom FROM gaps)
      SELECT sum(w.residents * ST_Area(geography(ST_Intersection(ST_Intersection(w.geom, n.geom), gu.geom))) / ST_Area(geography(w.geom))) FROM w, n, gu WHERE w.geom && n.geom`);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
    await handle.close();
    await handle2.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = (base: number | undefined, ours: number): string => (base === undefined ? '-' : `${(base / ours).toFixed(1)}x`);
  const ms = (x: number): string => `${x.toFixed(0)} ms`;
  const kb = (b: number): string => `${(b / 1024).toFixed(0)} KB`;
  say(`### ${s.title}`);
  say('');
  say('| step | ours | target | PostGIS (same footprints) | PostGIS / ours |');
  say('|---|---|---|---|---|');
  say(`| ward import (validate${s.name === 'banten' ? ', repair' : ''}, store, place sites) | ${ms(importMs)} (re-import ${ms(reimportMs)}) | - | - | - |`);
  say(`| **first gaps after a ward import** (engine rebuilt, every ward's gap shapes; ${firstGaps.value.totalGaps} gaps) | **${ms(firstGaps.ms)}** | <= 3,000 ms | ward minus union of footprints meeting it: ${ms(pgT.gaps!)} | ${ratio(pgT.gaps, firstGaps.ms)} |`);
  say(`| gaps again (cached) | ${ms(gapsWarm)} | - | ${ms(pgT.gaps!)} | ${ratio(pgT.gaps, gapsWarm)} |`);
  say(`| **map layer cold** (fresh handle: engine + outline + JSON + gzip), zoom 13 | **${ms(mapCold.ms)}** | <= 3,000 ms | ST_AsGeoJSON(ST_Union(footprints)): ${ms(pgT.union!)} | ${ratio(pgT.union, mapCold.ms)} |`);
  say(`| map layer after one AP moved (outline traced again) | ${ms(mapAfterMove.ms)} | - | ${ms(pgT.union!)} | ${ratio(pgT.union, mapAfterMove.ms)} |`);
  say(`| **map layer warm** (cache, ETag) | **${ms(mapWarm)}** | <= 1,000 ms | ${ms(pgT.union!)} | ${ratio(pgT.union, mapWarm)} |`);
  say(`| **map layer size, gzipped** (${mapCold.features} features: union + footprints as points) | **${kb(mapCold.gzipBytes)}** (plain ${kb(mapCold.plainBytes)}) | <= 2,048 KB | union alone: ${kb(pgUnionGzip)} | - |`);
  say(`| **candidate generation** after a re-import (gaps cold), sites 100: ${genCold.value.created} points in ${genCold.value.gapsUsed} of ${genCold.value.totalGaps} gaps | **${ms(genCold.ms)}** | <= 1,000 ms | 50 m hexagon lattice in the gaps: ${ms(pgT.lattice!)} | ${ratio(pgT.lattice, genCold.ms)} |`);
  say(`| candidate generation, gaps warm | ${ms(genWarm.ms)} | <= 1,000 ms | ${ms(pgT.lattice!)} | ${ratio(pgT.lattice, genWarm.ms)} |`);
  say(`| **100-site plan** on ${plan.value.candidatesConsidered} candidates, with the denser comparison (${plan.value.denserCandidates?.candidates ?? 0} points) | **${ms(plan.ms)}** (again ${ms(planAgain.ms)}) | <= 1,000 ms | residents newly covered by the 100 chosen sites (one evaluation): ${ms(pgT.planEval!)} | ${ratio(pgT.planEval, plan.ms)} |`);
  say('');
  say(`Plan: ${plan.value.newResidents.toFixed(0)} new residents, bound gap ${plan.value.gapPct} %, denser set ${plan.value.denserCandidates?.newResidents.toFixed(0) ?? '-'}.`);
  say('');
}

say(`Run: ${new Date().toISOString()}, Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load average at start ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (a shared machine: other sessions ran their tests at the same time).`);
say('');
for (const make of [cityScenario, bantenScenario]) {
  const s = make();
  if (only.length > 0 && !only.includes(s.name)) continue;
  await run(s);
}
