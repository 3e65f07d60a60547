/**
 * Ubiquiti UniFi APs (UBNT-UniFi-MIB, 1.3.6.1.4.1.41112.1.6): VAP table (unifiVapEssId, unifiVapNumStations,
 * unifiVapRadio) gives stations per SSID and radio; unifiApSystemVersion/Model for firmware and model.
 */
import type { SsidClients } from '../../core/observations.ts';
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { parseInterfaces, parseSystem, withGeneric } from './generic.ts';
import type { DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';

export const UNIFI_OID = {
  vapEssId: '1.3.6.1.4.1.41112.1.6.1.2.1.6',
  vapNumStations: '1.3.6.1.4.1.41112.1.6.1.2.1.8',
  vapRadio: '1.3.6.1.4.1.41112.1.6.1.2.1.9',
  apSystemModel: '1.3.6.1.4.1.41112.1.6.3.3.0',
  apSystemVersion: '1.3.6.1.4.1.41112.1.6.3.6.0',
} as const;

export function parseUnifi(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  system.version = asText(t.scalar(UNIFI_OID.apSystemVersion));
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
  return { system, interfaces: parseInterfaces(t), ssids, stations: [], clients: total, gauges: {} };
}

export const unifiDriver: SnmpDriver = {
  vendor: 'ubiquiti-unifi',
  plan: withGeneric({
    gets: [UNIFI_OID.apSystemModel, UNIFI_OID.apSystemVersion],
    walks: [[UNIFI_OID.vapEssId, UNIFI_OID.vapNumStations, UNIFI_OID.vapRadio]],
  }),
  parse: parseUnifi,
};
