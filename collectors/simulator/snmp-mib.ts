/**
 * The MIB a simulated access point shows at a moment, as sorted records: SNMPv2-MIB system group, IF-MIB ifTable and
 * ifXTable (counters growing with traffic), HOST-RESOURCES hrProcessorLoad, and the vendor's client table - UniFi VAP
 * table (stations per SSID) or MikroTik wireless registration + AP tables - so the real drivers find client counts.
 * Pure: the same device and time give the same records.
 */
import { SnmpType } from '../snmp/types.ts';
import type { VarbindValue } from '../snmp/types.ts';
import { clientEpoch, clientMac, clientsAt, octetsAt, unitHash, uptimeSAt } from './behaviour.ts';
import type { SimSnmpDevice } from './types.ts';

export interface MibRecord {
  oid: string;
  arcs: number[];
  type: number;
  value: VarbindValue;
}

export function compareArcs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const SSID = 'Jangkau-Gratis (DEMO)';
const TWO_32 = 4294967296n;

interface Port {
  index: number;
  name: string;
  speedBps: number;
  meanBps: number;
}

function portsOf(d: SimSnmpDevice): Port[] {
  const mean = 2e6 + unitHash(d.seed, 10) * 18e6;
  const [eth, w1, w2] = d.vendor === 'mikrotik' ? ['ether1', 'wlan1', 'wlan2'] : ['eth0', 'wifi0', 'wifi1'];
  return [
    { index: 1, name: eth as string, speedBps: 1e9, meanBps: mean },
    { index: 2, name: w1 as string, speedBps: 144e6, meanBps: mean * 0.35 },
    { index: 3, name: w2 as string, speedBps: 867e6, meanBps: mean * 0.65 },
  ];
}

/** Every record of the device at `elapsedMs` after the fleet's start, sorted by OID. */
export function buildMib(d: SimSnmpDevice, elapsedMs: number): MibRecord[] {
  const out: MibRecord[] = [];
  const add = (oid: string, type: number, value: VarbindValue): void => {
    out.push({ oid, arcs: oid.split('.').map(Number), type, value });
  };
  const text = (s: string): Buffer => Buffer.from(s, 'utf8');
  const uptimeS = uptimeSAt(d.seed, d.fault, elapsedMs);
  const mikrotik = d.vendor === 'mikrotik';
  add('1.3.6.1.2.1.1.1.0', SnmpType.OctetString, text(mikrotik ? 'RouterOS RB952Ui-5ac2nD' : 'U6-Lite 6.6.65'));
  add('1.3.6.1.2.1.1.2.0', SnmpType.ObjectIdentifier, mikrotik ? '1.3.6.1.4.1.14988.1' : '1.3.6.1.4.1.8072.3.2.10');
  add('1.3.6.1.2.1.1.3.0', SnmpType.TimeTicks, (uptimeS * 100) % 4294967296);
  add('1.3.6.1.2.1.1.5.0', SnmpType.OctetString, text(d.name));

  for (const p of portsOf(d)) {
    const inOctets = octetsAt(d.seed * 7 + p.index, p.meanBps, elapsedMs);
    const outOctets = octetsAt(d.seed * 7 + p.index + 3, p.meanBps * 3, elapsedMs);
    add(`1.3.6.1.2.1.2.2.1.2.${p.index}`, SnmpType.OctetString, text(p.name));
    add(`1.3.6.1.2.1.2.2.1.5.${p.index}`, SnmpType.Gauge32, p.speedBps);
    add(`1.3.6.1.2.1.2.2.1.8.${p.index}`, SnmpType.Integer, 1);
    add(`1.3.6.1.2.1.2.2.1.10.${p.index}`, SnmpType.Counter32, Number(inOctets % TWO_32));
    add(`1.3.6.1.2.1.2.2.1.16.${p.index}`, SnmpType.Counter32, Number(outOctets % TWO_32));
    add(`1.3.6.1.2.1.31.1.1.1.1.${p.index}`, SnmpType.OctetString, text(p.name));
    add(`1.3.6.1.2.1.31.1.1.1.6.${p.index}`, SnmpType.Counter64, inOctets);
    add(`1.3.6.1.2.1.31.1.1.1.10.${p.index}`, SnmpType.Counter64, outOctets);
    add(`1.3.6.1.2.1.31.1.1.1.15.${p.index}`, SnmpType.Gauge32, Math.round(p.speedBps / 1e6));
  }
  add('1.3.6.1.2.1.25.3.3.1.2.1', SnmpType.Integer, Math.round(5 + 30 * unitHash(d.seed, 11, Math.floor(elapsedMs / 60_000))));

  const clients = clientsAt(d.seed, d.clientsBase, elapsedMs);
  const on24 = Math.round(clients * 0.4);
  const on5 = clients - on24;
  if (mikrotik) {
    // Registration table: one row per client, index = client MAC (6 arcs) + ifIndex of its radio.
    for (let slot = 0; slot < clients; slot++) {
      const [epoch] = clientEpoch(d.seed, slot, elapsedMs);
      const mac = clientMac(d.seed, slot, epoch);
      const ifIndex = slot < on24 ? 2 : 3;
      const signal = -45 - Math.floor(unitHash(d.seed, 12, slot, epoch) * 35);
      add(`1.3.6.1.4.1.14988.1.1.1.2.1.3.${mac.join('.')}.${ifIndex}`, SnmpType.Integer, signal);
    }
    for (const [ifIndex, count, freq] of [[2, on24, 2437], [3, on5, 5180]] as const) {
      add(`1.3.6.1.4.1.14988.1.1.1.3.1.4.${ifIndex}`, SnmpType.OctetString, text(SSID));
      add(`1.3.6.1.4.1.14988.1.1.1.3.1.6.${ifIndex}`, SnmpType.Counter32, count);
      add(`1.3.6.1.4.1.14988.1.1.1.3.1.7.${ifIndex}`, SnmpType.Integer, freq);
    }
    add('1.3.6.1.4.1.14988.1.1.4.4.0', SnmpType.OctetString, text('7.18.2'));
    add('1.3.6.1.4.1.14988.1.1.7.9.0', SnmpType.OctetString, text('hAP ac lite'));
  } else {
    for (const [vap, count, radio] of [[1, on24, 'ng'], [2, on5, 'na']] as const) {
      add(`1.3.6.1.4.1.41112.1.6.1.2.1.6.${vap}`, SnmpType.OctetString, text(SSID));
      add(`1.3.6.1.4.1.41112.1.6.1.2.1.8.${vap}`, SnmpType.Integer, count);
      add(`1.3.6.1.4.1.41112.1.6.1.2.1.9.${vap}`, SnmpType.OctetString, text(radio));
    }
    add('1.3.6.1.4.1.41112.1.6.3.3.0', SnmpType.OctetString, text('U6-Lite'));
    add('1.3.6.1.4.1.41112.1.6.3.6.0', SnmpType.OctetString, text('6.6.65'));
  }
  return out.sort((a, b) => compareArcs(a.arcs, b.arcs));
}
