/** The Node HotspotProvisioner over the RouterOS client, against the fake RouterOS router (real API wire protocol). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotspotProvisioner } from '../../core/hotspot.ts';
import { createRouterOsHotspotProvisioner } from '../../collectors/hotspot-provisioner.ts';
import { createRouterOsPool, type RouterOSPool } from '../../collectors/routeros/index.ts';
import { startFakeRouter, type FakeRouter } from '../peers/routeros/fake-router.ts';

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

  it('refuses a limit it cannot express instead of creating an unlimited user', async () => {
    await expect(p.upsertUser(router, { name: 'jk-b', password: 'x', limitUptime: 'forever' }, { deadlineMs: 2000 })).rejects.toThrow(/not a RouterOS duration/);
    expect(ros.hotspotUser('jk-b')).toBeUndefined();
  });
});
