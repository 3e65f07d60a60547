/**
 * Issue 11, item 4: SNMP timeout and retries per device (API and CSV), defaults per role, and the collectors use
 * them: a silent agent fails after the device's own patience, not the collector's.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSnmpDevice } from '../../../collectors/drivers/index.ts';
import { snmpOptionsOf } from '../../../collectors/poller.ts';
import { createSnmpClient } from '../../../collectors/snmp/index.ts';
import { makeTestApp, type TestApp } from '../../helpers/app.ts';
import { openTestDb } from '../../helpers/db.ts';

describe('SNMP patience per device', () => {
  let t: TestApp;
  let admin = '';
  beforeAll(async () => {
    t = await makeTestApp(await openTestDb('sqlite'));
    admin = await t.signIn('admin');
  });
  afterAll(async () => t.handle.close());

  it('takes the role default unless the device (or its CSV row) sets its own', async () => {
    const router = (await (await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'Router Pusat', role: 'router', address: '10.0.0.1', snmp: { community: 'c' } } })).json()) as { snmp: unknown };
    expect(router.snmp).toMatchObject({ timeoutMs: 2000, retries: 2, patienceSet: false });
    const ap = (await (await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Jauh', role: 'ap', address: '10.0.0.2', snmp: { community: 'c', timeoutMs: 4000, retries: 3 } } })).json()) as { id: string; snmp: unknown };
    expect(ap.snmp).toMatchObject({ timeoutMs: 4000, retries: 3, patienceSet: true });
    const bad = await t.call('POST', '/api/v1/devices', { as: admin, json: { name: 'AP Salah', role: 'ap', address: '10.0.0.3', snmp: { community: 'c', timeoutMs: 5, retries: 9 } } });
    expect(bad.status).toBe(422);
    const csv = 'name,role,address,snmpCommunity,snmpTimeoutMs,snmpRetries\nAP CSV,ap,10.0.0.4,c,800,0\n';
    expect((await t.call('POST', '/api/v1/devices/import', { as: admin, body: csv, contentType: 'text/csv' })).status).toBe(201);
    const listed = (await (await t.call('GET', '/api/v1/devices?q=AP%20CSV', { as: admin })).json()) as { items: { snmp: unknown }[] };
    expect(listed.items[0]!.snmp).toMatchObject({ timeoutMs: 800, retries: 0, patienceSet: true });
    const patched = (await (await t.call('PATCH', `/api/v1/devices/${ap.id}`, { as: admin, json: { snmp: { community: 'c' } } })).json()) as { snmp: unknown };
    expect(patched.snmp).toMatchObject({ timeoutMs: 1500, retries: 1, patienceSet: false });
  });

  it("a silent agent fails after the device's own timeout and retries", async () => {
    const silent = createSocket('udp4'); // bound, so no ICMP: it swallows every request
    await new Promise<void>((ok) => silent.bind(0, '127.0.0.1', () => ok()));
    const port = (silent.address() as { port: number }).port;
    const client = createSnmpClient({ timeoutMs: 3000, retries: 2, maxInFlight: 8 });
    try {
      const target = { deviceId: 'd1', address: '127.0.0.1', vendor: 'generic' as const, pollIntervalS: 60, snmp: { community: 'c', port, version: '2c' as const, timeoutMs: 150, retries: 1 }, routeros: null };
      const r = await pollSnmpDevice(client, target, snmpOptionsOf(target));
      expect(r).toMatchObject({ ok: false, error: { kind: 'timeout' } });
      // Two tries of 150 ms and the port probe, far below the client's own 3 x 3000 ms.
      expect(r.durationMs).toBeGreaterThanOrEqual(290);
      expect(r.durationMs).toBeLessThan(2000);
    } finally {
      await client.close();
      silent.close();
    }
  });
});
