/** /interface/print -> per-interface byte counters (64-bit, bigint) and running state. */
import type { InterfaceSample } from '../../core/observations.ts';
import type { RosRow } from './types.ts';
import { parseBool, parseCounter, parseItemId } from './values.ts';

export const INTERFACES_COMMAND = '/interface/print';
export const INTERFACES_FIELDS = ['.id', 'name', 'type', 'running', 'disabled', 'rx-byte', 'tx-byte'] as const;

export function parseInterfaces(rows: readonly RosRow[]): InterfaceSample[] {
  return rows.map((row, i) => ({
    index: parseItemId(row['.id']) ?? i + 1,
    name: row.name ?? `#${i + 1}`,
    operUp: parseBool(row.running),
    inOctets: parseCounter(row['rx-byte']),
    outOctets: parseCounter(row['tx-byte']),
    counterBits: 64,
    speedBps: null,
  }));
}
