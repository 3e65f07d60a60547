/**
 * Issue 17: a province on one Postgres. Banten's 1,552 villages (../shared/data/banten-desa.geojson, imported with
 * its hierarchy and repair=true) x 10,000 access points (seeded: geo/coverage seededDevices, radius 50-150 m; 85 % up,
 * 5 % down, 10 % never polled; residents seeded per village, the file carries none). The app runs in this process on
 * the local Postgres (a fresh schema). Timed through the API (wall clock, performance.now(), median of 5 after one
 * warm-up): province KPIs and gaps, and the same figures per kabupaten/kota, kecamatan and desa.
 * Baseline in the same process and data: the same request by a staff account limited to Kota Cilegon (43 villages,
 * the city Jangkau started with), so each ratio says what the province costs over one city.
 *
 *   npx tsx bench/province-regions.ts
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededDevices, seededRandom, type CoverageWard } from '../geo/coverage/index.ts';
import { insertDevices } from '../server/db/devices.ts';
import { insertSites } from '../server/db/sites.ts';
import type { DevicesTable, SitesTable } from '../server/db/types.ts';
import { makeTestApp, type TestApp } from '../test/helpers/app.ts';
import { openTestDb } from '../test/helpers/db.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.JANGKAU_SHARED_DATA ?? path.resolve(repoRoot, '../shared/data');
const APS = Number(process.env.JANGKAU_BENCH_APS ?? 10_000);
const RUNS = 5;
const HIERARCHY = 'codeProp=kode&nameProp=nama&districtProp=kecamatan&districtCodeProp=kode_kecamatan&cityCodeProp=kode_kota&cityProp=kota&provinceProp=provinsi&repair=true';

async function ok(res: Response, what: string): Promise<Response> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const text = readFileSync(path.join(dataDir, 'banten-desa.geojson'), 'utf8');
  const fc = JSON.parse(text) as { features: Array<{ properties: { kode: string; nama: string; kecamatan: string; area_km2: number }; geometry: CoverageWard['geometry'] }> };
  const rnd = seededRandom(36);
  const wards: CoverageWard[] = fc.features.map((f) => ({
    code: f.properties.kode, name: f.properties.nama, district: f.properties.kecamatan, geometry: f.geometry,
    population: Math.round(f.properties.area_km2 * (300 + rnd() * 11_700)),
  }));
  const handle = await openTestDb('postgres');
  const t: TestApp = await makeTestApp(handle, { config: { maxBodyBytes: 16 * 1024 * 1024, checkResponses: false } });
  try {
    const admin = await t.signIn('admin');
    const importMs = await time(async () => ok(await t.call('POST', `/api/v1/wards/import?${HIERARCHY}`, { as: admin, body: text, contentType: 'application/geo+json' }), 'ward import'));
    const csv = ['code,residents', ...wards.map((w) => `${w.code},${w.population ?? 0}`)].join('\n');
    await ok(await t.call('POST', '/api/v1/wards/residents?by=ward&keyColumn=code&valueColumn=residents', { as: admin, body: csv, contentType: 'text/csv' }), 'residents');
    const devices = seededDevices(wards, APS, seededRandom(APS), { radiusMinM: 50, radiusMaxM: 150 });
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
    for (let i = 0; i < sites.length; i += 500) await insertSites(handle.db, sites.slice(i, i + 500));
    for (let i = 0; i < rows.length; i += 500) await insertDevices(handle.db, rows.slice(i, i + 500));
    const nowMs = Date.now();
    const status = rows.flatMap((r, i) => (i % 20 < 2 ? [] : [{ device_id: r.id, status: i % 20 === 2 ? 'down' : 'up', since_ms: nowMs - 3_600_000, last_poll_ms: nowMs - 30_000, last_ok_ms: nowMs - 30_000 }]));
    for (let i = 0; i < status.length; i += 200) await handle.db.insertInto('device_status').values(status.slice(i, i + 200) as never).execute();
    const transitions = status.map((s) => ({ device_id: s.device_id, at_ms: nowMs - 3_600_000, status: s.status }));
    for (let i = 0; i < transitions.length; i += 200) await handle.db.insertInto('status_transitions').values(transitions.slice(i, i + 200) as never).execute();
    const cilegon = await t.signIn('admin', { scopeCityCode: '36.72' });

    // The first request builds the coverage engine for the whole province (every caller shares it).
    const coldMs = await time(async () => ok(await t.call('GET', '/api/v1/gaps?limit=20', { as: admin }), 'cold gaps'));
    const cases: [string, string, boolean][] = [
      ['KPIs, province', '/api/v1/kpis/regions?level=provinsi', false],
      ['KPIs per kabupaten/kota', '/api/v1/kpis/regions?level=kota', true],
      ['KPIs per desa', '/api/v1/kpis/regions?level=desa', true],
      ['gaps, top 20 (ranked over every village)', '/api/v1/gaps?limit=20', true],
      ['gaps per kabupaten/kota', '/api/v1/gaps/regions?level=kota', true],
      ['gaps per kecamatan', '/api/v1/gaps/regions?level=kecamatan', true],
      ['coverage per kabupaten/kota', '/api/v1/coverage/regions?level=kota', true],
      ['availability per kabupaten/kota, 24 h', '/api/v1/availability/regions?level=kota', true],
      ['availability per desa, 24 h', '/api/v1/availability/regions?level=desa', true],
    ];
    const lines: string[] = [];
    for (const [label, url, scoped] of cases) {
      const measure = async (as: string): Promise<number> => {
        await ok(await t.call('GET', url, { as }), `${label} warm-up`);
        const xs: number[] = [];
        for (let i = 0; i < RUNS; i += 1) xs.push(await time(async () => ok(await t.call('GET', url, { as }), label)));
        return median(xs);
      };
      const province = await measure(admin);
      // The province level is refused a kota account: its baseline is the kota level for Cilegon.
      const base = scoped ? await measure(cilegon) : await (async () => {
        const u = '/api/v1/kpis/regions?level=kota';
        await ok(await t.call('GET', u, { as: cilegon }), 'warm-up');
        const xs: number[] = [];
        for (let i = 0; i < RUNS; i += 1) xs.push(await time(async () => ok(await t.call('GET', u, { as: cilegon }), label)));
        return median(xs);
      })();
      lines.push(`| ${label} | ${province.toFixed(0)} ms | ${base.toFixed(0)} ms | ${(province / base).toFixed(1)}x |`);
    }
    console.log([
      `Run: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')}; Postgres; ${fc.features.length} villages x ${APS} APs`,
      `Ward import with hierarchy (validate, repair, store): ${(importMs / 1000).toFixed(1)} s; first gaps (builds the province's coverage engine): ${(coldMs / 1000).toFixed(1)} s`,
      '',
      '| request (median of 5, warm) | province-wide account | account limited to Kota Cilegon (baseline) | province / Cilegon |',
      '|---|---|---|---|',
      ...lines,
    ].join('\n'));
  } finally {
    await t.handle.close();
  }
}

await main();
process.exit(0);
