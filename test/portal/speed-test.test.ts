/**
 * Issue 14 item 8: the opt-in speed test of the success page, bounded on the server, stored per hotspot and ward with
 * nothing personal, and the ward KPIs and console figures made from it ("no data" without tests, never 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { insertWard } from '../../server/db/wards.ts';
import { purgePortalData } from '../../server/portal/services/citizen-data.ts';
import { SPEED_PER_FLOW } from '../../server/portal/services/speed-test.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, decode, hotspotVars, makePortalApp, ORIGIN, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

const WARD_A = '3672010001';
const WARD_B = '3672010002';

function square(lon: number, lat: number): string {
  const d = 0.002;
  return JSON.stringify({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
}

interface Kpi { key: string; value: number | null; status: string; reason?: string }

describe.each(DIALECTS)('citizen speed test (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let direct: SeededHotspot;
  let metered: SeededHotspot;
  let form: SeededHotspot;
  let staff: string;
  let macN = 0;

  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle);
    const at = new Date().toISOString();
    for (const [code, name, lon] of [[WARD_A, 'Ciwaduk', 106.05], [WARD_B, 'Ketileng', 106.06]] as const) {
      await insertWard(handle.db, { code, name, district: 'Cilegon', geometry: square(lon, -6.0), area_m2: 49_000, min_lon: lon, min_lat: -6.0, max_lon: lon + 0.002, max_lat: -5.998, population: null, population_source: null, created_at: at, updated_at: at });
    }
    direct = await seedHotspot(handle, { loginMode: 'direct', wardCode: WARD_A, address: '10.5.50.1', maxDevices: 10 });
    metered = await seedHotspot(handle, { loginMode: 'direct', wardCode: WARD_A, address: '10.5.60.1', dailyBytes: 50 * 1024 * 1024 });
    form = await seedHotspot(handle, { loginMode: 'form', wardCode: WARD_B, address: '10.5.70.1' });
    staff = await t.staffCookie('viewer');
  });
  afterAll(async () => {
    await handle.close();
  });

  /** A citizen signs in by the terms at a hotspot; the page that follows and the browser's cookies. */
  async function signIn(h: SeededHotspot): Promise<{ jar: CookieJar; html: string; ip: string; mac: string }> {
    const jar = new CookieJar();
    const mac = `AA:BB:CC:00:${String(10 + (macN % 80)).padStart(2, '0')}:${String(10 + Math.floor(macN / 80)).padStart(2, '0')}`;
    const ip = `${h.address.split('.').slice(0, 3).join('.')}.${100 + (macN++ % 150)}`;
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { mac, ip }), jar });
    const res = await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar });
    expect(res.status).toBe(200);
    return { jar, html: await res.text(), ip, mac };
  }
  const speedCsrf = (html: string): string => decode(/data-csrf="([^"]+)"/.exec(html)![1]!);
  async function result(jar: CookieJar, csrf: string, r: { downMbps: number; upMbps: number; latencyMs: number }): Promise<Response> {
    return t.call('POST', '/portal/speed/result', { json: r, jar, headers: { 'x-portal-csrf': csrf } });
  }

  it('the success page offers the test (opt-in, its own script); a metered sign-in is neither offered it nor served', async () => {
    const { jar, html } = await signIn(direct);
    expect(html).toContain('id="speedtest"');
    expect(html).toContain('<script src="/portal/assets/speed.js" defer="">');
    expect(html).toMatch(/<button type="button" id="speedtest-start" hidden="">Mulai uji kecepatan<\/button>/);
    expect((await t.call('GET', '/portal/speed/ping', { jar })).status).toBe(200);

    const m = await signIn(metered);
    expect(m.html).toContain('Anda tersambung');
    expect(m.html).not.toContain('id="speedtest"');
    expect(m.html).toContain('Uji kecepatan tidak ditawarkan karena jatah data Anda kecil.');
    const refused = await t.call('GET', '/portal/speed/down', { jar: m.jar });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: 'metered' });
    // Without a signed-in flow there is nothing to test.
    expect((await t.call('GET', '/portal/speed/ping')).status).toBe(400);
    const script = await t.call('GET', '/portal/assets/speed.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });

  it('download and upload are bounded, need the flow (and its CSRF token for writes), and a result is kept once, without personal data', async () => {
    const { jar, html, ip, mac } = await signIn(direct);
    const csrf = speedCsrf(html);
    const down = await t.call('GET', '/portal/speed/down?bytes=409600', { jar });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/octet-stream');
    expect(down.headers.get('cache-control')).toBe('no-store');
    expect((await down.arrayBuffer()).byteLength).toBe(409600);
    expect((await t.call('GET', `/portal/speed/down?bytes=${1024 * 1024}`, { jar })).status).toBe(422);

    const body = 'x'.repeat(300_000);
    const up = await t.app.request(`${ORIGIN}/portal/speed/up`, { method: 'POST', body, headers: { cookie: jar.header(), 'content-type': 'text/plain', 'x-portal-csrf': csrf } });
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ received: 300_000 });
    const tooBig = await t.app.request(`${ORIGIN}/portal/speed/up`, { method: 'POST', body: 'x'.repeat(600 * 1024), headers: { cookie: jar.header(), 'content-type': 'text/plain', 'x-portal-csrf': csrf } });
    expect(tooBig.status).toBe(413);
    const noCsrf = await t.app.request(`${ORIGIN}/portal/speed/up`, { method: 'POST', body: 'abc', headers: { cookie: jar.header(), 'content-type': 'text/plain' } });
    expect(noCsrf.status).toBe(403);

    expect((await result(jar, csrf, { downMbps: -1, upMbps: 1, latencyMs: 1 })).status).toBe(422);
    expect((await result(jar, 'not-the-token', { downMbps: 10, upMbps: 4, latencyMs: 30 })).status).toBe(403);
    expect((await result(jar, csrf, { downMbps: 10, upMbps: 4, latencyMs: 30 })).status).toBe(201);
    expect((await result(jar, csrf, { downMbps: 99, upMbps: 99, latencyMs: 1 })).status).toBe(409);

    const rows = await portalDb(handle.db).selectFrom('portal_speed_tests').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['created_at', 'down_mbps', 'hotspot_id', 'id', 'latency_ms', 'up_mbps', 'ward_code']);
    expect(rows[0]).toMatchObject({ hotspot_id: direct.hotspotId, ward_code: WARD_A });
    expect(Number(rows[0]!.down_mbps)).toBe(10);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(ip);
    expect(dump).not.toContain(mac);
  });

  it('a flow has a small budget of test requests', async () => {
    const { jar } = await signIn(direct);
    const statuses: number[] = [];
    for (let i = 0; i < SPEED_PER_FLOW + 2; i++) statuses.push((await t.call('GET', '/portal/speed/ping', { jar })).status);
    expect(statuses.slice(0, SPEED_PER_FLOW).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(SPEED_PER_FLOW)).toEqual([429, 429]);
  });

  it("a form-mode hotspot's after-login page (/portal/done) offers the same test", async () => {
    const { jar, html } = await signIn(form);
    expect(html).toContain('id="handoff"');
    const done = await t.call('GET', '/portal/done', { jar });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(page).toContain('Anda sudah tersambung');
    expect((await result(jar, speedCsrf(page), { downMbps: 3.5, upMbps: 1.5, latencyMs: 120 })).status).toBe(201);
    expect((await t.call('GET', '/portal/done')).status).toBe(400);
  });

  it('ward KPIs are the medians of the tests; a ward without tests has no data (never 0)', async () => {
    // Ward A: 10 (above) + 20 and 40 Mbps -> median 20; latency 30, 50, 90 -> 50. Ward B: one test (form hotspot above).
    for (const [d, l] of [[20, 50], [40, 90]] as const) {
      const { jar, html } = await signIn(direct);
      expect((await result(jar, speedCsrf(html), { downMbps: d, upMbps: 5, latencyMs: l })).status).toBe(201);
    }
    const kpis = (await (await t.call('GET', '/api/v1/kpis/wards', { headers: { cookie: staff } })).json()) as { items: Array<{ wardCode: string; kpis: Kpi[] }> };
    const of = (ward: string, key: string): Kpi => kpis.items.find((w) => w.wardCode === ward)!.kpis.find((k) => k.key === key)!;
    expect(of(WARD_A, 'citizenDownMbps')).toMatchObject({ value: 20, status: 'green' });
    expect(of(WARD_A, 'citizenLatencyMs')).toMatchObject({ value: 50, status: 'green' });
    expect(of(WARD_B, 'citizenDownMbps')).toMatchObject({ value: 3.5, status: 'orange' });
    expect(of(WARD_B, 'citizenLatencyMs')).toMatchObject({ value: 120, status: 'orange' });

    // A week later nobody has tested: no data with its reason, never 0 or red.
    t.clock.advance(8 * 86_400_000);
    const later = (await (await t.call('GET', '/api/v1/kpis/wards', { headers: { cookie: staff } })).json()) as { items: Array<{ wardCode: string; kpis: Kpi[] }> };
    const k = later.items.find((w) => w.wardCode === WARD_A)!.kpis.find((x) => x.key === 'citizenDownMbps')!;
    expect(k).toMatchObject({ value: null, status: 'no-data', reason: 'no-speed-tests' });
    const q = (await (await t.call('GET', '/api/v1/portal/quality?days=30', { headers: { cookie: staff } })).json()) as {
      wards: Array<{ wardCode: string; tests: number; medianDownMbps: number | null; reason?: string }>;
      hotspots: Array<{ hotspotId: string; tests: number; medianLatencyMs: number | null; reason?: string }>;
    };
    expect(q.wards.find((w) => w.wardCode === WARD_A)).toMatchObject({ tests: 3, medianDownMbps: 20 });
    expect(q.hotspots.find((h) => h.hotspotId === metered.hotspotId)).toMatchObject({ tests: 0, medianLatencyMs: null, reason: 'no-speed-tests' });
    const week = (await (await t.call('GET', '/api/v1/portal/quality', { headers: { cookie: staff } })).json()) as { wards: Array<{ wardCode: string; tests: number; medianDownMbps: number | null; reason?: string }> };
    expect(week.wards.find((w) => w.wardCode === WARD_B)).toMatchObject({ tests: 0, medianDownMbps: null, reason: 'no-speed-tests' });

    // The per-flow and per-address counters of the tests go with the purge a day after; the results stay.
    const counters = async (): Promise<number> => (await handle.db.selectFrom('rate_limits').select('key').where('key', 'like', 'portal-speed-%').execute()).length;
    expect(await counters()).toBeGreaterThan(0);
    await purgePortalData(t.jobCtx());
    expect(await counters()).toBe(0);
    expect(await portalDb(handle.db).selectFrom('portal_speed_tests').selectAll().execute()).toHaveLength(4);
  });
});
