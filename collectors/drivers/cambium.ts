/**
 * Cambium ePMP (CAMBIUM-PMP80211-MIB, 1.3.6.1.4.1.17713.21): cambiumAPNumberOfConnectedSTA (connected SMs on an
 * AP), cambiumCurrentuImageVersion (firmware), cambiumSTADLRSSI (downlink RSSI on an SM), sysCPUUsage (tenths of a
 * percent). The model is what the radio is set to be, from wirelessInterfaceMode (1 AP, 2 SM) and
 * cambiumSubModeType (4 ePTP slave, 5 ePTP master): `ePMP AP`, `ePMP SM`, `ePTP Master`, `ePTP Slave`; the sysDescr
 * says only `Cambium ePMP`.
 */
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { parseInterfaces, parseSystem, scaledPercent, trimmed, withGeneric } from './generic.ts';
import type { DeviceIdentity, DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const CAMBIUM_OID = {
  imageVersion: '1.3.6.1.4.1.17713.21.1.1.17.0',
  /** cambiumSubModeType.0: 1 TDD, 2 TDD PTP, 3 standard Wi-Fi, 4 ePTP slave, 5 ePTP master, 6 WLR. */
  subModeType: '1.3.6.1.4.1.17713.21.1.1.33.0',
  staDlRssi: '1.3.6.1.4.1.17713.21.1.2.3.0',
  apConnectedSta: '1.3.6.1.4.1.17713.21.1.2.10.0',
  /** sysCPUUsage.0, tenths of a percent (420 = 42 %). */
  cpuUsage: '1.3.6.1.4.1.17713.21.2.1.64.0',
  /** wirelessInterfaceMode.0 (configuration tree): 1 AP, 2 SM, 3 spectrum analyser. */
  interfaceMode: '1.3.6.1.4.1.17713.21.3.8.2.1.0',
} as const;

/** The role the radio plays, as LibreNMS names it; null when the mode is unknown (e.g. spectrum analyser). */
export function epmpModel(mode: number | null, subMode: number | null): string | null {
  if (mode === 1) return subMode === 5 ? 'ePTP Master' : 'ePMP AP';
  if (mode === 2) return subMode === 4 ? 'ePTP Slave' : 'ePMP SM';
  return null;
}

function identifyTable(t: VarbindTable): DeviceIdentity {
  return {
    model: epmpModel(asNumber(t.scalar(CAMBIUM_OID.interfaceMode)), asNumber(t.scalar(CAMBIUM_OID.subModeType))),
    version: trimmed(t.scalar(CAMBIUM_OID.imageVersion)),
    hardwareRevision: null,
  };
}

export function parseCambium(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  const identity = identifyTable(t);
  system.version = identity.version ?? asText(t.scalar(CAMBIUM_OID.imageVersion));
  system.cpuLoadPct = scaledPercent(t.scalar(CAMBIUM_OID.cpuUsage), 10) ?? system.cpuLoadPct;
  const gauges: Record<string, number> = {};
  const rssi = asNumber(t.scalar(CAMBIUM_OID.staDlRssi));
  if (rssi !== null) gauges.rssiDbm = rssi;
  return {
    system, identity, interfaces: parseInterfaces(t), ssids: [], stations: [], clients: asNumber(t.scalar(CAMBIUM_OID.apConnectedSta)), gauges,
  };
}

const IDENTITY_GETS = [CAMBIUM_OID.imageVersion, CAMBIUM_OID.interfaceMode, CAMBIUM_OID.subModeType];

export const cambiumDriver: SnmpDriver = {
  vendor: 'cambium',
  plan: withGeneric({ gets: [...IDENTITY_GETS, CAMBIUM_OID.staDlRssi, CAMBIUM_OID.apConnectedSta, CAMBIUM_OID.cpuUsage], walks: [] }),
  parse: parseCambium,
  identityPlan: { gets: IDENTITY_GETS, firstOf: [] },
  identify: (varbinds) => identifyTable(tableOf(varbinds)),
};
