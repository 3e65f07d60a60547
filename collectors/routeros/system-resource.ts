/** /system/resource/print -> uptime, CPU load, free memory, version, board. */
import type { SystemInfo } from '../../core/observations.ts';
import type { RosRow } from './types.ts';
import { parseNumber, parseRouterOsDuration } from './values.ts';

export const SYSTEM_RESOURCE_COMMAND = '/system/resource/print';
export const SYSTEM_RESOURCE_FIELDS = ['uptime', 'cpu-load', 'free-memory', 'version', 'board-name'] as const;

/** SystemInfo from the resource row (and the identity name when known). */
export function parseSystemResource(rows: readonly RosRow[], identity: string | null): SystemInfo {
  const row = rows[0] ?? {};
  const uptime = parseRouterOsDuration(row.uptime);
  const version = row.version?.trim() || null;
  const board = row['board-name']?.trim() || null;
  const descr = version === null && board === null ? null : ['RouterOS', version, board].filter((x) => x !== null).join(' ');
  return {
    uptimeS: uptime === null ? null : Math.floor(uptime),
    descr,
    objectId: null,
    name: identity,
    version,
    cpuLoadPct: parseNumber(row['cpu-load']),
    memFreeBytes: parseNumber(row['free-memory']),
  };
}
