/**
 * Hotspot operations from the console's API (issue 14) against the fake RouterOS router over the real API wire
 * protocol: the user profile (rate limit, one device per user) reaches the router and follows a change; a router
 * that cannot be reached is reported, not hidden; an online session is kicked at the router; and where the server
 * cannot reach routers (Workers) both are queued and the on-premises collector carries them out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouterOsHotspotProvisioner, runPortalProvisionJobs } from '../../collectors/hotspot-provisioner.ts';
import { createRouterOsPool, type RouterOSPool } from '../../collectors/routeros/index.ts';
import type { HotspotProvisioner } from '../../core/hotspot.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { startFakeRouter, type FakeRouter } from '../peers/routeros/fake-router.ts';
import { CookieJar, csrfOf, handoffForm, hotspotVars, makePortalApp, ORIGIN, seedHotspot, type PortalTestApp, type SeededHotspot } from './helpers.ts';

describe.each(DIALECTS)('hotspot operations over the RouterOS API (%s)', (dialect) => {
  let handle: DbHandle;
  let ros: FakeRouter;
  let pool: RouterOSPool;
  let provisioner: HotspotProvisioner;
  let t: PortalTestApp;
  let h: SeededHotspot;
  let dead: SeededHotspot;
  let engineer: string;
  const post = (path: string, cookie: string) => t.call('POST', path, { headers: { cookie, origin: ORIGIN }, json: {} });

  beforeAll(async () => {
    handle = await openTestDb(dialect);
    ros = await startFakeRouter({ host: '127.0.0.9', state: { hotspotUsers: [], hotspotActive: [] } });
    pool = createRouterOsPool({ commandTimeoutMs: 2000, connectTimeoutMs: 1000 });
    h = await seedHotspot(handle, { identity: 'rw02-ops' });
    dead = await seedHotspot(handle, { identity: 'rw09-mati', address: '10.5.59.1' });
    provisioner = createRouterOsHotspotProvisioner({
      pool,
      resolveTarget: async (deviceId) => ({
        deviceId,
        address: ros.host,
        vendor: 'mikrotik',
        pollIntervalS: 60,
        snmp: null,
        // The dead hotspot's router refuses connections (nothing listens on port 1).
        routeros: { username: ros.username, password: ros.password, port: deviceId === dead.deviceId ? 1 : ros.port, tls: false },
      }),
    });
    t = await makePortalApp(handle, { provisioner });
    engineer = await t.staffCookie('engineer');
  });
  afterAll(async () => {
    await pool.close();
    await ros.close();
    await handle.close();
  });

  async function hotspotOut(id: string): Promise<Record<string, unknown>> {
    const list = (await (await t.call('GET', '/api/v1/portal/hotspots', { headers: { cookie: engineer } })).json()) as { items: Array<Record<string, unknown>> };
    return list.items.find((x) => x.id === id)!;
  }

  it('pushes the user profile to the router and follows a changed rate limit', async () => {
    expect(await hotspotOut(h.hotspotId)).toMatchObject({ profilePushedAt: null, profilePushError: null });
    const res = await post(`/api/v1/portal/hotspots/${h.hotspotId}/push-profile`, engineer);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ done: true, queued: false, error: null, profile: { name: 'warga', rateLimit: '2M/5M', sharedUsers: 1 } });
    const onRouter = () => ros.state.hotspotProfiles!.filter((p) => p.name === 'warga');
    expect(onRouter()).toHaveLength(1);
    expect(onRouter()[0]).toMatchObject({ 'rate-limit': '2M/5M', 'shared-users': '1' });
    expect((await hotspotOut(h.hotspotId)).profilePushedAt).toEqual(expect.any(String));

    const patched = await t.call('PATCH', `/api/v1/portal/hotspots/${h.hotspotId}`, { headers: { cookie: engineer, origin: ORIGIN }, json: { rateLimit: '4M/8M' } });
    expect(patched.status).toBe(200);
    // Changed here, not yet on the router: the console says so until it is pushed.
    expect((await hotspotOut(h.hotspotId)).profilePushedAt).toBeNull();
    const again = (await (await post(`/api/v1/portal/hotspots/${h.hotspotId}/push-profile`, engineer)).json()) as Record<string, unknown>;
    expect(again, JSON.stringify(again)).toMatchObject({ done: true });
    expect(onRouter()).toHaveLength(1);
    expect(onRouter()[0]!['rate-limit']).toBe('4M/8M');
  });

  it('reports a router it cannot reach, keeps the reason for the console, and refuses a hotspot without a profile name', async () => {
    const res = await post(`/api/v1/portal/hotspots/${dead.hotspotId}/push-profile`, engineer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { done: boolean; error: string };
    expect(body.done).toBe(false);
    expect(body.error).toMatch(/refused|ECONNREFUSED|connect/i);
    expect((await hotspotOut(dead.hotspotId)).profilePushError).toBe(body.error);

    await t.call('PATCH', `/api/v1/portal/hotspots/${dead.hotspotId}`, { headers: { cookie: engineer, origin: ORIGIN }, json: { userProfile: null } });
    const refused = await post(`/api/v1/portal/hotspots/${dead.hotspotId}/push-profile`, engineer);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { reason: string }).reason).toBe('hotspot.no_profile');
    // Only staff who manage devices may push or kick.
    const viewer = await t.staffCookie('viewer');
    expect((await post(`/api/v1/portal/hotspots/${h.hotspotId}/push-profile`, viewer)).status).toBe(403);
  });

  it('kicks an online session at the router; the next poll closes it', async () => {
    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h, { ip: '10.5.50.31', mac: 'AA:BB:CC:31:31:31' }), jar });
    const form = handoffForm(await (await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar })).text());
    const user = form!.fields.username!;
    expect(ros.hotspotUser(user)).toBeDefined();
    // The router logs the client in (the browser's hand-off), and the collector's poll reports it.
    ros.state.hotspotActive.push({ '.id': '*31', server: 'hotspot1', user, address: '10.5.50.31', 'mac-address': 'AA:BB:CC:31:31:31', uptime: '2m', 'bytes-in': '1000', 'bytes-out': '2000' });
    const token = await t.apiToken('engineer');
    const snapshot = (active: unknown[]) => t.call('POST', '/api/v1/portal/hotspot-active', { headers: { authorization: `Bearer ${token}` }, json: { deviceId: h.deviceId, active } });
    expect((await snapshot([{ user, address: '10.5.50.31', mac: null, uptimeS: 120, bytesIn: 1000, bytesOut: 2000 }])).status).toBe(200);
    const open = (await (await t.call('GET', '/api/v1/portal/sessions/active', { headers: { cookie: engineer } })).json()) as { items: Array<{ id: string; user: string }> };
    const session = open.items.find((s) => s.user === user)!;

    const kicked = await post(`/api/v1/portal/sessions/${session.id}/kick`, engineer);
    expect(kicked.status).toBe(200);
    expect(await kicked.json()).toEqual({ done: true, queued: false, error: null, kicked: 1 });
    expect(ros.state.hotspotActive.filter((a) => a.user === user)).toEqual([]);
    t.clock.advance(60_000);
    expect((await snapshot([])).status).toBe(200);
    const after = (await (await t.call('GET', '/api/v1/portal/sessions/active', { headers: { cookie: engineer } })).json()) as { items: Array<{ id: string }> };
    expect(after.items.map((s) => s.id)).not.toContain(session.id);
    // An ended session cannot be kicked again.
    expect((await post(`/api/v1/portal/sessions/${session.id}/kick`, engineer)).status).toBe(409);
  });

  it('without a way to the routers (Workers) queues the push and the kick for the on-premises collector', async () => {
    const w = await makePortalApp(handle, { provisioner: null });
    const admin = await w.staffCookie('admin');
    await w.call('PATCH', `/api/v1/portal/hotspots/${h.hotspotId}`, { headers: { cookie: admin, origin: ORIGIN }, json: { rateLimit: '1M/3M' } });
    const pushed = await w.call('POST', `/api/v1/portal/hotspots/${h.hotspotId}/push-profile`, { headers: { cookie: admin, origin: ORIGIN }, json: {} });
    expect(await pushed.json()).toMatchObject({ done: false, queued: true, error: null });
    expect(ros.state.hotspotProfiles!.find((p) => p.name === 'warga')!['rate-limit']).toBe('4M/8M');
    const token = await w.apiToken('engineer');
    const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => w.app.request(String(input), init)) as typeof fetch;
    expect(await runPortalProvisionJobs({ baseUrl: ORIGIN, token, collector: 'kantor-kecamatan', provisioner, deviceIds: [h.deviceId], fetchFn })).toEqual({ done: 1, failed: 0 });
    expect(ros.state.hotspotProfiles!.find((p) => p.name === 'warga')!['rate-limit']).toBe('1M/3M');
  });
});
