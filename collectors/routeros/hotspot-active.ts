/** /ip/hotspot/active/print -> signed-in hotspot users with uptime and byte counters. */
import type { HotspotActive } from '../../core/observations.ts';
import type { RosRow } from './types.ts';
import { normalizeMac, parseCounter, parseRouterOsDuration } from './values.ts';

export const HOTSPOT_ACTIVE_COMMAND = '/ip/hotspot/active/print';
export const HOTSPOT_ACTIVE_FIELDS = ['user', 'address', 'mac-address', 'uptime', 'bytes-in', 'bytes-out'] as const;

export function parseHotspotActive(rows: readonly RosRow[]): HotspotActive[] {
  const out: HotspotActive[] = [];
  for (const row of rows) {
    if (row.address === undefined) continue;
    out.push({
      user: row.user ?? '',
      address: row.address,
      mac: normalizeMac(row['mac-address']),
      uptimeS: Math.floor(parseRouterOsDuration(row.uptime) ?? 0),
      bytesIn: parseCounter(row['bytes-in']) ?? 0n,
      bytesOut: parseCounter(row['bytes-out']) ?? 0n,
    });
  }
  return out;
}
