/**
 * Issue 11 item 5, on SQLite and Postgres through the API: a router's traffic total adds its physical interfaces
 * only (the uplink among them), not the bridge, VLAN, PPPoE tunnel and loopback that carry the same bytes again; the
 * device may choose other interfaces (API and CSV, validated); the stored samples, the device status and its list of
 * interfaces say which role each interface has and whether it counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIngestBatch, type IngestBatch } from '../../../core/ingest.ts';
import type { InterfaceSample, PollSuccess } from '../../../core/observations.ts';
import { DIALECTS, openTestDb } from '../../helpers/db.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

/**
 * A home-style router: bytes from the provider arrive on `ether1` (WAN), go through `pppoe-out1` (the tunnel over
 * it), the bridge and a VLAN to the Wi-Fi radio `wlan1`; `ether2` is a LAN port with its own small traffic.
 * Counters grow by `k` x these bytes per minute.
 */
const PER_MIN: Record<string, [number, bigint, bigint]> = {
  ether1: [1, 6_000_000n, 600_000n],
  wlan1: [2, 540_000n, 5_400_000n],
  ether2: [3, 60_000n, 60_000n],
  'bridge-local': [4, 600_000n, 6_000_000n],
  vlan20: [5, 600_000n, 6_000_000n],
  'pppoe-out1': [6, 5_900_000n, 590_000n],
  lo: [7, 1_000n, 1_000n],
};

function poll(deviceId: string, k: number): PollSuccess {
  const interfaces: InterfaceSample[] = Object.entries(PER_MIN).map(([name, [index, rx, tx]]) => ({
    index,
    name: name === 'ether1' ? 'ether1-wan' : name,
    operUp: true,
    inOctets: rx * BigInt(k),
    outOctets: tx * BigInt(k),
    counterBits: 64,
    speedBps: 1e9,
  }));
  return {
    ok: true,
    deviceId,
    startedAtMs: T0 + k * MIN,
    durationMs: 20,
    system: { uptimeS: 10_000 + k * 60, descr: 'RouterOS hAP', objectId: null, name: 'gw', version: '7.18', cpuLoadPct: 4, memFreeBytes: null },
    interfaces,
    ssids: [],
    stations: [],
    hotspotActive: [],
    clients: 3,
  };
}

const bps = (bytes: bigint): number => (Number(bytes) * 8) / 60;
const sum = (names: string[], dir: 1 | 2): number => names.reduce((a, n) => a + bps((PER_MIN[n] as [number, bigint, bigint])[dir]), 0);

interface StatusBody {
  rxBps: number | null;
  txBps: number | null;
  interfaces: { name: string; role: string; counted: boolean; rxBps: number | null }[];
  trafficInterfaces: unknown;
}

