/**
 * Satu Data (issue 15): the public DCAT catalogue and its downloads, and GET /metrics for the city's Prometheus.
 * The open data is public (no personal data in any file); /metrics needs the bearer token JANGKAU_METRICS_TOKEN.
 */
import { z } from 'zod';
import { openDataMonthQuery } from '../../core/schemas/satu-data.ts';
import { csvFile, dcatCatalogOut, featureCollection, openDataSnapshotOut, prometheusText } from '../../core/schemas/responses.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { cityDay } from '../services/kpis/city-day.ts';
import { prometheusMetrics, PROMETHEUS_CONTENT_TYPE } from '../services/metrics/prometheus.ts';
import { openDataCatalog } from '../services/open-data/catalog.ts';
import { availabilityMonthCsv, coverageCsv, hotspotsCsv, hotspotsGeoJson, kpiMonthCsv, snapshotOpenData } from '../services/open-data/datasets.ts';

const csv = (body: string, name: string): Response =>
  new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  });

export const openDataRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get', path: '/api/v1/open-data/catalog.jsonld', access: 'public', tag: 'open-data', produces: 'application/ld+json',
    summary: 'The open-data catalogue in DCAT (JSON-LD) for Satu Data / CKAN harvesters: datasets, licence, frequency, downloads',
    response: dcatCatalogOut,
    handler: async ({ c, ctx }) => {
      const doc = await openDataCatalog(ctx, { origin: new URL(c.req.url).origin, cityName: ctx.config.cityName ?? 'Kota Cilegon' });
      if (ctx.config.checkResponses === true) dcatCatalogOut.parse(doc);
      return new Response(JSON.stringify(doc), { headers: { 'content-type': 'application/ld+json; charset=utf-8', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' } });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/open-data/hotspots.geojson', access: 'public', tag: 'open-data', produces: 'application/geo+json',
    summary: 'Open data: every hotspot with its state now, network names and last seen (GeoJSON; no personal data)',
    response: featureCollection,
    handler: async ({ ctx }) => {
      const fc = await hotspotsGeoJson(ctx, new Date(ctx.clock.nowMs()).toISOString());
      if (ctx.config.checkResponses === true) featureCollection.parse(fc);
      return new Response(JSON.stringify(fc), { headers: { 'content-type': 'application/geo+json; charset=utf-8', 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' } });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/open-data/hotspots.csv', access: 'public', tag: 'open-data', produces: 'text/csv', query: openDataMonthQuery,
    summary: 'Open data: hotspots with status as CSV; ?month=YYYY-MM gives every daily snapshot kept that month',
    response: csvFile,
    handler: async ({ ctx, query }) => csv(await hotspotsCsv(ctx, query.month), `jangkau-hotspots${query.month === undefined ? '' : `-${query.month}`}.csv`),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/open-data/coverage-wards.csv', access: 'public', tag: 'open-data', produces: 'text/csv', query: openDataMonthQuery,
    summary: 'Open data: coverage per ward (layer assumed) as CSV; ?month=YYYY-MM gives every daily snapshot kept that month',
    response: csvFile,
    handler: async ({ ctx, query }) => csv(await coverageCsv(ctx, query.month), `jangkau-coverage-wards${query.month === undefined ? '' : `-${query.month}`}.csv`),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/open-data/kpis-monthly.csv', access: 'public', tag: 'open-data', produces: 'text/csv', query: openDataMonthQuery,
    summary: 'Open data: KPIs of a month (default this month) from the daily snapshots, per ward, provider, programme and city',
    response: csvFile,
    handler: async ({ ctx, query }) => {
      const month = query.month ?? cityDay(ctx.clock.nowMs()).slice(0, 7);
      return csv(await kpiMonthCsv(ctx, month), `jangkau-kpis-${month}.csv`);
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/open-data/availability-daily.csv', access: 'public', tag: 'open-data', produces: 'text/csv', query: openDataMonthQuery,
    summary: 'Open data: availability per hotspot per day of a month (default this month); a day without observation is no-data',
    response: csvFile,
    handler: async ({ ctx, query }) => {
      const month = query.month ?? cityDay(ctx.clock.nowMs()).slice(0, 7);
      return csv(await availabilityMonthCsv(ctx, month), `jangkau-availability-${month}.csv`);
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/open-data/snapshots', scope: 'province', access: ['admin'], tag: 'open-data', status: 201,
    summary: "Keep today's open-data snapshot now (the server also keeps one daily); again the same day replaces it",
    body: { kind: 'json', schema: z.object({}).strict() },
    response: openDataSnapshotOut, handler: async ({ ctx }) => snapshotOpenData(ctx),
  }),
  defineRoute({
    method: 'get', path: '/metrics', scope: 'province', access: { token: 'metrics' }, tag: 'system', produces: 'text/plain',
    summary: 'Prometheus metrics (devices by state, polls, poll errors by kind, ingest lag, sign-ins, KPI values); Authorization: Bearer JANGKAU_METRICS_TOKEN',
    response: prometheusText,
    handler: async ({ ctx }) => new Response(await prometheusMetrics(ctx), { headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' } }),
  }),
];
