/** Discovery and a full generic poll against a real Debian snmpd on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../../collectors/snmp/index.ts';
import type { SnmpClient } from '../../../collectors/snmp/index.ts';
import { discoverSnmpDevice, pollSnmpDevice } from '../../../collectors/drivers/index.ts';
import { startSnmpd } from '../../peers/snmp/snmpd.ts';
import type { SnmpdPeer } from '../../peers/snmp/snmpd.ts';
import { freeUdpPort } from '../../peers/snmp/shared-data.ts';

let peer: SnmpdPeer;
let client: SnmpClient;

beforeAll(async () => {
  peer = await startSnmpd({ port: await freeUdpPort() });
  client = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: 32 });
});

afterAll(async () => {
  await client?.close();
  await peer?.stop();
});

describe('Debian snmpd as a generic device', () => {
  it('is discovered as generic net-snmp and polled with 64-bit interface counters', async () => {
    const d = await discoverSnmpDevice(client, { host: peer.host, port: peer.port, community: 'public', version: '2c' });
    expect(d).toMatchObject({ ok: true, vendor: 'generic' });
    if (!d.ok) return;
    expect(d.system.objectId).toMatch(/^1\.3\.6\.1\.4\.1\.8072\./);
    const r = await pollSnmpDevice(client, {
      deviceId: 'snmpd', address: peer.host, vendor: d.vendor, pollIntervalS: 5,
      snmp: { community: 'public', port: peer.port, version: '2c' }, routeros: null,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.system.uptimeS).toBeGreaterThanOrEqual(0);
    expect(r.system.descr).toMatch(/Linux/);
    const lo = r.interfaces.find((i) => i.name === 'lo');
    expect(lo).toMatchObject({ operUp: true, counterBits: 64 });
    expect(typeof lo?.inOctets).toBe('bigint');
    expect(r.warnings).toEqual([]);
  });

  it('a stopped agent (nothing listens on the port) is an unreachable failure with its cause (issue 11)', async () => {
    const port = await freeUdpPort();
    const r = await pollSnmpDevice(client, {
      deviceId: 'gone', address: '127.0.0.1', vendor: 'generic', pollIntervalS: 5,
      snmp: { community: 'public', port, version: '2c' }, routeros: null,
    }, { timeoutMs: 150, retries: 1 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    if (!r.ok) expect(r.durationMs).toBeGreaterThanOrEqual(290); // both tries waited for, then the ICMP probe
  });
});
