/**
 * One poll of one RouterOS device: the resources asked for, in parallel on the router's pooled sessions, each with
 * `.proplist`, assembled into a PollSuccess - or a PollFailure carrying the first cause. Never throws.
 */
import type { DeviceTarget, PollResult, Station } from '../../core/observations.ts';
import { RouterOSError, toPollError, toRouterOSError } from './errors.ts';
import { routerOsEndpoint } from './endpoint.ts';
import { HOTSPOT_ACTIVE_COMMAND, HOTSPOT_ACTIVE_FIELDS, parseHotspotActive } from './hotspot-active.ts';
import { INTERFACES_COMMAND, INTERFACES_FIELDS, parseInterfaces } from './interfaces.ts';
import type { RouterOSPool } from './pool.ts';
import {
  countClientsBySsid,
  parseWifiRegistrations,
  parseWirelessRegistrations,
  WIFI_REGISTRATION_COMMAND,
  WIFI_REGISTRATION_FIELDS,
  WIRELESS_REGISTRATION_COMMAND,
  WIRELESS_REGISTRATION_FIELDS,
} from './registration-table.ts';
import { parseWirelessInterfaces, WIFI_INTERFACES_COMMAND, WIFI_INTERFACES_FIELDS, WIRELESS_INTERFACES_COMMAND, WIRELESS_INTERFACES_FIELDS } from './wireless-interfaces.ts';
import { SYSTEM_IDENTITY_COMMAND, SYSTEM_IDENTITY_FIELDS, parseSystemIdentity } from './system-identity.ts';
import { SYSTEM_RESOURCE_COMMAND, SYSTEM_RESOURCE_FIELDS, parseSystemResource } from './system-resource.ts';
import type { RosRow, RouterOSEndpoint } from './types.ts';

export const ROUTEROS_RESOURCES = ['system', 'interfaces', 'wireless', 'hotspotActive'] as const;
export type RouterOsResource = (typeof ROUTEROS_RESOURCES)[number];

export interface PollRouterOsOptions {
  /** What to ask for; default all four. */
  resources?: readonly RouterOsResource[];
  /** Deadline per command (the pool's default otherwise). */
  commandTimeoutMs?: number;
  /** Clock for startedAtMs/durationMs; default Date.now. */
  nowMs?: () => number;
}

/** A menu the router does not have (package not installed): `!trap` category 0 / "no such command". */
function isMissingMenu(err: RouterOSError): boolean {
  return err.kind === 'trap' && (err.category === 0 || /no such command/i.test(err.message));
}

async function rowsOf(pool: RouterOSPool, endpoint: RouterOSEndpoint, command: string, fields: readonly string[], timeoutMs: number | undefined): Promise<RosRow[]> {
  const reply = await pool.run(endpoint, { command, proplist: fields, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return reply.rows;
}

/** Rows of an optional menu: empty when the router lacks it. */
async function optionalRowsOf(pool: RouterOSPool, endpoint: RouterOSEndpoint, command: string, fields: readonly string[], timeoutMs: number | undefined): Promise<RosRow[]> {
  try {
    return await rowsOf(pool, endpoint, command, fields, timeoutMs);
  } catch (err) {
    const e = toRouterOSError(err);
    if (isMissingMenu(e)) return [];
    throw e;
  }
}

export async function pollRouterOsDevice(pool: RouterOSPool, target: DeviceTarget, opts: PollRouterOsOptions = {}): Promise<PollResult> {
  const now = opts.nowMs ?? Date.now;
  const startedAtMs = now();
  const wanted = new Set<RouterOsResource>(opts.resources ?? ROUTEROS_RESOURCES);
  const t = opts.commandTimeoutMs;
  try {
    const endpoint = routerOsEndpoint(target);
    const none = Promise.resolve<RosRow[]>([]);
    const tasks = [
      wanted.has('system') ? rowsOf(pool, endpoint, SYSTEM_RESOURCE_COMMAND, SYSTEM_RESOURCE_FIELDS, t) : none,
      wanted.has('system') ? rowsOf(pool, endpoint, SYSTEM_IDENTITY_COMMAND, SYSTEM_IDENTITY_FIELDS, t) : none,
      wanted.has('interfaces') ? rowsOf(pool, endpoint, INTERFACES_COMMAND, INTERFACES_FIELDS, t) : none,
      wanted.has('wireless') ? optionalRowsOf(pool, endpoint, WIRELESS_REGISTRATION_COMMAND, WIRELESS_REGISTRATION_FIELDS, t) : none,
      wanted.has('wireless') ? optionalRowsOf(pool, endpoint, WIFI_REGISTRATION_COMMAND, WIFI_REGISTRATION_FIELDS, t) : none,
      wanted.has('hotspotActive') ? rowsOf(pool, endpoint, HOTSPOT_ACTIVE_COMMAND, HOTSPOT_ACTIVE_FIELDS, t) : none,
      // Which wireless interfaces are virtual APs (of which radio), for the SSID figures and interface roles.
      wanted.has('wireless') ? optionalRowsOf(pool, endpoint, WIRELESS_INTERFACES_COMMAND, WIRELESS_INTERFACES_FIELDS, t) : none,
      wanted.has('wireless') ? optionalRowsOf(pool, endpoint, WIFI_INTERFACES_COMMAND, WIFI_INTERFACES_FIELDS, t) : none,
    ] as const;
    const settled = await Promise.allSettled(tasks);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const [resourceRows, identityRows, ifaceRows, wirelessRows, wifiRows, activeRows, wirelessIfRows, wifiIfRows] = settled.map((s) => (s as PromiseFulfilledResult<RosRow[]>).value) as [
      RosRow[], RosRow[], RosRow[], RosRow[], RosRow[], RosRow[], RosRow[], RosRow[],
    ];
    const wirelessIfaces = parseWirelessInterfaces(wirelessIfRows, wifiIfRows);
    const identity = wanted.has('system') ? parseSystemIdentity(identityRows) : null;
    const system = wanted.has('system')
      ? parseSystemResource(resourceRows, identity)
      : { uptimeS: null, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null };
    const stations: Station[] = [...parseWirelessRegistrations(wirelessRows), ...parseWifiRegistrations(wifiRows)];
    const hotspotActive = parseHotspotActive(activeRows);
    const clients = wanted.has('wireless') && stations.length > 0 ? stations.length : wanted.has('hotspotActive') ? hotspotActive.length : wanted.has('wireless') ? 0 : null;
    return {
      ok: true,
      deviceId: target.deviceId,
      startedAtMs,
      durationMs: now() - startedAtMs,
      system,
      interfaces: parseInterfaces(ifaceRows, wirelessIfaces),
      ssids: countClientsBySsid(wirelessRows, wifiRows, wirelessIfaces),
      stations,
      hotspotActive,
      clients,
    };
  } catch (err) {
    return { ok: false, deviceId: target.deviceId, startedAtMs, durationMs: now() - startedAtMs, error: toPollError(err) };
  }
}
