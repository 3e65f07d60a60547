/**
 * Ubiquiti UniFi APs (UBNT-UniFi-MIB, 1.3.6.1.4.1.41112.1.6): VAP table (unifiVapEssId, unifiVapNumStations,
 * unifiVapRadio) gives stations per SSID and radio; unifiApSystemModel/Version for model and firmware, with
 * IEEE802dot11-MIB's product name and version (then the sysDescr `UAP-nanoHD 5.43.36.12724`) when the UniFi MIB
 * does not answer. CPU: hrProcessorLoad when the AP has it (newer firmware), otherwise FROGFOOT-RESOURCES-MIB's
 * loadTable, the 5-minute row (older firmware has only that; it is a load average x 100, read as a percentage the
 * way LibreNMS does).
 */
import type { SsidClients } from '../../core/observations.ts';
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { DOT11_OID, OID, parseInterfaces, parseSystem, scaledPercent, trimmed, withGeneric } from './generic.ts';
import type { DeviceIdentity, DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const UNIFI_OID = {
  vapEssId: '1.3.6.1.4.1.41112.1.6.1.2.1.6',
  /** unifiVapName: the VAP's interface name (`ath0`, `ra1`): UniFi's own mark of its virtual APs. */
  vapName: '1.3.6.1.4.1.41112.1.6.1.2.1.7',
  vapNumStations: '1.3.6.1.4.1.41112.1.6.1.2.1.8',
  vapRadio: '1.3.6.1.4.1.41112.1.6.1.2.1.9',
  apSystemModel: '1.3.6.1.4.1.41112.1.6.3.3.0',
  apSystemVersion: '1.3.6.1.4.1.41112.1.6.3.6.0',
  /** FROGFOOT-RESOURCES-MIB loadDescr / loadValue, rows 1, 2, 3 = 1, 5, 15 minute averages. */
  frogfootLoadDescr: '1.3.6.1.4.1.10002.1.1.1.4.2.1.2',
  frogfootLoadValue: '1.3.6.1.4.1.10002.1.1.1.4.2.1.3',
} as const;

/** The row of the 5-minute average (by its description, else row 2 as the MIB numbers it). */
function frogfootFiveMinute(t: VarbindTable): number | null {
  const values = t.column(UNIFI_OID.frogfootLoadValue);
  let row = '2';
  for (const [suffix, vb] of t.column(UNIFI_OID.frogfootLoadDescr)) {
    if (/^\s*5\s*min/i.test(asText(vb) ?? '')) row = suffix;
  }
  return scaledPercent(values.get(row), 1);
}

function identifyTable(t: VarbindTable): DeviceIdentity {
  const descr = /^(U\S+)\s+(\d\S*)/.exec(asText(t.scalar(OID.sysDescr))?.trim() ?? '');
  const dot11Version = /v?(\d+\.\d+\.\d+(?:\.\d+)?)/.exec(asText(t.first(DOT11_OID.productVersion)) ?? '')?.[1] ?? null;
  return {
    model: trimmed(t.scalar(UNIFI_OID.apSystemModel)) ?? trimmed(t.first(DOT11_OID.productName)) ?? descr?.[1] ?? null,
    version: trimmed(t.scalar(UNIFI_OID.apSystemVersion)) ?? dot11Version ?? descr?.[2] ?? null,
    hardwareRevision: null,
  };
}

export function parseUnifi(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  const identity = identifyTable(t);
  system.version = identity.version;
  system.cpuLoadPct = system.cpuLoadPct ?? frogfootFiveMinute(t);
  const stations = t.column(UNIFI_OID.vapNumStations);
  const radios = t.column(UNIFI_OID.vapRadio);
  const ssids: SsidClients[] = [];
  let total: number | null = null;
  for (const [suffix, vb] of t.column(UNIFI_OID.vapEssId)) {
    const n = asNumber(stations.get(suffix));
    if (n !== null) total = (total ?? 0) + n;
    const ssid = asText(vb);
    if (!ssid) continue;
    ssids.push({ ssid, radio: asText(radios.get(suffix)), clients: n ?? 0 });
  }
  const vapNames = new Set([...t.column(UNIFI_OID.vapName).values()].map((vb) => asText(vb)?.trim() ?? '').filter((n) => n !== ''));
  return { system, identity, interfaces: parseInterfaces(t, { virtualNames: vapNames }), ssids, stations: [], clients: total, gauges: {} };
}

export const unifiDriver: SnmpDriver = {
  vendor: 'ubiquiti-unifi',
  plan: withGeneric({
    gets: [UNIFI_OID.apSystemModel, UNIFI_OID.apSystemVersion],
    walks: [
      [UNIFI_OID.vapEssId, UNIFI_OID.vapName, UNIFI_OID.vapNumStations, UNIFI_OID.vapRadio],
      [UNIFI_OID.frogfootLoadDescr, UNIFI_OID.frogfootLoadValue],
      [DOT11_OID.productName, DOT11_OID.productVersion],
    ],
  }),
  parse: parseUnifi,
  identityPlan: { gets: [UNIFI_OID.apSystemModel, UNIFI_OID.apSystemVersion], firstOf: [DOT11_OID.productName, DOT11_OID.productVersion] },
  identify: (varbinds) => identifyTable(tableOf(varbinds)),
};
