/** The same app on workerd with a real D1 binding (wrangler's local mode): sign in, import wards, list them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSharedData } from '../helpers/shared-data.ts';
import { startWorker, type RunningWorker } from '../helpers/wrangler.ts';

describe('Cloudflare Workers runtime with D1', () => {
  let w: RunningWorker;
  let cookie = '';
  beforeAll(async () => {
    w = await startWorker({
      JANGKAU_SECRET_KEY: 'ab'.repeat(32),
      JANGKAU_ADMIN_EMAIL: 'admin@cilegon.go.id',
      JANGKAU_ADMIN_PASSWORD: 'worker-admin-password',
    });
  }, 90_000);
  afterAll(async () => w?.stop());

  it('migrates D1 and serves health', async () => {
    const res = await fetch(`${w.url}/healthz`);
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'd1' });
  });

  it('signs the admin in and sets the session cookie', async () => {
    const res = await fetch(`${w.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@cilegon.go.id', password: 'worker-admin-password' }),
    });
    expect(res.status).toBe(200);
    cookie = /jangkau_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    expect(cookie).not.toBe('');
  });

  it('imports the Cilegon wards into D1 and lists them', async () => {
    const imp = await fetch(`${w.url}/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan`, {
      method: 'POST',
      headers: { cookie, origin: w.url, 'content-type': 'application/geo+json' },
      body: readSharedData('cilegon-kelurahan.geojson'),
    });
    expect(imp.status).toBe(200);
    const list = await fetch(`${w.url}/api/v1/wards?limit=100`, { headers: { cookie } });
    const body = (await list.json()) as { total: number; items: { areaM2: number }[] };
    expect(body.total).toBe(43);
    // Areas on the WGS84 ellipsoid (the sphere of the source file reads 163.2 km2, 0.43 % more at 6 deg S).
    expect(body.items.reduce((a, x) => a + x.areaM2, 0) / 1e6).toBeCloseTo(162.5, 0);
    const anon = await fetch(`${w.url}/api/v1/wards`);
    expect(anon.status).toBe(401);
  });

  it('seals device credentials on Workers too', async () => {
    const res = await fetch(`${w.url}/api/v1/devices`, {
      method: 'POST',
      headers: { cookie, origin: w.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'gw', role: 'gateway', address: '127.0.0.1', snmp: { community: 'worker-secret-community' } }),
    });
    expect(res.status).toBe(201);
    expect(await res.text()).not.toContain('worker-secret-community');
  });

  it("runs every job of the background-job table from the cron trigger's scheduled() (issue 11)", async () => {
    const cron = await fetch(`${w.url}/__scheduled?cron=${encodeURIComponent('*/10 * * * *')}`);
    expect(cron.status).toBe(200);
    const deadline = Date.now() + 30_000;
    let items: { name: string; runs: number; lastOk: boolean | null; lastRunner: string | null }[] = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${w.url}/api/v1/system/jobs`, { headers: { cookie } });
      expect(res.status).toBe(200);
      items = ((await res.json()) as { items: typeof items }).items;
      if (items.every((j) => j.lastOk !== null)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(items.map((j) => j.name).sort()).toEqual(['hotspot-user-sweep', 'kpi-snapshot', 'maintenance', 'monthly-report', 'open-data-snapshot', 'personal-data-purge', 'rollups', 'sms-delivery']);
    for (const j of items) expect(j, j.name).toMatchObject({ runs: 1, lastOk: true, lastRunner: 'workers-cron' });
  }, 60_000);
});
