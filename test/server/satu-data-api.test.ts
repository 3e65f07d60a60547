/**
 * Issue 15, slice (a), on SQLite and Postgres: /metrics for Prometheus behind its bearer token, the KPI export as
 * XLSX (read back by openpyxl) and as a wide CSV, and the DCAT catalogue (parsed by rdflib as JSON-LD) whose every
 * download answers 200 without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_DEFINITIONS } from '../../core/traffic-light.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { python, readXlsx, tempFile } from '../helpers/debian-tools.ts';
import { ingestStatus, seedLiveSites, seedWards, type Seeded } from './planning-seed.ts';

const METRICS_TOKEN = 'prometheus-scrape-token-0123456789';
const WARD_KPIS = KPI_DEFINITIONS.filter((d) => d.scope === 'ward');

describe.each(DIALECTS)('Satu Data, metrics and exports on %s', (dialect) => {
  let t: TestApp;
  let s: Seeded;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect), { config: { metricsToken: METRICS_TOKEN, cityName: 'Kota Cilegon' } });
    admin = await t.signIn('admin');
    viewer = await t.signIn('viewer');
    await seedWards(t, admin);
    s = await seedLiveSites(t, admin, 30, 1515);
    // Two access points go down, so the states differ.
    await ingestStatus(t, s.token, [{ id: s.deviceIds[0]!, to: 'down', atMs: t.clock.nowMs() - 30_000 }, { id: s.deviceIds[1]!, to: 'down', atMs: t.clock.nowMs() - 30_000 }]);
  }, 240_000);
  afterAll(async () => t?.handle.close());

  it('ACCEPTANCE: /metrics answers Prometheus text with jangkau_devices{state} to the bearer token, 401 without it', async () => {
    expect((await t.call('GET', '/metrics')).status).toBe(401);
    expect((await t.call('GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status).toBe(401);
    // A staff session is not the token: Grafana's scrape config holds the token, nobody's cookie.
    const asAdmin = await t.call('GET', '/metrics', { as: admin });
    expect(asAdmin.status).toBe(401);
    expect(asAdmin.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const res = await t.call('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    // Every line is a comment (# HELP / # TYPE) or a sample: name{labels} value.
    for (const line of text.trimEnd().split('\n')) {
      expect(line, line).toMatch(/^(# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+|[a-z_:][a-z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf))$/);
    }
    expect(text).toContain('# TYPE jangkau_devices gauge');
    expect(text).toMatch(/^jangkau_devices\{state="up"\} 28$/m);
    expect(text).toMatch(/^jangkau_devices\{state="down"\} 2$/m);
    expect(text).toMatch(/^jangkau_devices\{state="unknown"\} 0$/m);
    expect(text).toMatch(/^jangkau_incidents_open 0$/m);
    expect(text).toMatch(/^jangkau_collector_last_batch_age_seconds\{collector="[^"]+"\} \d/m);
    expect(text).toMatch(/^jangkau_kpi_value\{scope="ward",ward="[0-9.]+",kecamatan="[^"]+",key="livePoints"\} \d+$/m);
    expect(text).toMatch(/^jangkau_kpi_status\{scope="provider",provider="NetA",key="providerAvailabilityPct"\} [012]$/m);
    // A KPI without data has no value sample (never a 0), and says why.
    const noData = [...text.matchAll(/^jangkau_kpi_no_data\{scope="ward",ward="([0-9.]+)",kecamatan="[^"]+",key="(\w+)",reason="([a-z-]+)"\} 1$/gm)];
    expect(noData.length).toBeGreaterThan(0);
    const wardValue = (ward: string, key: string): RegExp => new RegExp(`^jangkau_kpi_value\\{scope="ward",ward="${ward.replace(/\./g, '\\.')}",kecamatan="[^"]+",key="${key}"\\}`, 'm');
    for (const m of noData) expect(text).not.toMatch(wardValue(m[1]!, m[2]!));
  }, 90_000);

  it('ACCEPTANCE: GET /api/v1/kpis/wards.xlsx is a workbook with 43 data rows: numbers as numbers, no data said with its reason', async () => {
    // Both answers at one instant, so availability is the same figure in the workbook and the API.
    t.clock.freeze();
    const res = await t.call('GET', '/api/v1/kpis/wards.xlsx', { as: viewer });
    const apiRes = await t.call('GET', '/api/v1/kpis/wards', { as: viewer });
    t.clock.resume();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = readXlsx(tempFile('kpi.xlsx', new Uint8Array(await res.arrayBuffer())));
    expect(Object.keys(book)).toEqual(['KPI per kelurahan', 'Status', 'Definisi']);
    const rows = book['KPI per kelurahan']!;
    expect(rows).toHaveLength(1 + 43);
    expect(rows[0]!.map((c) => c.v)).toEqual(['Kode kelurahan', 'Kelurahan', 'Kecamatan', 'Titik Wi-Fi aktif (titik)', 'Warga terjangkau (aktif) (%)', 'Ketersediaan, 7 hari terakhir (%)',
      'Bandwidth kontrak (titik aktif terendah) (Mbps)', 'Throughput puncak terukur, 24 jam (rata-rata per AP) (Mbps)', 'Rata-rata waktu pemulihan, 7 hari (jam)',
      // Issue 14: what citizens measured with the portal's speed test.
      'Kecepatan unduh warga, 7 hari (median uji kecepatan) (Mbps)', 'Latensi warga, 7 hari (median uji kecepatan) (md)']);
    const api = ((await apiRes.json()) as { items: Array<{ wardCode: string; kpis: Array<{ key: string; value: number | null; reason?: string; status: string }> }> }).items;
    let numbers = 0;
    let noData = 0;
    for (const row of rows.slice(1)) {
      const ward = api.find((w) => w.wardCode === row[0]!.v)!;
      expect(ward, String(row[0]!.v)).toBeDefined();
      WARD_KPIS.forEach((d, i) => {
        const cell = row[3 + i]!;
        const k = ward.kpis.find((x) => x.key === d.key)!;
        if (k.value === null) {
          noData++;
          expect(cell.t).toBe('str');
          expect(String(cell.v)).toMatch(/^tidak ada data: .+/);
        } else {
          numbers++;
          expect(['int', 'float']).toContain(cell.t);
          expect(cell.v).toBe(k.value);
        }
      });
    }
    expect(numbers).toBeGreaterThan(43);
    expect(noData).toBeGreaterThan(0);
    // The status sheet never says red for a KPI without data.
    const statuses = book.Status!.slice(1).flatMap((r) => r.slice(3).map((c) => String(c.v)));
    expect(statuses.filter((v) => v.startsWith('tidak ada data')).length).toBe(noData);
    const en = readXlsx(tempFile('kpi-en.xlsx', new Uint8Array(await (await t.call('GET', '/api/v1/kpis/wards.xlsx?lang=en', { as: viewer })).arrayBuffer())));
    expect(Object.keys(en)).toEqual(['KPIs by ward', 'Status', 'Definitions']);
    expect(en['KPIs by ward']![0]![3]!.v).toBe('Live Wi-Fi points (points)');
    expect(en['KPIs by ward']!.slice(1).flatMap((r) => r.map((c) => String(c.v))).some((v) => v.startsWith('no data: '))).toBe(true);
    expect((await t.call('GET', '/api/v1/kpis/wards.xlsx')).status).toBe(401);
    expect((await t.call('GET', '/api/v1/kpis/wards.xlsx?lang=fr', { as: viewer })).status).toBe(422);
  }, 90_000);

  it('exports the same shape as CSV (layout=wide), keeping the long CSV as it was', async () => {
    const res = await t.call('GET', '/api/v1/kpis/wards.csv?layout=wide&lang=id', { as: viewer });
    expect(res.status).toBe(200);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(44);
    expect(lines[0]!.startsWith('Kode kelurahan,Kelurahan,Kecamatan,Titik Wi-Fi aktif (titik),')).toBe(true);
    expect(lines[0]).toContain('Status: Titik Wi-Fi aktif');
    expect(lines.slice(1).some((l) => l.includes('tidak ada data: '))).toBe(true);
    expect(lines.slice(1).every((l) => !/,red,/.test(l))).toBe(true);
    const long = (await (await t.call('GET', '/api/v1/kpis/wards.csv', { as: viewer })).text()).split('\r\n')[0];
    expect(long).toBe('wardCode,wardName,district,key,label,value,target,unit,status,reason,note');
  }, 90_000);

  it('ACCEPTANCE: the DCAT catalogue is JSON-LD (rdflib reads it) and every download URL answers 200, without personal data', async () => {
    expect((await t.call('POST', '/api/v1/kpis/snapshots', { as: admin, json: {} })).status).toBe(201);
    const snap = await t.call('POST', '/api/v1/open-data/snapshots', { as: admin, json: {} });
    expect(snap.status, await snap.clone().text()).toBe(201);
    expect(((await snap.json()) as { datasets: { dataset: string; rows: number }[] }).datasets).toEqual([{ dataset: 'hotspots', rows: 30 }, { dataset: 'coverage-wards', rows: 43 }]);
    expect((await t.call('POST', '/api/v1/open-data/snapshots', { as: viewer, json: {} })).status).toBe(403);

    const res = await t.call('GET', '/api/v1/open-data/catalog.jsonld');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const text = await res.text();
    const doc = JSON.parse(text) as { '@type': string; 'dcat:dataset': Array<Record<string, any>> };
    expect(doc['@type']).toBe('dcat:Catalog');
    expect(doc['dcat:dataset'].map((d) => d['dct:identifier'])).toEqual(['jangkau-hotspots', 'jangkau-coverage-wards', 'jangkau-kpis-monthly', 'jangkau-availability-daily']);
    const urls: string[] = [];
    for (const d of doc['dcat:dataset']) {
      expect(d['dct:license']['@id']).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect(d['dct:accrualPeriodicity']['@id']).toMatch(/^http:\/\/purl\.org\/cld\/freq\/(daily|monthly)$/);
      expect(d['dcat:distribution'].length).toBeGreaterThan(0);
      for (const dist of d['dcat:distribution']) urls.push(dist['dcat:downloadURL']['@id']);
    }
    // The month kept by today's snapshot is offered for download.
    const month = new Date(t.clock.nowMs() + 7 * 3_600_000).toISOString().slice(0, 7);
    expect(urls).toContain(`http://localhost/api/v1/open-data/hotspots.csv?month=${month}`);
    expect(urls).toContain(`http://localhost/api/v1/open-data/kpis-monthly.csv?month=${month}`);
    // rdflib (an RDF library independent of ours) parses it as JSON-LD and finds the datasets and their downloads.
    const rdf = python<{ datasets: number; downloads: number; licences: number }>(
      `import json, sys, rdflib
g = rdflib.Graph()
g.parse(data=open(sys.argv[1]).read(), format="json-ld")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
print(json.dumps({"datasets": len(set(g.subjects(rdflib.RDF.type, DCAT.Dataset))), "downloads": len(set(g.objects(None, DCAT.downloadURL))), "licences": len(set(g.subject_objects(DCT.license)))}))`,
      [tempFile('catalog.jsonld', text)],
    );
    expect(rdf.datasets).toBe(4);
    expect(rdf.downloads).toBe(new Set(urls).size);
    expect(rdf.licences).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      const path = url.replace('http://localhost', '');
      const r = await t.call('GET', path);
      const body = await r.text();
      expect(r.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
      // No personal data: no device address, no credentials, no phone numbers, no e-mail.
      expect(body, path).not.toMatch(/127\.0\.\d+\.\d+|community|password|@test\.local|\+62\d{6,}/);
    }
    const geo = (await (await t.call('GET', '/api/v1/open-data/hotspots.geojson')).json()) as { features: Array<{ properties: Record<string, unknown> }> };
    expect(geo.features).toHaveLength(30);
    expect(Object.keys(geo.features[0]!.properties).sort()).toEqual(['id', 'kecamatan', 'lastSeen', 'name', 'ssids', 'state', 'wardCode', 'wardName']);
    const states = geo.features.map((f) => f.properties.state);
    expect(states.filter((x) => x === 'down')).toHaveLength(2);
    const cov = (await (await t.call('GET', `/api/v1/open-data/coverage-wards.csv?month=${month}`)).text()).trimEnd().split('\r\n');
    expect(cov[0]!.startsWith('day,wardCode,wardName,kecamatan,layer,')).toBe(true);
    expect(cov).toHaveLength(44);
    const avail = (await (await t.call('GET', `/api/v1/open-data/availability-daily.csv?month=${month}`)).text()).trimEnd().split('\r\n');
    expect(avail[0]).toBe('day,siteId,siteName,wardCode,availabilityPct,observedH,status');
    expect(avail.length).toBeGreaterThan(30);
    // A month with no snapshot kept is a clear 404, a malformed one 422.
    expect((await t.call('GET', '/api/v1/open-data/hotspots.csv?month=2001-01')).status).toBe(404);
    expect((await t.call('GET', '/api/v1/open-data/hotspots.csv?month=2026-13')).status).toBe(422);
  }, 90_000);
});
