import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { hotspotStatusOut, hotspotsOut, htmlPage } from '../../core/schemas/responses.ts';
import { publicHotspots } from '../services/public/public-hotspots.ts';
import { hotspotStatus } from '../services/public/hotspot-status.ts';
import { statusPageHtml } from '../services/public/status-page.ts';

const idParam = z.object({ id: z.string().min(1).max(64) });

/**
 * What the public sees: sites only, never a device address, credential or person. A site works when one of its
 * devices is up; it is down when it has devices and all that report are down; planned when it is not live yet.
 */
export const publicRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/public/hotspots',
    reads: 'replica',
    access: 'public',
    summary: 'Where the free Wi-Fi is and whether it works now: name, place, ward, network names (SSID), state, last seen (sites only: no addresses, no personal data)',
    tag: 'public',
    response: hotspotsOut, handler: async ({ c, ctx }) => {
      c.header('cache-control', 'public, max-age=15');
      const items = await publicHotspots(ctx);
      return { items, total: items.length };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/public/hotspots/:id/status',
    access: 'public',
    params: idParam,
    summary: "A hotspot's public status: state now, 90 daily availability bars (a day not observed is null, never 0 or 100) and planned maintenance (times only)",
    tag: 'public',
    response: hotspotStatusOut, handler: async ({ c, ctx, params }) => {
      c.header('cache-control', 'public, max-age=60');
      return hotspotStatus(ctx, params.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/status/:id',
    access: 'public',
    params: idParam,
    query: z.object({ lang: z.enum(['id', 'en']).default('id') }),
    produces: 'text/html',
    summary: "A hotspot's public status page (HTML, no script): what Uptime Kuma's status pages show, for one hotspot",
    tag: 'public',
    response: htmlPage, handler: async ({ ctx, params, query }) => {
      const s = await hotspotStatus(ctx, params.id);
      return new Response(statusPageHtml(s, query.lang), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' } });
    },
  }),
];
