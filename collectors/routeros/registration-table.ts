/**
 * Wireless stations from /interface/wireless/registration-table (RouterOS 6 and the v7 wireless package,
 * `signal-strength` like "-67@6Mbps") and /interface/wifi/registration-table (v7 wifi package, `signal` like "-67").
 */
import type { SsidClients, Station } from '../../core/observations.ts';
import type { RosRow } from './types.ts';
import { normalizeMac, parseSignalDbm } from './values.ts';
import type { WirelessInterface } from './wireless-interfaces.ts';

export const WIRELESS_REGISTRATION_COMMAND = '/interface/wireless/registration-table/print';
export const WIRELESS_REGISTRATION_FIELDS = ['interface', 'mac-address', 'signal-strength'] as const;
export const WIFI_REGISTRATION_COMMAND = '/interface/wifi/registration-table/print';
export const WIFI_REGISTRATION_FIELDS = ['interface', 'mac-address', 'signal', 'ssid'] as const;

function parseStationRows(rows: readonly RosRow[], signalField: 'signal-strength' | 'signal'): Station[] {
  const stations: Station[] = [];
  for (const row of rows) {
    const mac = normalizeMac(row['mac-address']);
    if (mac === null) continue;
    stations.push({ mac, iface: row.interface ?? null, signalDbm: parseSignalDbm(row[signalField]) });
  }
  return stations;
}

export function parseWirelessRegistrations(rows: readonly RosRow[]): Station[] {
  return parseStationRows(rows, 'signal-strength');
}

export function parseWifiRegistrations(rows: readonly RosRow[]): Station[] {
  return parseStationRows(rows, 'signal');
}

/**
 * Clients per SSID and radio. The SSID is the wifi table's `ssid`, else the interface's own SSID (`ifaces`), else the
 * interface name; the radio is the interface's radio from `ifaces`, so a virtual AP counts as an SSID of its master
 * radio, not as a radio of its own.
 */
export function countClientsBySsid(wirelessRows: readonly RosRow[], wifiRows: readonly RosRow[], ifaces: ReadonlyMap<string, WirelessInterface> = new Map()): SsidClients[] {
  const counts = new Map<string, SsidClients>();
  for (const row of [...wirelessRows, ...wifiRows]) {
    if (normalizeMac(row['mac-address']) === null) continue;
    const iface = row.interface ?? null;
    const known = iface === null ? undefined : ifaces.get(iface);
    const radio = known?.radio ?? iface;
    const ssid = row.ssid ?? known?.ssid ?? iface ?? 'unknown';
    const key = `${ssid}\u0000${radio ?? ''}`;
    const entry = counts.get(key) ?? { ssid, radio, clients: 0 };
    entry.clients++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}
