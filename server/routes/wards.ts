import { residentsImportQuery, wardCodeParam, wardImportQuery, wardListQuery, type WardOut } from '../../core/schemas/wards.ts';
import { AppError } from '../../core/errors.ts';
import { WARD_FILE_MAX_BYTES } from '../../geo/wards/index.ts';
import { findWard, listAllWards, listWardSummaries, type WardSummaryRow } from '../db/wards.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { scopeOf } from '../services/regions/scope.ts';
import { importResidents } from '../services/wards/import-residents.ts';
import { importWards } from '../services/wards/import-wards.ts';
import { deleteWard } from '../services/wards/delete-ward.ts';
import { z } from 'zod';
import { featureCollection, residentsImportResult, wardDetailOut, wardImportResult, wardPageOut } from '../../core/schemas/responses.ts';

function toWardOut(r: WardSummaryRow): WardOut {
  return {
    code: r.code,
    name: r.name,
    district: r.district,
    areaM2: r.area_m2,
    population: r.population,
    populationSource: (r.population_source as WardOut['populationSource']) ?? null,
    districtCode: r.district_code ?? null,
    cityCode: r.city_code ?? null,
    updatedAt: r.updated_at,
  };
}

export const wardRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/wards',
    access: 'staff',
    scope: 'filtered',
    summary: 'Wards (kelurahan) with area and residents',
    tag: 'wards',
    query: wardListQuery,
    response: wardPageOut, handler: async ({ ctx, query }) => {
      const scope = scopeOf(ctx);
      const { rows, total } = await listWardSummaries(ctx.db, scope === null ? query : { ...query, cityCode: scope });
      return { items: rows.map(toWardOut), total, limit: query.limit, offset: query.offset };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/wards/:code',
    access: 'staff',
    scope: { ward: 'code' },
    summary: 'One ward with its geometry',
    tag: 'wards',
    params: wardCodeParam,
    response: wardDetailOut, handler: async ({ ctx, params }) => {
      const r = await findWard(ctx.db, params.code);
      if (r === undefined) throw new AppError('not_found', `no ward ${params.code}`);
      return { ...toWardOut(r), bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat], geometry: JSON.parse(r.geometry) as unknown };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/wards/:code',
    access: ['admin'],
    scope: { ward: 'code' },
    summary: 'Delete a ward (refused while sites lie in it, unless force=true; audited)',
    description:
      'Without force, a ward that still holds sites answers 409 with reason ward.notEmpty and the counts. With force=true the ward is deleted and its sites are placed again by the remaining wards (nearest within 25 m, else outside the city).',
    tag: 'wards',
    params: wardCodeParam,
    query: z.object({ force: z.enum(['true', 'false']).optional() }),
    response: z.object({ code: z.string(), sites: z.number().int(), devices: z.number().int() }),
    handler: async ({ ctx, params, query }) => deleteWard(ctx, params.code, { force: query.force === 'true' }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/public/wards.geojson',
    reads: 'replica',
    access: 'public',
    summary: 'Ward outlines for the public map (no personal data)',
    tag: 'public',
    produces: 'application/geo+json',
    response: featureCollection, handler: async ({ c, ctx }) => {
      const rows = await listAllWards(ctx.db);
      c.header('cache-control', 'public, max-age=300');
      return {
        type: 'FeatureCollection',
        features: rows.map((r) => ({
          type: 'Feature',
          properties: { code: r.code, name: r.name, district: r.district, areaM2: r.area_m2, population: r.population },
          geometry: JSON.parse(r.geometry) as unknown,
        })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/wards/import',
    scope: 'province',
    access: ['admin', 'planner'],
    summary: 'Import or update wards from a GeoJSON FeatureCollection (all or nothing; faults named per feature; repair=true repairs self-crossing rings within a tolerance and lists each repair)',
    tag: 'wards',
    query: wardImportQuery,
    body: { kind: 'text', mediaTypes: ['application/geo+json', 'application/json'], maxBytes: WARD_FILE_MAX_BYTES },
    response: wardImportResult, handler: async ({ ctx, query, body }) => importWards(ctx, body, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/wards/residents',
    scope: 'province',
    access: ['admin', 'planner'],
    summary: 'Residents per ward or per district from a CSV (districts spread over wards by area, marked as an estimate)',
    tag: 'wards',
    query: residentsImportQuery,
    body: { kind: 'text', mediaTypes: ['text/csv'], maxBytes: 5 * 1024 * 1024 },
    response: residentsImportResult, handler: async ({ ctx, query, body }) => importResidents(ctx, body, query),
  }),
];
