/**
 * Ubiquiti airMAX / airOS (UBNT-AirMAX-MIB, 1.3.6.1.4.1.41112.1.4): ubntWlStatTable per wireless interface
 * (SSID, signal, station count), ubntRadioTable frequency, ubntHostCpuLoad (hundredths of a percent). Model and
 * firmware come from IEEE802dot11-MIB (product name and version of the radio); the version is what follows `.v`
 * in the product version string (`WA.ar934x.v8.7.4.45112.210415.1103` -> `8.7.4.45112.210415.1103`).
 */
import type { SsidClients } from '../../core/observations.ts';
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { DOT11_OID, parseInterfaces, parseSystem, scaledPercent, trimmed, withGeneric } from './generic.ts';
import type { DeviceIdentity, DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';
import type { VarbindTable } from './varbind-table.ts';

export const AIROS_OID = {
  radioFreq: '1.3.6.1.4.1.41112.1.4.1.1.4',
  wlStatSsid: '1.3.6.1.4.1.41112.1.4.5.1.2',
  wlStatSignal: '1.3.6.1.4.1.41112.1.4.5.1.5',
  wlStatStaCount: '1.3.6.1.4.1.41112.1.4.5.1.15',
  /** ubntHostCpuLoad.0, in hundredths of a percent (606 = 6.06 %). */
  hostCpuLoad: '1.3.6.1.4.1.41112.1.4.8.3.0',
} as const;

/** `...v8.7.4.45112.210415.1103` -> `8.7.4.45112.210415.1103`; the whole string when it has no `.v` part. */
export function airosVersion(productVersion: string | null): string | null {
  if (productVersion === null) return null;
  const m = /\.v(\d[^\s]*)$/.exec(productVersion.trim());
  return m?.[1] ?? (productVersion.trim() || null);
}

function identifyTable(t: VarbindTable): DeviceIdentity {
  return {
    model: trimmed(t.first(DOT11_OID.productName)),
    version: airosVersion(asText(t.first(DOT11_OID.productVersion))),
    hardwareRevision: null,
  };
}

export function parseAiros(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
  const identity = identifyTable(t);
  system.version = identity.version;
  system.cpuLoadPct = scaledPercent(t.scalar(AIROS_OID.hostCpuLoad), 100) ?? system.cpuLoadPct;
  const ssidCol = t.column(AIROS_OID.wlStatSsid);
  const signal = t.column(AIROS_OID.wlStatSignal);
  const freq = t.column(AIROS_OID.radioFreq);
  const ssids: SsidClients[] = [];
  const gauges: Record<string, number> = {};
  let total: number | null = null;
  for (const [suffix, vb] of t.column(AIROS_OID.wlStatStaCount)) {
    const n = asNumber(vb);
    if (n === null) continue;
    total = (total ?? 0) + n;
    const mhz = asNumber(freq.get(suffix));
    // The SSID column may be absent (it is in the recorded airOS 8 device): keep the row, SSID unknown => ''.
    ssids.push({ ssid: asText(ssidCol.get(suffix)) ?? '', radio: mhz !== null ? `${mhz} MHz` : null, clients: n });
    const s = asNumber(signal.get(suffix));
    if (s !== null && gauges.signalDbm === undefined) gauges.signalDbm = s;
  }
  return { system, identity, interfaces: parseInterfaces(t), ssids, stations: [], clients: total, gauges };
}

export const airosDriver: SnmpDriver = {
  vendor: 'ubiquiti-airos',
  plan: withGeneric({
    gets: [AIROS_OID.hostCpuLoad],
    walks: [
      [AIROS_OID.wlStatSsid, AIROS_OID.wlStatSignal, AIROS_OID.wlStatStaCount],
      [AIROS_OID.radioFreq],
      [DOT11_OID.productName, DOT11_OID.productVersion],
    ],
  }),
  parse: parseAiros,
  identityPlan: { gets: [], firstOf: [DOT11_OID.productName, DOT11_OID.productVersion] },
  identify: (varbinds) => identifyTable(tableOf(varbinds)),
};
