/**
 * TP-Link JetStream / Omada switches: ports from IF-MIB (generic), firmware and hardware version from
 * TP-LINK-SYSINFO-MIB (tpSysInfoSwVersion 1.3.6.1.4.1.11863.6.1.1.6.0, tpSysInfoHwVersion .5.0).
 */
import { asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { parseInterfaces, parseSystem, withGeneric } from './generic.ts';
import type { DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';

export const TPLINK_OID = {
  hwVersion: '1.3.6.1.4.1.11863.6.1.1.5.0',
  swVersion: '1.3.6.1.4.1.11863.6.1.1.6.0',
} as const;

export function parseTplink(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  system.version = asText(t.scalar(TPLINK_OID.swVersion));
  return { system, interfaces: parseInterfaces(t), ssids: [], stations: [], clients: null, gauges: {} };
}

export const tplinkDriver: SnmpDriver = {
  vendor: 'tplink',
  plan: withGeneric({ gets: [TPLINK_OID.hwVersion, TPLINK_OID.swVersion], walks: [] }),
  parse: parseTplink,
};
