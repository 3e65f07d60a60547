/**
 * Cambium ePMP (CAMBIUM-PMP80211-MIB, 1.3.6.1.4.1.17713.21): cambiumAPNumberOfConnectedSTA (connected SMs on an
 * AP), cambiumCurrentuImageVersion (firmware), cambiumSTADLRSSI (downlink RSSI on an SM).
 */
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { parseInterfaces, parseSystem, withGeneric } from './generic.ts';
import type { DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';

export const CAMBIUM_OID = {
  imageVersion: '1.3.6.1.4.1.17713.21.1.1.17.0',
  staDlRssi: '1.3.6.1.4.1.17713.21.1.2.3.0',
  apConnectedSta: '1.3.6.1.4.1.17713.21.1.2.10.0',
} as const;

export function parseCambium(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  system.version = asText(t.scalar(CAMBIUM_OID.imageVersion));
  const gauges: Record<string, number> = {};
  const rssi = asNumber(t.scalar(CAMBIUM_OID.staDlRssi));
  if (rssi !== null) gauges.rssiDbm = rssi;
  return { system, interfaces: parseInterfaces(t), ssids: [], stations: [], clients: asNumber(t.scalar(CAMBIUM_OID.apConnectedSta)), gauges };
}

export const cambiumDriver: SnmpDriver = {
  vendor: 'cambium',
  plan: withGeneric({ gets: [CAMBIUM_OID.imageVersion, CAMBIUM_OID.staDlRssi, CAMBIUM_OID.apConnectedSta], walks: [] }),
  parse: parseCambium,
};
