import { coverageLayerHelp } from '../../core/coverage-layers.ts';
import {
  regionAvailabilityOut, regionAvailabilityQuery, regionCoverageOut, regionCoverageQuery, regionGapsOut, regionGapsQuery, regionKpisOut, regionKpisQuery, regionListQuery, regionPageOut,
  regionReportsOut, regionReportsQuery,
} from '../../core/schemas/regions.ts';
import { regionKpis } from '../services/regions/region-kpis.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { listRegionPage } from '../services/regions/list-regions.ts';
import { regionCoverage } from '../services/regions/region-coverage.ts';
import { regionAvailability, regionGaps, regionReports } from '../services/regions/region-views.ts';

const DAY_MS = 86_400_000;

/** Regions above the ward (issue 17): province -> kabupaten/kota -> kecamatan -> desa/kelurahan. */
export const regionRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/regions',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Regions above the ward (provinsi, kota for kabupaten/kota, kecamatan) with their parent and ward count; staff limited to one kabupaten/kota see theirs',
    tag: 'regions',
    query: regionListQuery,
    response: regionPageOut,
    handler: async ({ ctx, query }) => listRegionPage(ctx, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/coverage/regions',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Coverage per region at one level (provinsi, kota, kecamatan, desa): area, covered area, residents covered, access points; the ward figures summed',
    description: `${coverageLayerHelp()} Residents are summed only where every ward inside has a figure; otherwise null with residentsReason. Staff limited to one kabupaten/kota get its regions only, and 403 for the province level.`,
    tag: 'regions',
    query: regionCoverageQuery,
    response: regionCoverageOut,
    handler: async ({ ctx, query }) => regionCoverage(ctx, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/kpis/regions',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Programme KPIs per region at one level (provinsi, kota, kecamatan, desa): the ward KPIs over all its wards, with traffic lights and no-data reasons',
    tag: 'regions',
    query: regionKpisQuery,
    response: regionKpisOut,
    handler: async ({ ctx, query }) => regionKpis(ctx, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/gaps/regions',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Coverage gaps per region at one level (provinsi, kota, kecamatan, desa): how many, uncovered and sliver area, residents in them, the largest',
    description: `${coverageLayerHelp()} Residents in gaps are null with residentsReason where a ward with gaps has no residents figure. Staff limited to one kabupaten/kota get its regions only, and 403 for the province level.`,
    tag: 'regions',
    query: regionGapsQuery,
    response: regionGapsOut,
    handler: async ({ ctx, query }) => regionGaps(ctx, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/availability/regions',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: 'Availability % per region at one level over [from, to) (default: last 24 h): devices, observed time, incidents, MTTR; null with a reason where nothing was observed',
    tag: 'regions',
    query: regionAvailabilityQuery,
    response: regionAvailabilityOut,
    handler: async ({ ctx, query }) => {
      const toMs = query.to === undefined ? ctx.clock.nowMs() : Date.parse(query.to);
      const fromMs = query.from === undefined ? toMs - DAY_MS : Date.parse(query.from);
      return regionAvailability(ctx, { level: query.level, parent: query.parent, fromMs, toMs });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/reports/regions',
    reads: 'replica',
    access: 'staff',
    scope: 'filtered',
    summary: "Citizens' blank-spot reports counted per region at one level, by triage state (new, seen, planned, resolved)",
    tag: 'regions',
    query: regionReportsQuery,
    response: regionReportsOut,
    handler: async ({ ctx, query }) => regionReports(ctx, query),
  }),
];
