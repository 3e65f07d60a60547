import { coverageLayerHelp } from '../../core/coverage-layers.ts';
import { regionCoverageOut, regionCoverageQuery, regionKpisOut, regionKpisQuery, regionListQuery, regionPageOut } from '../../core/schemas/regions.ts';
import { regionKpis } from '../services/regions/region-kpis.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { listRegionPage } from '../services/regions/list-regions.ts';
import { regionCoverage } from '../services/regions/region-coverage.ts';

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
];
