/** The demo fleet polled by the real collectors: SNMP drivers over UDP and the RouterOS pool over TCP, on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceTarget, PollResult, PollSuccess } from '../../../core/observations.ts';
import { pollSnmpDevice } from '../../../collectors/drivers/index.ts';
import { createSnmpClient } from '../../../collectors/snmp/index.ts';
import { createRouterOsPool, pollRouterOsDevice } from '../../../collectors/routeros/index.ts';
import { startSimulatedFleet, isSilentAt, uptimeSAt, clientsAt, type SimDevice, type SimFleet } from '../../../collectors/simulator/index.ts';

/** A poll result as text for failure messages (bigint counters as strings). */
function shown(r: PollResult): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

const flap = { kind: 'flap', periodMs: 300_000, silentMs: 60_000, offsetMs: 30_000 } as const;
const devices: SimDevice[] = [
  { key: 'unifi', kind: 'snmp', vendor: 'ubiquiti-unifi', community: 'demo-a', name: 'ap-unifi', seed: 11, fault: { kind: 'none' }, clientsBase: 12 },
  { key: 'mikrotik', kind: 'snmp', vendor: 'mikrotik', community: 'demo-b', name: 'ap-mikrotik', seed: 12, fault: { kind: 'none' }, clientsBase: 9 },
  { key: 'dead', kind: 'snmp', vendor: 'mikrotik', community: 'demo-c', name: 'ap-dead', seed: 13, fault: { kind: 'down' }, clientsBase: 9 },
  { key: 'gw', kind: 'routeros', username: 'demo', password: 'demo-pass', name: 'gw-1', seed: 14, fault: { kind: 'none' }, clientsBase: 20 },
  { key: 'gw-flap', kind: 'routeros', username: 'demo', password: 'demo-pass', name: 'gw-2', seed: 15, fault: flap, clientsBase: 20 },
];

describe('the simulated demo fleet', () => {
  let clock = 1_700_000_000_000;
  let fleet: SimFleet;
  const snmp = createSnmpClient({ timeoutMs: 300, retries: 0, maxInFlight: 64 });
  const pool = createRouterOsPool({ commandTimeoutMs: 500, connectTimeoutMs: 500, maxSessionsPerRouter: 1 });
  const target = (key: string): DeviceTarget => {
    const d = devices.find((x) => x.key === key)!;
    const e = fleet.endpoints.find((x) => x.key === key)!;
    return {
      deviceId: key,
      address: e.host,
      vendor: d.kind === 'snmp' ? d.vendor : 'mikrotik',
      pollIntervalS: 10,
      snmp: d.kind === 'snmp' ? { community: d.community, port: e.port, version: '2c' } : null,
      routeros: d.kind === 'routeros' ? { username: d.username, password: d.password, port: e.port, tls: false } : null,
    };
  };
  const poll = (key: string): Promise<PollResult> => {
    const t = target(key);
    return t.snmp !== null ? pollSnmpDevice(snmp, t) : pollRouterOsDevice(pool, t);
  };

  beforeAll(async () => {
    fleet = await startSimulatedFleet(devices, { nowMs: () => clock });
  });
  afterAll(async () => {
    await Promise.allSettled([snmp.close(), pool.close()]);
    await fleet.stop();
  });

  it('puts every device on its own 127.77.x.y address', () => {
    const hosts = fleet.endpoints.map((e) => e.host);
    expect(new Set(hosts).size).toBe(devices.length);
    for (const h of hosts) expect(h).toMatch(/^127\.77\.\d+\.\d+$/);
  });

  it('answers the UniFi and MikroTik drivers with clients, interfaces and counters that grow', async () => {
    const a = (await poll('unifi')) as PollSuccess;
    expect(a.ok, shown(a)).toBe(true);
    expect(a.system.name).toBe('ap-unifi');
    expect(a.clients).toBe(clientsAt(11, 12, 0));
    expect(a.ssids.map((s) => s.ssid)).toContain('Jangkau-Gratis (DEMO)');
    const m = (await poll('mikrotik')) as PollSuccess;
    expect(m.ok, shown(m)).toBe(true);
    expect(m.clients).toBe(clientsAt(12, 9, 0));
    expect(m.stations.length).toBe(m.clients);
    const before = m.interfaces.find((i) => i.index === 1)!.inOctets!;
    clock += 10_000;
    const m2 = (await poll('mikrotik')) as PollSuccess;
    const after = m2.interfaces.find((i) => i.index === 1)!.inOctets!;
    expect(after).toBeGreaterThan(before);
    expect(m2.system.uptimeS).toBe(m.system.uptimeS! + 10);
  });

  it('keeps the dead device silent: the poll times out', async () => {
    const r = await poll('dead');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('timeout');
  });

  it('serves hotspot users on the RouterOS gateway, and a flapping gateway goes quiet then comes back rebooted', async () => {
    const g = (await poll('gw')) as PollSuccess;
    expect(g.ok, shown(g)).toBe(true);
    expect(g.system.name).toBe('gw-1');
    expect(g.hotspotActive.length).toBe(g.clients);
    expect(g.clients).toBeGreaterThan(0);
    clock = fleet.startedAtMs + 40_000; // inside the first silent spell of gw-flap
    expect(isSilentAt(flap, 40_000)).toBe(true);
    const quiet = await poll('gw-flap');
    expect(quiet.ok).toBe(false);
    clock = fleet.startedAtMs + 100_000;
    const back = (await poll('gw-flap')) as PollSuccess;
    expect(back.ok, shown(back)).toBe(true);
    expect(back.system.uptimeS).toBe(uptimeSAt(15, flap, 100_000));
    expect(back.system.uptimeS).toBeLessThan(20);
  });
});
