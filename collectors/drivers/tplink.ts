/**
 * TP-Link JetStream / Omada switches: ports from IF-MIB (generic); TP-LINK-SYSINFO-MIB hardware version
 * (tpSysInfoHwVersion, `SG2218P 1.20`: model and hardware revision), firmware (tpSysInfoSwVersion); CPU from
 * TPLINK-SYSMONITOR-MIB tpSysMonitorCpu5Seconds (one row per CPU, percent) and memory use from
 * tpSysMonitorMemoryUtilization (percent, gauge `memUsedPct`).
 */
import { asNumber } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { meanLoad, parseInterfaces, parseSystem, trimmed, withGeneric } from './generic.ts';
import type { DeviceIdentity, DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const TPLINK_OID = {
  hwVersion: '1.3.6.1.4.1.11863.6.1.1.5.0',
  swVersion: '1.3.6.1.4.1.11863.6.1.1.6.0',
  cpu5s: '1.3.6.1.4.1.11863.6.4.1.1.1.1.2',
  memUsed: '1.3.6.1.4.1.11863.6.4.1.2.1.1.2',
} as const;

/** `SG2218P 1.20` -> model `SG2218P`, revision `1.20`; a value without a revision part is all model. */
export function splitHardware(hw: string | null): { model: string | null; hardwareRevision: string | null } {
  if (hw === null) return { model: null, hardwareRevision: null };
  const m = /^(\S+)\s+(?:v|ver\.?\s*)?(\d+(?:\.\d+)*)$/i.exec(hw.trim());
  if (m) return { model: m[1] as string, hardwareRevision: m[2] as string };
  return { model: hw.trim() || null, hardwareRevision: null };
}

function identifyTable(t: VarbindTable): DeviceIdentity {
  return { ...splitHardware(trimmed(t.scalar(TPLINK_OID.hwVersion))), version: trimmed(t.scalar(TPLINK_OID.swVersion)) };
}

export function parseTplink(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  const identity = identifyTable(t);
  system.version = identity.version;
  system.cpuLoadPct = meanLoad(t, TPLINK_OID.cpu5s) ?? system.cpuLoadPct;
  const gauges: Record<string, number> = {};
  const mem = [...t.column(TPLINK_OID.memUsed).values()].map(asNumber).filter((n): n is number => n !== null);
  if (mem.length > 0) gauges.memUsedPct = Math.max(...mem);
  return { system, identity, interfaces: parseInterfaces(t), ssids: [], stations: [], clients: null, gauges };
}

export const tplinkDriver: SnmpDriver = {
  vendor: 'tplink',
  plan: withGeneric({ gets: [TPLINK_OID.hwVersion, TPLINK_OID.swVersion], walks: [[TPLINK_OID.cpu5s], [TPLINK_OID.memUsed]] }),
  parse: parseTplink,
  identityPlan: { gets: [TPLINK_OID.hwVersion, TPLINK_OID.swVersion], firstOf: [] },
  identify: (varbinds) => identifyTable(tableOf(varbinds)),
};
