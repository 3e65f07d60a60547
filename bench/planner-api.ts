/**
 * Planner through the API: `npx tsx bench/planner-api.ts`.
 * Cilegon (43 wards, district residents), 240 live access points reported up, then N imported candidates
 * (N = 300 and 3,000) inside the city. Times POST /api/v1/plans { budget: { count: 30 } } (demand cells from the
 * coverage engine's grid, lazy greedy, local search and Lagrangian bound where the planner's 'auto' allows) and,
 * as the baseline in the same process, POST /api/v1/coverage/what-if adding the plan's 30 sites at once.
 * Medians of 5 runs after one warm-up. Prints a Markdown block for bench/RESULTS.md.
 */
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { seededRandom } from '../geo/coverage/index.ts';
import { createWardLocator } from '../geo/wards/index.ts';
import { openSqlite } from '../server/db/connect-node.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { makeTestApp, type TestApp } from '../test/helpers/app.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.JANGKAU_SHARED_DATA ?? path.resolve(repoRoot, '../shared/data');
const read = (name: string): string => readFileSync(path.join(dataDir, name), 'utf8');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function ok(res: Response, what: string): Promise<unknown> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res.json();
}

function cityPoints(count: number, seed: number): Array<{ lon: number; lat: number }> {
  const fc = JSON.parse(read('cilegon-kelurahan.geojson')) as FeatureCollection<Polygon | MultiPolygon, { kode: string }>;
  const locator = createWardLocator(fc.features.map((f) => {
    const coords = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat(2);
    return { code: f.properties.kode, geometry: f.geometry, bbox: [Math.min(...coords.map((p) => p[0]!)), Math.min(...coords.map((p) => p[1]!)), Math.max(...coords.map((p) => p[0]!)), Math.max(...coords.map((p) => p[1]!))] as const };
  }));
  const rnd = seededRandom(seed);
  const out: Array<{ lon: number; lat: number }> = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const lon = 105.925 + rnd() * 0.16;
    const lat = -6.078 + rnd() * 0.2;
    const loc = locator.locateDetailed(lon, lat);
    // No two points in neighbouring ~11 m cells: the import refuses candidates within 5 m of each other.
    const i = Math.round(lon / 1e-4);
    const j = Math.round(lat / 1e-4);
    let near = false;
    for (let di = -1; di <= 1; di++) for (let dj = -1; dj <= 1; dj++) if (seen.has(`${i + di}:${j + dj}`)) near = true;
    if (loc !== null && loc.match === 'inside' && !near) {
      seen.add(`${i}:${j}`);
      out.push({ lon, lat });
    }
  }
  return out;
}

async function seed(t: TestApp, admin: string): Promise<void> {
  await ok(await t.call('POST', '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan', { as: admin, body: read('cilegon-kelurahan.geojson'), contentType: 'application/geo+json' }), 'wards');
  await ok(await t.call('POST', '/api/v1/wards/residents?by=district&keyColumn=kecamatan&valueColumn=population_2025s1', { as: admin, body: read('cilegon-kecamatan-population.csv'), contentType: 'text/csv' }), 'residents');
  const token = ((await ok(await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'bench' } }), 'token')) as { token: string }).token;
  const ids: string[] = [];
  for (const [i, p] of cityPoints(240, 1).entries()) {
    const site = (await ok(await t.call('POST', '/api/v1/sites', { as: admin, json: { name: `S${i}`, lat: p.lat, lon: p.lon, status: 'live' } }), 'site')) as { id: string };
    const dev = (await ok(await t.call('POST', '/api/v1/devices', { as: admin, json: { siteId: site.id, name: `AP${i}`, role: 'ap', address: `127.0.${i >> 7}.${(i & 127) + 1}`, coverage: { radiusM: 60 + (i % 15) * 10 } } }), 'device')) as { id: string };
    ids.push(dev.id);
  }
  const now = Date.now();
  await ok(await t.app.request('http://localhost/api/v1/ingest', {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ collectorId: 'bench', batchId: `b${now}`, createdAtMs: now, items: [], events: ids.map((id) => ({ type: 'status_changed', deviceId: id, atMs: now - 60_000, detectedAtMs: now - 60_000, from: 'unknown', to: 'up' })) }),
  }), 'ingest');
}

async function main(): Promise<void> {
  const handle = openSqlite(':memory:');
  await migrateToLatest(handle.db, 'sqlite');
  const t = await makeTestApp(handle);
  const admin = await t.signIn('admin');
  await seed(t, admin);
  const lines: string[] = [`Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, Node ${process.version}. Cilegon, 240 live APs (60-200 m), 5 m grid.`, '', '| candidates | plan 30, thorough (ms) | plan 30, fast (ms) | what-if of the 30 (ms, baseline) | thorough / what-if | fast / what-if | new residents thorough / fast | what-if delta | gap to bound thorough / fast |', '|---|---|---|---|---|---|---|---|---|'];
  for (const n of [300, 3000]) {
    await handle.db.deleteFrom('candidates').execute();
    const csv = ['name,lat,lon,kind', ...cityPoints(n, 100 + n).map((p, i) => `C${i},${p.lat.toFixed(6)},${p.lon.toFixed(6)},other`)].join('\n');
    await ok(await t.call('POST', '/api/v1/candidates/import', { as: admin, body: csv, contentType: 'text/csv' }), 'candidates');
    const planMs: number[] = [];
    const fastMs: number[] = [];
    const wiMs: number[] = [];
    type P = { newResidents: number; gapPct: number; sites: { lat: number; lon: number }[]; radiusM: number };
    let plan: P | null = null;
    let fast: P | null = null;
    let delta = 0;
    for (let r = 0; r < 6; r++) {
      const t0 = performance.now();
      plan = (await ok(await t.call('POST', '/api/v1/plans', { as: admin, json: { name: `b${r}`, budget: { count: 30 } } }), 'plan')) as P;
      const t1 = performance.now();
      const wi = (await ok(await t.call('POST', '/api/v1/coverage/what-if', { as: admin, json: { layer: 'live', add: plan.sites.map((s) => ({ lat: s.lat, lon: s.lon, radiusM: plan!.radiusM })) } }), 'what-if')) as { city: { residentsCoveredDelta: number } };
      const t2 = performance.now();
      fast = (await ok(await t.call('POST', '/api/v1/plans', { as: admin, json: { name: `f${r}`, budget: { count: 30 }, effort: 'fast' } }), 'plan')) as P;
      const t3 = performance.now();
      delta = wi.city.residentsCoveredDelta;
      if (r > 0) {
        planMs.push(t1 - t0);
        wiMs.push(t2 - t1);
        fastMs.push(t3 - t2);
      }
    }
    const p = median(planMs);
    const f = median(fastMs);
    const w = median(wiMs);
    lines.push(`| ${n} | ${p.toFixed(0)} | ${f.toFixed(0)} | ${w.toFixed(0)} | ${(p / w).toFixed(1)}x | ${(f / w).toFixed(1)}x | ${plan!.newResidents} / ${fast!.newResidents} | ${delta} | ${plan!.gapPct} % / ${fast!.gapPct} % |`);
    console.log(lines.at(-1));
  }
  await handle.close();
  console.log(['', '## Planner through the API (bench/planner-api.ts)', '', ...lines].join('\n'));
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
