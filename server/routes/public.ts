import { siteStateRows } from '../db/monitoring.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { hotspotsOut } from '../../core/schemas/responses.ts';

type PublicState = 'up' | 'down' | 'unknown' | 'planned';

/**
 * A site works when one of its devices is up; it is down when it has devices and all that report are down;
 * planned when it is not live yet. Nothing here names a person or shows a device address.
 */
function siteState(siteStatus: string, deviceStates: (string | null)[]): PublicState {
  if (siteStatus !== 'live') return 'planned';
  if (deviceStates.some((s) => s === 'up' || s === 'degraded')) return 'up';
  if (deviceStates.length > 0 && deviceStates.every((s) => s === 'down')) return 'down';
  if (deviceStates.some((s) => s === 'down')) return 'down';
  return 'unknown';
}

export const publicRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/public/hotspots',
    reads: 'replica',
    access: 'public',
    summary: 'Where the free Wi-Fi is and whether it works now (sites only: no addresses, no personal data)',
    tag: 'public',
    response: hotspotsOut, handler: async ({ c, ctx }) => {
      const rows = await siteStateRows(ctx.db);
      const sites = new Map<string, { id: string; name: string; lat: number; lon: number; wardCode: string | null; status: string; states: (string | null)[] }>();
      for (const r of rows) {
        let s = sites.get(r.id);
        if (s === undefined) {
          s = { id: r.id, name: r.name, lat: r.lat, lon: r.lon, wardCode: r.ward_code, status: r.site_status, states: [] };
          sites.set(r.id, s);
        }
        if (r.enabled === 1) s.states.push(r.device_status);
      }
      c.header('cache-control', 'public, max-age=15');
      const items = [...sites.values()].map((s) => ({ id: s.id, name: s.name, lat: s.lat, lon: s.lon, wardCode: s.wardCode, state: siteState(s.status, s.states) }));
      return { items, total: items.length };
    },
  }),
];
