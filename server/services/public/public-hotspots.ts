/**
 * Hotspots as the public sees them (the phone map, the status pages, the open-data files): a site's name, place,
 * ward, network names (SSIDs), state now and when it last answered. Never a device address, credential, person or
 * anything a citizen did. A site works when one of its devices is up or degraded; it is down when every device that
 * reports is down; unknown when none reports; planned when it is not live yet.
 */
import { publicSiteRows } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';

export type PublicState = 'up' | 'down' | 'unknown' | 'planned';

export interface PublicHotspot {
  id: string;
  name: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  wardName: string | null;
  kecamatan: string | null;
  state: PublicState;
  ssids: string[];
  /** ISO time a device of the site last answered a poll; null when none ever did. */
  lastSeen: string | null;
  /** ISO time the state began (the newest change among the site's devices). */
  stateSince: string | null;
}

export function siteState(siteStatus: string, deviceStates: (string | null)[]): PublicState {
  if (siteStatus !== 'live') return 'planned';
  if (deviceStates.some((s) => s === 'up' || s === 'degraded')) return 'up';
  if (deviceStates.some((s) => s === 'down')) return 'down';
  return 'unknown';
}

interface Acc {
  out: PublicHotspot;
  siteStatus: string;
  states: (string | null)[];
  lastOk: number | null;
  since: number | null;
}

export async function publicHotspots(ctx: ServiceCtx): Promise<PublicHotspot[]> {
  const rows = await publicSiteRows(ctx.db);
  const sites = new Map<string, Acc>();
  for (const r of rows) {
    let s = sites.get(r.id);
    if (s === undefined) {
      s = {
        out: { id: r.id, name: r.name, lat: Number(r.lat), lon: Number(r.lon), wardCode: r.ward_code, wardName: r.ward_name, kecamatan: r.district, state: 'unknown', ssids: [], lastSeen: null, stateSince: null },
        siteStatus: r.site_status, states: [], lastOk: null, since: null,
      };
      sites.set(r.id, s);
    }
    if (r.device_id === null || r.enabled !== 1) continue;
    s.states.push(r.device_status);
    if (r.last_ok_ms !== null) s.lastOk = Math.max(s.lastOk ?? 0, Number(r.last_ok_ms));
    if (r.since_ms !== null) s.since = Math.max(s.since ?? 0, Number(r.since_ms));
    if (r.ssids !== null) {
      try {
        for (const x of JSON.parse(r.ssids) as { ssid?: unknown }[]) if (typeof x.ssid === 'string' && x.ssid !== '' && !s.out.ssids.includes(x.ssid)) s.out.ssids.push(x.ssid);
      } catch {
        // A malformed SSID list is left out, never an error on a public page.
      }
    }
  }
  return [...sites.values()].map((s) => ({
    ...s.out,
    state: siteState(s.siteStatus, s.states),
    ssids: [...s.out.ssids].sort(),
    lastSeen: s.lastOk === null ? null : new Date(s.lastOk).toISOString(),
    stateSince: s.since === null ? null : new Date(s.since).toISOString(),
  }));
}
