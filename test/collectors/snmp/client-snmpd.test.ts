/** The client against a real Debian snmpd started on a loopback port by the test. */
import snmpNative from 'snmp-native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../../collectors/snmp/index.ts';
import type { SnmpClient, SnmpTarget, Varbind } from '../../../collectors/snmp/index.ts';
import { SnmpError, SnmpType } from '../../../collectors/snmp/types.ts';
import { startSnmpd } from '../../peers/snmp/snmpd.ts';
import type { SnmpdPeer } from '../../peers/snmp/snmpd.ts';
import { freeUdpPort } from '../../peers/snmp/shared-data.ts';
import { asText } from '../../../collectors/snmp/values.ts';

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const COUNTER_COLUMNS = new Set([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);

let peer: SnmpdPeer;
let client: SnmpClient;
let target: SnmpTarget;

beforeAll(async () => {
  peer = await startSnmpd({ port: await freeUdpPort() });
  client = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: 16 });
  target = { host: peer.host, port: peer.port, community: 'public', version: '2c' };
});

afterAll(async () => {
  await client?.close();
  await peer?.stop();
});

function snmpNativeSubtree(rootOid: string): Promise<Array<{ oid: string; type: number }>> {
  const session = new snmpNative.Session({ host: peer.host, port: peer.port, community: 'public' });
  return new Promise((resolve, reject) => {
    session.getSubtree({ oid: '.' + rootOid, timeouts: [1000, 1000] }, (err, vbs) => {
      session.close();
      if (err) reject(err);
      else resolve(vbs.map((vb) => ({ oid: vb.oid.join('.'), type: vb.type })));
    });
  });
}

function stableValue(vb: Varbind): string {
  const column = Number(vb.oid.slice(IF_ENTRY.length + 1).split('.')[0]);
  if (COUNTER_COLUMNS.has(column)) return 'counter';
  const v = vb.value;
  return Buffer.isBuffer(v) ? v.toString('hex') : String(v);
}

describe('SNMP client against Debian snmpd', () => {
  it('GETs sysUpTime and sysDescr and leaves an absent OID out', async () => {
    const vbs = await client.get(target, ['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.99.0']);
    expect(vbs.map((v) => v.oid)).toEqual(['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.1.1.0']);
    expect(vbs[0]?.type).toBe(SnmpType.TimeTicks);
    expect(typeof vbs[0]?.value).toBe('number');
    expect(asText(vbs[1])).toMatch(/Linux/);
  });

  it('walks ifTable with GETBULK to the same rows as GETNEXT and as snmp-native getSubtree, in fewer requests', async () => {
    const before = client.stats().sent;
    const bulk = await client.walk(target, '1.3.6.1.2.1.2.2', { maxRepetitions: 50 });
    const bulkRequests = client.stats().sent - before;
    const mid = client.stats().sent;
    const next = await client.walk(target, '1.3.6.1.2.1.2.2', { useGetNext: true });
    const nextRequests = client.stats().sent - mid;
    const native = await snmpNativeSubtree('1.3.6.1.2.1.2.2');
    expect(bulk.length).toBeGreaterThan(20);
    expect(bulk.map((v) => v.oid)).toEqual(next.map((v) => v.oid));
    expect(bulk.map((v) => v.oid)).toEqual(native.map((v) => v.oid));
    expect(bulk.map(stableValue)).toEqual(next.map(stableValue));
    expect(nextRequests).toBe(next.length + 1);
    expect(bulkRequests).toBeLessThan(nextRequests / 5);
  });

  it('reads ifHCInOctets as exact bigint Counter64', async () => {
    const hc = await client.walk(target, '1.3.6.1.2.1.31.1.1.1.6');
    expect(hc.length).toBeGreaterThan(0);
    for (const vb of hc) {
      expect(vb.type).toBe(SnmpType.Counter64);
      expect(typeof vb.value).toBe('bigint');
    }
  });

  it('walks side by side several columns and with v1 GETNEXT', async () => {
    const cols = await client.walkColumns(target, [`${IF_ENTRY}.2`, `${IF_ENTRY}.8`]);
    const v1 = await client.walkColumns({ ...target, version: '1' }, [`${IF_ENTRY}.2`, `${IF_ENTRY}.8`]);
    expect(cols.map((v) => v.oid)).toEqual(v1.map((v) => v.oid));
    const descr = cols.filter((v) => v.oid.startsWith(`${IF_ENTRY}.2.`));
    const oper = cols.filter((v) => v.oid.startsWith(`${IF_ENTRY}.8.`));
    expect(descr.length).toBe(oper.length);
    expect(descr.map(asText)).toContain('lo');
  });

  it('records a wrong community as a timeout after the configured tries', async () => {
    const started = Date.now();
    const err = await client.get({ ...target, community: 'wrong' }, ['1.3.6.1.2.1.1.3.0'], { timeoutMs: 200, retries: 1 }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(SnmpError);
    expect((err as SnmpError).kind).toBe('timeout');
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(1500);
  });
});
