import { coverageLayerHelp } from '../../core/coverage-layers.ts';
import { coverageMapQuery, coverageQuery, gapsQuery, whatIfBody } from '../../core/schemas/coverage.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { coverageMap } from '../services/coverage/coverage-map.ts';
import { rankedGaps, wardCoverage, whatIf } from '../services/coverage/coverage-views.ts';
import { featureCollection, gapsOut, wardCoverageOut, whatIfOut } from '../../core/schemas/responses.ts';

export const coverageRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/coverage/wards',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Per ward: covered area and residents, access points (live, never polled, down), access points per 1,000 residents, for a layer',
    description: `${coverageLayerHelp()} The answer names the layer and counts the access points behind it (devices: total, counted, unverified, down).`,
    tag: 'coverage',
    query: coverageQuery,
    response: wardCoverageOut, handler: async ({ ctx, query }) => wardCoverage(ctx, query.layer),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/coverage',
    scope: 'province',
    reads: 'replica',
    access: 'staff',
    summary: 'The map layer: the covered area of a layer (traced from the grid, simplified for a zoom) and its footprints, as GeoJSON; cached and gzipped',
    description: coverageLayerHelp(),
    tag: 'coverage',
    query: coverageMapQuery,
    produces: 'application/geo+json',
    response: featureCollection,
    handler: async ({ c, ctx, query }) => {
      const body = await coverageMap(ctx, query);
      const headers: Record<string, string> = {
        'content-type': 'application/geo+json; charset=utf-8',
        etag: body.etag,
        'cache-control': 'private, no-cache',
        vary: 'accept-encoding',
      };
      if (c.req.header('if-none-match') === body.etag) return new Response(null, { status: 304, headers });
      if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
        return new Response(body.gzip as unknown as BodyInit, { status: 200, headers: { ...headers, 'content-encoding': 'gzip' } });
      }
      return new Response(body.json, { status: 200, headers });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/gaps',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Uncovered areas ranked by the residents living there (by area at the city\'s mean density where a ward has no residents figure), with shapes, areas and centroids; in one ward or one region (any level); staff limited to one kabupaten/kota get its gaps only',
    description: coverageLayerHelp(),
    tag: 'coverage',
    query: gapsQuery,
    response: gapsOut, handler: async ({ ctx, query }) => rankedGaps(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/coverage/what-if',
    scope: 'province',
    access: ['admin', 'planner', 'engineer'],
    summary: 'Add, move or remove hypothetical access points and get the per-ward change; nothing is saved',
    description: coverageLayerHelp(),
    tag: 'coverage',
    body: { kind: 'json', schema: whatIfBody },
    response: whatIfOut, handler: async ({ ctx, body }) => whatIf(ctx, body),
  }),
];
