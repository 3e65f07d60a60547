import { coverageQuery, gapsQuery, whatIfBody } from '../../core/schemas/coverage.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { coverageGeoJson, rankedGaps, wardCoverage, whatIf } from '../services/coverage/coverage-views.ts';
import { featureCollection, gapsOut, wardCoverageOut, whatIfOut } from '../../core/schemas/responses.ts';

export const coverageRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/coverage/wards',
    access: 'staff',
    summary: 'Per ward: covered area and residents, live access points, access points per 1,000 residents, for a layer',
    tag: 'coverage',
    query: coverageQuery,
    response: wardCoverageOut, handler: async ({ ctx, query }) => wardCoverage(ctx, query.layer),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/coverage',
    access: 'staff',
    summary: 'Footprints of a layer and their union, as GeoJSON',
    tag: 'coverage',
    query: coverageQuery,
    produces: 'application/geo+json',
    response: featureCollection, handler: async ({ ctx, query }) => coverageGeoJson(ctx, query.layer),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/gaps',
    access: 'staff',
    summary: 'Uncovered areas ranked by the residents living there, with shapes, areas and centroids',
    tag: 'coverage',
    query: gapsQuery,
    response: gapsOut, handler: async ({ ctx, query }) => rankedGaps(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/coverage/what-if',
    access: ['admin', 'planner', 'engineer'],
    summary: 'Add, move or remove hypothetical access points and get the per-ward change; nothing is saved',
    tag: 'coverage',
    body: { kind: 'json', schema: whatIfBody },
    response: whatIfOut, handler: async ({ ctx, body }) => whatIf(ctx, body),
  }),
];
