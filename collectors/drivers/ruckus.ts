/**
 * Ruckus SmartZone controller (RUCKUS-SZ-SYSTEM-MIB / RUCKUS-SZ-WLAN-MIB, 1.3.6.1.4.1.25053.1.4):
 * system stats (number of APs, number of stations), WLAN table (SSID, stations per WLAN), controller node
 * model and firmware (1.3.6.1.4.1.25053.1.8.1.1.1.1.1.1 columns 3 and 9, indexed by the node's serial number), and
 * the controller's country code (column 4 of the table at 1.3.6.1.4.1.25053.1.8.1.1.1.1.3.1), written after the
 * version as LibreNMS does: `3.6.2.0.78 (US)`.
 */
import type { SsidClients } from '../../core/observations.ts';
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { parseInterfaces, parseSystem, trimmed, withGeneric } from './generic.ts';
import type { DeviceIdentity, DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const RUCKUS_OID = {
  statsNumAp: '1.3.6.1.4.1.25053.1.4.1.1.1.15.1.0',
  statsNumSta: '1.3.6.1.4.1.25053.1.4.1.1.1.15.2.0',
  wlanSsid: '1.3.6.1.4.1.25053.1.4.2.1.1.1.2.1.1',
  wlanNumSta: '1.3.6.1.4.1.25053.1.4.2.1.1.1.2.1.12',
  nodeModel: '1.3.6.1.4.1.25053.1.8.1.1.1.1.1.1.3',
  nodeVersion: '1.3.6.1.4.1.25053.1.8.1.1.1.1.1.1.9',
  countryCode: '1.3.6.1.4.1.25053.1.8.1.1.1.1.3.1.4',
} as const;

/** `3.6.2.0.78` and `US` -> `3.6.2.0.78 (US)`; the version alone when there is no country. */
export function ruckusVersion(version: string | null, country: string | null): string | null {
  if (version === null) return null;
  return country ? `${version} (${country})` : version;
}

function identifyTable(t: VarbindTable): DeviceIdentity {
  return {
    model: trimmed(t.first(RUCKUS_OID.nodeModel)),
    version: ruckusVersion(trimmed(t.first(RUCKUS_OID.nodeVersion)), trimmed(t.first(RUCKUS_OID.countryCode))),
    hardwareRevision: null,
  };
}

export function parseRuckus(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  const identity = identifyTable(t);
  system.version = identity.version;
  const numSta = t.column(RUCKUS_OID.wlanNumSta);
  const ssids: SsidClients[] = [];
  let wlanTotal: number | null = null;
  for (const [suffix, vb] of t.column(RUCKUS_OID.wlanSsid)) {
    const n = asNumber(numSta.get(suffix));
    if (n !== null) wlanTotal = (wlanTotal ?? 0) + n;
    const ssid = asText(vb);
    if (ssid) ssids.push({ ssid, radio: null, clients: n ?? 0 });
  }
  const gauges: Record<string, number> = {};
  const aps = asNumber(t.scalar(RUCKUS_OID.statsNumAp));
  if (aps !== null) gauges.apCount = aps;
  const clients = asNumber(t.scalar(RUCKUS_OID.statsNumSta)) ?? wlanTotal;
  return { system, identity, interfaces: parseInterfaces(t), ssids, stations: [], clients, gauges };
}

const FIRST_OF = [RUCKUS_OID.nodeModel, RUCKUS_OID.nodeVersion, RUCKUS_OID.countryCode];

export const ruckusDriver: SnmpDriver = {
  vendor: 'ruckus',
  plan: withGeneric({
    gets: [RUCKUS_OID.statsNumAp, RUCKUS_OID.statsNumSta],
    walks: [[RUCKUS_OID.wlanSsid, RUCKUS_OID.wlanNumSta], [RUCKUS_OID.nodeModel, RUCKUS_OID.nodeVersion], [RUCKUS_OID.countryCode]],
  }),
  parse: parseRuckus,
  identityPlan: { gets: [], firstOf: FIRST_OF },
  identify: (varbinds) => identifyTable(tableOf(varbinds)),
};
