/**
 * A PATCH changes only the fields it names (found in issue 14): with zod 4, `.partial()` of a body with defaults
 * still filled absent fields with those defaults, so renaming a live site made it "planned" and disabling a device
 * reset its poll interval. Checked for sites, devices, portal hotspots and RADIUS NAS clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { makePortalApp, ORIGIN, type PortalTestApp } from '../portal/helpers.ts';

describe.each(DIALECTS)('PATCH changes only what it names (%s)', (dialect) => {
  let handle: DbHandle;
  let t: PortalTestApp;
  let admin: string;
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    t = await makePortalApp(handle);
    admin = await t.staffCookie('admin');
  });
  afterAll(async () => handle.close());
  const send = async (method: string, path: string, json?: unknown): Promise<Record<string, unknown>> => {
    const res = await t.call(method, path, { headers: { cookie: admin, origin: ORIGIN }, ...(json === undefined ? {} : { json }) });
    expect(res.status, path).toBeLessThan(300);
    return (await res.json()) as Record<string, unknown>;
  };

  it('keeps a live site live when it is renamed, and a device its poll interval when it is disabled', async () => {
    const site = await send('POST', '/api/v1/sites', { name: 'Balai RW 05', lat: -6.01, lon: 106.05, status: 'live' });
    expect((await send('PATCH', `/api/v1/sites/${String(site.id)}`, { name: 'Balai RW 05 Masjid' })).status).toBe('live');
    const device = await send('POST', '/api/v1/devices', { name: 'ap-rw05', role: 'ap', address: '10.9.0.5', pollIntervalS: 300 });
    const off = await send('PATCH', `/api/v1/devices/${String(device.id)}`, { enabled: false });
    expect(off).toMatchObject({ enabled: false, pollIntervalS: 300 });
    const router = await send('POST', '/api/v1/devices', { name: 'gw-rw05', role: 'router', address: '10.9.0.1' });
    const hs = await send('POST', '/api/v1/portal/hotspots', { deviceId: router.id, identity: 'gw-rw05', serverAddress: '10.5.50.1', userProfile: 'warga', rateLimit: '2M/5M', dailyTimeS: 7200, methods: ['otp'] });
    expect(await send('PATCH', `/api/v1/portal/hotspots/${String(hs.id)}`, { enabled: false })).toMatchObject({ enabled: false, userProfile: 'warga', rateLimit: '2M/5M', dailyTimeS: 7200, methods: ['otp'] });
  });

  it("keeps a NAS client's settings when only its name changes", async () => {
    const router = await send('POST', '/api/v1/devices', { name: 'gw-rw07', role: 'router', address: '10.9.0.7' });
    const hs = await send('POST', '/api/v1/portal/hotspots', { deviceId: router.id, identity: 'gw-rw07', serverAddress: '10.5.51.1', userProfile: 'warga', methods: ['otp'] });
    const nas = await send('POST', '/api/v1/radius/clients', {
      name: 'gw-rw07', address: '10.9.0.7', secret: 'rw07-shared-secret', vendor: 'mikrotik', hotspotId: hs.id,
      requireMessageAuthenticator: false, macAuthDays: 14, idleTimeoutS: 1800, interimS: 600, coaPort: 1700,
    });
    const renamed = await send('PATCH', `/api/v1/radius/clients/${String(nas.id)}`, { name: 'gw-rw07 balai' });
    expect(renamed).toMatchObject({ name: 'gw-rw07 balai', requireMessageAuthenticator: false, macAuthDays: 14, idleTimeoutS: 1800, interimS: 600, coaPort: 1700, enabled: true, secretSet: true });
  });
});
