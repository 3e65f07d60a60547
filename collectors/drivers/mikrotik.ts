/**
 * MikroTik RouterOS (MIKROTIK-MIB, 1.3.6.1.4.1.14988.1.1): wireless registration table (mtxrWlRtab, per-client
 * signal, index = client MAC (6 arcs) + ifIndex), wireless AP table (mtxrWlAp: SSID, client count per interface),
 * RouterOS version (mtxrLicVersion), board name.
 */
import type { SsidClients, Station } from '../../core/observations.ts';
import { asNumber, asText, macFromBytes } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { OID, parseInterfaces, parseSystem, trimmed, withGeneric } from './generic.ts';
import type { DeviceIdentity, DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const MIKROTIK_OID = {
  rtabStrength: '1.3.6.1.4.1.14988.1.1.1.2.1.3',
  apSsid: '1.3.6.1.4.1.14988.1.1.1.3.1.4',
  apClientCount: '1.3.6.1.4.1.14988.1.1.1.3.1.6',
  apFreq: '1.3.6.1.4.1.14988.1.1.1.3.1.7',
  apBand: '1.3.6.1.4.1.14988.1.1.1.3.1.8',
  licVersion: '1.3.6.1.4.1.14988.1.1.4.4.0',
  boardName: '1.3.6.1.4.1.14988.1.1.7.9.0',
} as const;

/**
 * Virtual APs as RouterOS marks them in its AP table: a row with no frequency and no band of its own (it rides on its
 * master radio's). A master radio that is merely down still reports its frequency and band.
 */
function virtualAps(t: VarbindTable): Set<number> {
  const band = t.column(MIKROTIK_OID.apBand);
  const out = new Set<number>();
  for (const [suffix, vb] of t.column(MIKROTIK_OID.apFreq)) {
    if (asNumber(vb) === 0 && !(asText(band.get(suffix)) ?? '').trim()) out.add(Number(suffix));
  }
  return out;
}

function identifyTable(t: VarbindTable): DeviceIdentity {
  const descr = asText(t.scalar(OID.sysDescr)) ?? '';
  return {
    model: trimmed(t.scalar(MIKROTIK_OID.boardName)) ?? (/^RouterOS\s+(\S+)/i.exec(descr)?.[1] ?? null),
    version: trimmed(t.scalar(MIKROTIK_OID.licVersion)),
    hardwareRevision: null,
  };
}

export function parseMikrotik(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  const identity = identifyTable(t);
  system.version = identity.version;
  const interfaces = parseInterfaces(t, { virtualIndices: virtualAps(t) });
  const ifName = new Map(interfaces.map((i) => [i.index, i.name]));
  const stations: Station[] = [];
  for (const [suffix, vb] of t.column(MIKROTIK_OID.rtabStrength)) {
    const arcs = suffix.split('.').map(Number);
    if (arcs.length !== 7) continue;
    const mac = macFromBytes(arcs.slice(0, 6));
    if (!mac) continue;
    const ifIndex = arcs[6] as number;
    stations.push({ mac, iface: ifName.get(ifIndex) ?? `if${ifIndex}`, signalDbm: asNumber(vb) });
  }
  const ssids: SsidClients[] = [];
  const counts = t.column(MIKROTIK_OID.apClientCount);
  let apTotal: number | null = null;
  for (const [suffix, vb] of t.column(MIKROTIK_OID.apSsid)) {
    const ssid = asText(vb);
    const clients = asNumber(counts.get(suffix));
    if (clients !== null) apTotal = (apTotal ?? 0) + clients;
    if (!ssid) continue;
    const idx = Number(suffix);
    ssids.push({ ssid, radio: ifName.get(idx) ?? `if${suffix}`, clients: clients ?? 0 });
  }
  const clients = apTotal ?? (stations.length > 0 || t.column(MIKROTIK_OID.apSsid).size > 0 ? stations.length : null);
  return { system, identity, interfaces, ssids, stations, clients, gauges: {} };
}

export const mikrotikDriver: SnmpDriver = {
  vendor: 'mikrotik',
  plan: withGeneric({
    gets: [MIKROTIK_OID.licVersion, MIKROTIK_OID.boardName],
    walks: [[MIKROTIK_OID.rtabStrength], [MIKROTIK_OID.apSsid, MIKROTIK_OID.apClientCount, MIKROTIK_OID.apFreq, MIKROTIK_OID.apBand]],
  }),
  parse: parseMikrotik,
  identityPlan: { gets: [MIKROTIK_OID.licVersion, MIKROTIK_OID.boardName], firstOf: [] },
  identify: (varbinds) => identifyTable(tableOf(varbinds)),
};
