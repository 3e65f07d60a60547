/**
 * Generic driver (any SNMP agent): SNMPv2-MIB system group, IF-MIB ifTable + ifXTable (64-bit HC counters
 * preferred), HOST-RESOURCES-MIB hrProcessorLoad for CPU.
 */
import { assignRoles } from '../../core/interface-roles.ts';
import type { InterfaceRole } from '../../core/interface-roles.ts';
import type { InterfaceSample, SystemInfo } from '../../core/observations.ts';
import { asBigInt, asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import type { DeviceIdentity, DriverOutput, DriverPlan, IdentityPlan, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const OID = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifType: '1.3.6.1.2.1.2.2.1.3',
  ifSpeed: '1.3.6.1.2.1.2.2.1.5',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInOctets: '1.3.6.1.2.1.2.2.1.10',
  ifOutOctets: '1.3.6.1.2.1.2.2.1.16',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  ifHighSpeed: '1.3.6.1.2.1.31.1.1.1.15',
  ifAlias: '1.3.6.1.2.1.31.1.1.1.18',
  hrProcessorLoad: '1.3.6.1.2.1.25.3.3.1.2',
} as const;

export const SYSTEM_OIDS: readonly string[] = [OID.sysDescr, OID.sysObjectID, OID.sysUpTime, OID.sysName];

export const GENERIC_PLAN: DriverPlan = {
  gets: SYSTEM_OIDS,
  walks: [
    [OID.ifDescr, OID.ifType, OID.ifSpeed, OID.ifOperStatus, OID.ifInOctets, OID.ifOutOctets],
    [OID.ifName, OID.ifHCInOctets, OID.ifHCOutOctets, OID.ifHighSpeed, OID.ifAlias],
    [OID.hrProcessorLoad],
  ],
};

const IF_SPEED_MAX = 4294967295;
const MAX_PLAUSIBLE_BPS = 10e12;

/** Mean of a column of per-CPU loads (percent), to 0.1; null when the column is absent. */
export function meanLoad(t: VarbindTable, column: string): number | null {
  const loads = [...t.column(column).values()].map(asNumber).filter((n): n is number => n !== null);
  return loads.length > 0 ? Math.round((loads.reduce((a, b) => a + b, 0) / loads.length) * 10) / 10 : null;
}

/** A vendor's CPU figure given in hundredths or tenths of a percent, as percent; null when absent or not 0..100 %. */
export function scaledPercent(vb: Varbind | undefined, perPercent: number): number | null {
  const n = asNumber(vb);
  if (n === null) return null;
  const pct = Math.round((n / perPercent) * 100) / 100;
  return pct >= 0 && pct <= 100 ? pct : null;
}

export function parseSystem(t: VarbindTable): SystemInfo {
  const ticks = asNumber(t.scalar(OID.sysUpTime));
  return {
    uptimeS: ticks === null ? null : Math.floor(ticks / 100),
    descr: asText(t.scalar(OID.sysDescr)),
    objectId: asText(t.scalar(OID.sysObjectID)),
    name: asText(t.scalar(OID.sysName)),
    version: null,
    cpuLoadPct: meanLoad(t, OID.hrProcessorLoad),
    memFreeBytes: null,
  };
}

/**
 * What a vendor's own MIB says about its interfaces: wireless virtual APs, by ifIndex or by interface name
 * (MikroTik marks them in its AP table, UniFi names its VAPs). Everything else is read from ifType and the names.
 */
export interface VendorInterfaceMarks {
  virtualIndices?: ReadonlySet<number>;
  virtualNames?: ReadonlySet<string>;
}

export function parseInterfaces(t: VarbindTable, marks: VendorInterfaceMarks = {}): InterfaceSample[] {
  const cols = {
    descr: t.column(OID.ifDescr),
    type: t.column(OID.ifType),
    alias: t.column(OID.ifAlias),
    speed: t.column(OID.ifSpeed),
    oper: t.column(OID.ifOperStatus),
    in32: t.column(OID.ifInOctets),
    out32: t.column(OID.ifOutOctets),
    name: t.column(OID.ifName),
    in64: t.column(OID.ifHCInOctets),
    out64: t.column(OID.ifHCOutOctets),
    high: t.column(OID.ifHighSpeed),
  };
  const indices = new Set<number>();
  for (const col of Object.values(cols)) {
    for (const suffix of col.keys()) {
      const n = Number(suffix);
      if (Number.isInteger(n) && n >= 0) indices.add(n);
    }
  }
  const list = [...indices].sort((a, b) => a - b).map((index): InterfaceSample => {
    const k = String(index);
    const in64 = asBigInt(cols.in64.get(k));
    const out64 = asBigInt(cols.out64.get(k));
    const has64 = in64 !== null || out64 !== null;
    const oper = asNumber(cols.oper.get(k));
    const speed = asNumber(cols.speed.get(k));
    const high = asNumber(cols.high.get(k));
    let speedBps: number | null = null;
    if (speed !== null && speed < IF_SPEED_MAX) speedBps = speed;
    else if (high !== null) speedBps = high * 1_000_000;
    else if (speed !== null) speedBps = speed;
    // Some agents put bps into ifHighSpeed (Mbps): the recorded ePMP claims 10^9 Mbps. Beyond 10 Tbps is not a speed.
    if (speedBps !== null && speedBps > MAX_PLAUSIBLE_BPS) speedBps = null;
    return {
      index,
      name: asText(cols.name.get(k)) || asText(cols.descr.get(k)) || `if${index}`,
      operUp: oper === null ? null : oper === 1,
      inOctets: has64 ? in64 : asBigInt(cols.in32.get(k)),
      outOctets: has64 ? out64 : asBigInt(cols.out32.get(k)),
      counterBits: has64 ? 64 : 32,
      speedBps,
      ifType: asNumber(cols.type.get(k)),
      alias: asText(cols.alias.get(k))?.trim().slice(0, 256) || null,
    };
  });
  const roles = assignRoles(list.map((i) => ({
    name: i.name,
    ifType: i.ifType,
    alias: i.alias,
    vendorVirtual: (marks.virtualIndices?.has(i.index) ?? false) || (marks.virtualNames?.has(i.name) ?? false),
  })));
  return list.map((i, n) => ({ ...i, role: roles[n] as InterfaceRole }));
}

export const NO_IDENTITY: DeviceIdentity = { model: null, version: null, hardwareRevision: null };
const NO_IDENTITY_PLAN: IdentityPlan = { gets: [], firstOf: [] };

export function parseGeneric(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  return { system: parseSystem(t), identity: { ...NO_IDENTITY }, interfaces: parseInterfaces(t), ssids: [], stations: [], clients: null, gauges: {} };
}

export const genericDriver: SnmpDriver = {
  vendor: 'generic',
  plan: GENERIC_PLAN,
  parse: parseGeneric,
  identityPlan: NO_IDENTITY_PLAN,
  identify: () => ({ ...NO_IDENTITY }),
};

/** Text with surrounding blanks removed; null when nothing is left. */
export function trimmed(vb: Varbind | undefined): string | null {
  const s = asText(vb)?.trim();
  return s ? s : null;
}

/**
 * IEEE802dot11-MIB dot11ResourceInfoTable, indexed by the radio's ifIndex: dot11manufacturerProductName and
 * dot11manufacturerProductVersion. Ubiquiti firmware fills them (airOS: `LiteBeam 5AC Gen2` and
 * `WA.ar934x.v8.7.4.45112.210415.1103`; older UniFi: `UAP`).
 */
export const DOT11_OID = {
  productName: '1.2.840.10036.3.1.2.1.3',
  productVersion: '1.2.840.10036.3.1.2.1.4',
} as const;

/** Joins a vendor plan onto the generic one. */
export function withGeneric(extra: DriverPlan): DriverPlan {
  return { gets: [...GENERIC_PLAN.gets, ...extra.gets], walks: [...GENERIC_PLAN.walks, ...extra.walks] };
}