describe.each(DIALECTS)('interface roles and device traffic totals on %s', (dialect) => {
  let t: TestApp;
  let admin: string;
  let token = '';
  let batchNo = 0;

  const ingest = async (items: PollSuccess[]): Promise<void> => {
    batchNo += 1;
    const batch: IngestBatch = { collectorId: 'c1', batchId: `c1-roles-${String(batchNo).padStart(6, '0')}`, createdAtMs: T0, items, events: [] };
    const res = await t.app.request('http://localhost/api/v1/ingest', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(encodeIngestBatch(batch)),
    });
    expect(res.status).toBe(200);
  };
  const status = async (id: string): Promise<StatusBody> => (await (await t.call('GET', `/api/v1/devices/${id}/status`, { as: admin })).json()) as StatusBody;
  const create = async (json: Record<string, unknown>): Promise<Response> =>
    t.call('POST', '/api/v1/devices', { as: admin, json: { role: 'router', address: '127.0.0.1', snmp: { community: 'c' }, vendor: 'mikrotik', ...json } });

  beforeAll(async () => {
    t = await makeTestApp(await openTestDb(dialect));
    admin = await t.signIn('admin');
    token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'collector-1' } })).json()) as { token: string }).token;
  });
  afterAll(async () => t.handle.close());

  it('adds physical interfaces only by default, and shows every interface with its role and whether it counted', async () => {
    const dev = (await (await create({ name: 'GW Alun-alun' })).json()) as { id: string; trafficInterfaces: unknown };
    expect(dev.trafficInterfaces).toBeNull();
    await ingest([poll(dev.id, 1), poll(dev.id, 2)]);
    const s = await status(dev.id);
    const physical = ['ether1', 'wlan1', 'ether2'];
    expect(s.rxBps).toBeCloseTo(sum(physical, 1), 6);
    expect(s.txBps).toBeCloseTo(sum(physical, 2), 6);
    // Adding every interface would have counted the provider's bytes again on the tunnel, bridge and VLAN.
    expect(s.rxBps as number).toBeLessThan(sum(Object.keys(PER_MIN), 1) * 0.6);
    const roles = Object.fromEntries(s.interfaces.map((i) => [i.name, [i.role, i.counted]]));
    expect(roles).toEqual({
      'ether1-wan': ['uplink', true],
      wlan1: ['physical', true],
      ether2: ['physical', true],
      'bridge-local': ['virtual', false],
      vlan20: ['virtual', false],
      'pppoe-out1': ['virtual', false],
      lo: ['virtual', false],
    });
    // Every interface still has its own rate.
    expect(s.interfaces.find((i) => i.name === 'pppoe-out1')?.rxBps).toBeCloseTo(sum(['pppoe-out1'], 1), 6);
    // The stored series (what availability reports and roll-ups read) holds the same total.
    const series = (await (
      await t.call('GET', `/api/v1/devices/${dev.id}/series?metric=rxBps&from=${new Date(T0).toISOString()}&to=${new Date(T0 + 3 * MIN).toISOString()}`, { as: admin })
    ).json()) as { points: [number, number][] };
    expect(series.points.at(-1)?.[1]).toBeCloseTo(sum(physical, 1), 3);
  });

  it('lets a device count its uplink only, or named interfaces, and the next poll totals those', async () => {
    const dev = (await (await create({ name: 'GW Pasar', trafficInterfaces: { roles: ['uplink'] } })).json()) as { id: string; trafficInterfaces: unknown };
    expect(dev.trafficInterfaces).toEqual({ roles: ['uplink'] });
    await ingest([poll(dev.id, 1), poll(dev.id, 2)]);
    expect((await status(dev.id)).rxBps).toBeCloseTo(sum(['ether1'], 1), 6);
    const patched = await t.call('PATCH', `/api/v1/devices/${dev.id}`, { as: admin, json: { trafficInterfaces: { names: ['pppoe-out1'] } } });
    expect(patched.status).toBe(200);
    await ingest([poll(dev.id, 3)]);
    const s = await status(dev.id);
    expect(s.rxBps).toBeCloseTo(sum(['pppoe-out1'], 1), 6);
    expect(s.trafficInterfaces).toEqual({ names: ['pppoe-out1'] });
    expect(s.interfaces.filter((i) => i.counted).map((i) => i.name)).toEqual(['pppoe-out1']);
    // Back to the default.
    expect((await t.call('PATCH', `/api/v1/devices/${dev.id}`, { as: admin, json: { trafficInterfaces: null } })).status).toBe(200);
    await ingest([poll(dev.id, 4)]);
    expect((await status(dev.id)).rxBps).toBeCloseTo(sum(['ether1', 'wlan1', 'ether2'], 1), 6);
  });

  it('refuses a selection that is empty, names an unknown role or lists something twice, and changes nothing', async () => {
    for (const bad of [{}, { roles: [] }, { roles: ['tunnel'] }, { names: ['ether1', 'ether1'] }, { names: [''] }, { roles: ['uplink'], extra: 1 }]) {
      const res = await create({ name: 'GW Salah', trafficInterfaces: bad });
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
    const list = (await (await t.call('GET', '/api/v1/devices?q=GW%20Salah', { as: admin })).json()) as { total: number };
    expect(list.total).toBe(0);
  });

  it('imports the choice from a CSV column (roles and names separated by ;) and refuses a bad row with its line', async () => {
    const ok = ['name,role,address,snmpCommunity,trafficInterfaces', 'CSV GW 1,router,127.0.0.2,c,uplink', 'CSV GW 2,router,127.0.0.3,c,ether1;sfp1', 'CSV GW 3,router,127.0.0.4,c,'].join('\n');
    expect((await t.call('POST', '/api/v1/devices/import', { as: admin, body: ok, contentType: 'text/csv' })).status).toBe(201);
    const items = ((await (await t.call('GET', '/api/v1/devices?q=CSV%20GW', { as: admin })).json()) as { items: { name: string; trafficInterfaces: unknown }[] }).items;
    expect(Object.fromEntries(items.map((i) => [i.name, i.trafficInterfaces]))).toEqual({
      'CSV GW 1': { roles: ['uplink'] },
      'CSV GW 2': { names: ['ether1', 'sfp1'] },
      'CSV GW 3': null,
    });
    const bad = ['name,role,address,snmpCommunity,trafficInterfaces', 'CSV Bad 1,router,127.0.0.5,c,uplink', 'CSV Bad 2,router,127.0.0.6,c,uplink;uplink'].join('\n');
    const res = await t.call('POST', '/api/v1/devices/import', { as: admin, body: bad, contentType: 'text/csv' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { details: { path: string; message: string }[] };
    expect(body.details).toEqual([expect.objectContaining({ path: 'line 3', message: expect.stringMatching(/trafficInterfaces.*uplink is listed twice/) })]);
    const after = (await (await t.call('GET', '/api/v1/devices?q=CSV%20Bad', { as: admin })).json()) as { total: number };
    expect(after.total).toBe(0);
  });
});
