/**
 * Ubiquiti airMAX / airOS (UBNT-AirMAX-MIB, 1.3.6.1.4.1.41112.1.4): ubntWlStatTable per wireless interface
 * (SSID, signal, station count), ubntRadioTable frequency.
 */
import type { SsidClients } from '../../core/observations.ts';
import { asNumber, asText } from '../snmp/values.ts';
import type { Varbind } from '../snmp/types.ts';
import { parseInterfaces, parseSystem, withGeneric } from './generic.ts';
import type { DriverOutput, SnmpDriver } from './types.ts';
import { tableOf } from './varbind-table.ts';

export const AIROS_OID = {
  radioFreq: '1.3.6.1.4.1.41112.1.4.1.1.4',
  wlStatSsid: '1.3.6.1.4.1.41112.1.4.5.1.2',
  wlStatSignal: '1.3.6.1.4.1.41112.1.4.5.1.5',
  wlStatStaCount: '1.3.6.1.4.1.41112.1.4.5.1.15',
} as const;

export function parseAiros(varbinds: readonly Varbind[]): DriverOutput {
  const t = tableOf(varbinds);
  const system = parseSystem(t);
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
  return { system, interfaces: parseInterfaces(t), ssids, stations: [], clients: total, gauges };
}

export const airosDriver: SnmpDriver = {
  vendor: 'ubiquiti-airos',
  plan: withGeneric({
    gets: [],
    walks: [[AIROS_OID.wlStatSsid, AIROS_OID.wlStatSignal, AIROS_OID.wlStatStaCount], [AIROS_OID.radioFreq]],
  }),
  parse: parseAiros,
};
