/**
 * Which wireless interfaces are radios and which are virtual APs on one: /interface/wireless/print (RouterOS 6 and
 * the v7 wireless package: `ssid`, `master-interface` on a virtual AP) and /interface/wifi/print (v7 wifi package:
 * `configuration.ssid`, `master-interface`). A virtual AP is another SSID of its master's radio, not a radio.
 */
import type { RosRow } from './types.ts';

export const WIRELESS_INTERFACES_COMMAND = '/interface/wireless/print';
export const WIRELESS_INTERFACES_FIELDS = ['name', 'ssid', 'master-interface'] as const;
export const WIFI_INTERFACES_COMMAND = '/interface/wifi/print';
export const WIFI_INTERFACES_FIELDS = ['name', 'configuration.ssid', 'ssid', 'master-interface'] as const;

export interface WirelessInterface {
  /** The SSID it broadcasts, when the router says. */
  ssid: string | null;
  /** The physical radio it runs on: itself, or its master's radio for a virtual AP. */
  radio: string;
  /** A virtual AP (has a master interface). */
  virtual: boolean;
}

function present(v: string | undefined): string | null {
  const s = v?.trim() ?? '';
  return s === '' || s.toLowerCase() === 'none' ? null : s;
}

/** Wireless interfaces by name, each with its radio (masters followed, a loop or a missing master stops there). */
export function parseWirelessInterfaces(wirelessRows: readonly RosRow[], wifiRows: readonly RosRow[]): Map<string, WirelessInterface> {
  const raw = new Map<string, { ssid: string | null; master: string | null }>();
  for (const row of wirelessRows) {
    const name = present(row.name);
    if (name !== null) raw.set(name, { ssid: present(row.ssid), master: present(row['master-interface']) });
  }
  for (const row of wifiRows) {
    const name = present(row.name);
    if (name !== null) raw.set(name, { ssid: present(row['configuration.ssid']) ?? present(row.ssid), master: present(row['master-interface']) });
  }
  const out = new Map<string, WirelessInterface>();
  for (const [name, r] of raw) {
    let radio = name;
    const seen = new Set([name]);
    for (let next = r.master; next !== null && !seen.has(next); next = raw.get(next)?.master ?? null) {
      seen.add(next);
      radio = next;
    }
    out.set(name, { ssid: r.ssid, radio, virtual: r.master !== null });
  }
  return out;
}
