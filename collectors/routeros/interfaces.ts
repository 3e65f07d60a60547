/** /interface/print -> per-interface byte counters (64-bit, bigint) and running state. */
import { ifTypeOfRouterOsType } from '../../core/interface-roles.ts';
import type { InterfaceSample } from '../../core/observations.ts';
import type { RosRow } from './types.ts';
import { parseBool, parseCounter, parseItemId } from './values.ts';
import type { WirelessInterface } from './wireless-interfaces.ts';

export const INTERFACES_COMMAND = '/interface/print';
export const INTERFACES_FIELDS = ['.id', 'name', 'type', 'running', 'disabled', 'rx-byte', 'tx-byte'] as const;

/**
 * Issue 11: the RouterOS `type` travels as the matching ifType, so the server gives roles by the same rules as SNMP.
 * A virtual AP (`wireless`: its master interface is known) is typed `wlan` like its radio: it travels as `virtual`.
 */
export function parseInterfaces(rows: readonly RosRow[], wireless: ReadonlyMap<string, WirelessInterface> = new Map()): InterfaceSample[] {
  return rows.map((row, i) => {
    const ifType = ifTypeOfRouterOsType(row.type);
    const virtualAp = row.name !== undefined && wireless.get(row.name)?.virtual === true;
    return {
      index: parseItemId(row['.id']) ?? i + 1,
      name: row.name ?? `#${i + 1}`,
      operUp: parseBool(row.running),
      inOctets: parseCounter(row['rx-byte']),
      outOctets: parseCounter(row['tx-byte']),
      counterBits: 64,
      speedBps: null,
      ...(ifType === null ? {} : { ifType }),
      ...(virtualAp ? { role: 'virtual' as const } : {}),
    };
  });
}
