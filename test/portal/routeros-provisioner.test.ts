/** The Node HotspotProvisioner over the RouterOS client, against the fake RouterOS router (real API wire protocol). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotProvisioner } from '../../core/hotspot.ts';
import { createRouterOsHotspotProvisioner } from '../../collectors/hotspot-provisioner.ts';
import { createRouterOsPool, type RouterOSPool } from '../../collectors/routeros/index.ts';
import { startFakeRouter, type FakeRouter } from '../peers/routeros/fake-router.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';
import { CookieJar, csrfOf, hotspotVars, makePortalApp, seedHotspot } from './helpers.ts';

describe('RouterOS hotspot provisioner', () => {
  let ros: FakeRouter;
  let pool: RouterOSPool;
  let p: HotspotProvisioner;
  const router = { deviceId: 'dev-1' };
  beforeAll(async () => {
    ros = await startFakeRouter({ host: '127.0.0.7', state: { hotspotUsers: [], hotspotActive: [] } });
    pool = createRouterOsPool({ commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
    p = createRouterOsHotspotProvisioner({
      pool,
      resolveTarget: async (deviceId) => {
        if (deviceId !== 'dev-1') throw new Error('unknown device');
        return { deviceId, address: ros.host, vendor: 'mikrotik', pollIntervalS: 60, snmp: null, routeros: { username: ros.username, password: ros.password, port: ros.port, tls: false } };
      },
    });
  });
  afterAll(async () => {
    await pool.close();
    await ros.close();
  });

  it('adds, updates, logs in directly and removes a hotspot user', async () => {
    await p.upsertUser(router, { name: 'jk-a', password: 'one', limitUptime: '1h0m0s', limitBytesTotal: 5_000_000, macAddress: 'aa:bb:cc:00:00:09', profile: 'warga' }, { deadlineMs: 2000 });
    expect(ros.hotspotUser('jk-a')).toMatchObject({ password: 'one', 'limit-uptime': '1h', 'limit-bytes-total': '5000000', 'mac-address': 'AA:BB:CC:00:00:09', profile: 'warga' });
    await p.upsertUser(router, { name: 'jk-a', password: 'two', limitUptime: '30m' }, { deadlineMs: 2000 });
    expect(ros.state.hotspotUsers).toHaveLength(1);
    expect(ros.hotspotUser('jk-a')).toMatchObject({ password: 'two', 'limit-uptime': '30m' });
    await p.activeLogin(router, { user: 'jk-a', password: 'two', mac: 'aa:bb:cc:00:00:09', ip: '10.5.50.9' }, { deadlineMs: 2000 });
    expect(ros.state.hotspotActive.map((a) => [a.user, a.address])).toEqual([['jk-a', '10.5.50.9']]);
    await expect(p.activeLogin(router, { user: 'jk-a', password: 'wrong', mac: 'aa:bb:cc:00:00:09', ip: '10.5.50.10' }, { deadlineMs: 2000 })).rejects.toThrow(/invalid username or password/);
    await p.removeUser(router, 'jk-a', { deadlineMs: 2000 });
    expect(ros.state.hotspotUsers).toEqual([]);
  });

  it('takes "already logged in" from /ip/hotspot/active/login as done, and still throws other traps', async () => {
    await p.upsertUser(router, { name: 'jk-c', password: 'three', macAddress: 'aa:bb:cc:00:00:0c' }, { deadlineMs: 2000 });
    await p.activeLogin(router, { user: 'jk-c', password: 'three', mac: 'aa:bb:cc:00:00:0c', ip: '10.5.50.12' }, { deadlineMs: 2000 });
    // A second tap (or a retried job): the router traps "already logged in"; the host is online, which was the point.
    await expect(p.activeLogin(router, { user: 'jk-c', password: 'three', mac: 'aa:bb:cc:00:00:0c', ip: '10.5.50.12' }, { deadlineMs: 2000 })).resolves.toBeUndefined();
    expect(ros.state.hotspotActive.filter((a) => a.address === '10.5.50.12')).toHaveLength(1);
    await expect(p.activeLogin(router, { user: 'jk-c', password: 'nope', mac: 'aa:bb:cc:00:00:0c', ip: '10.5.50.13' }, { deadlineMs: 2000 })).rejects.toThrow(/invalid username or password/);
    ros.state.hotspotActive.length = 0;
    await p.removeUser(router, 'jk-c', { deadlineMs: 2000 });
  });

  it('refuses a limit it cannot express instead of creating an unlimited user', async () => {
    await expect(p.upsertUser(router, { name: 'jk-b', password: 'x', limitUptime: 'forever' }, { deadlineMs: 2000 })).rejects.toThrow(/not a RouterOS duration/);
    expect(ros.hotspotUser('jk-b')).toBeUndefined();
  });
});

describe.each(DIALECTS)('a direct-login hotspot whose router says "already logged in" (%s)', (dialect) => {
  let ros: FakeRouter;
  let pool: RouterOSPool;
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await openTestDb(dialect);
    ros = await startFakeRouter({ host: '127.0.0.7', state: { hotspotUsers: [], hotspotActive: [] } });
    pool = createRouterOsPool({ commandTimeoutMs: 2000, connectTimeoutMs: 2000 });
  });
  afterAll(async () => {
    await pool.close();
    await ros.close();
    await handle.close();
  });

  it('shows the citizen the success page, not "router unreachable"', async () => {
    const provisioner = createRouterOsHotspotProvisioner({
      pool,
      resolveTarget: async (deviceId) => ({ deviceId, address: ros.host, vendor: 'mikrotik', pollIntervalS: 60, snmp: null, routeros: { username: ros.username, password: ros.password, port: ros.port, tls: false } }),
    });
    const t = await makePortalApp(handle, { provisioner });
    const h = await seedHotspot(handle, { loginMode: 'direct' });
    // The device is online already (an earlier tap went through while the page was still loading).
    ros.state.hotspotActive.push({ '.id': '*1', server: 'hotspot1', user: 'jk-earlier', address: '10.5.50.23', 'mac-address': 'AA:BB:CC:11:22:33', uptime: '5s', 'bytes-in': '0', 'bytes-out': '0' });
    const jar = new CookieJar();
    const start = await t.call('POST', '/portal/login', { form: hotspotVars(h), jar });
    const res = await t.call('POST', '/portal/terms', { form: { csrf: csrfOf(await start.text()), accept: 'yes' }, jar });
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain('id="connected"');
    expect(html).not.toContain('Router sedang tidak dapat dihubungi');
  });
});
