/** Issue 5: candidates, plans, rollout, KPIs, blank-spot reports, public summary. */
import { z } from 'zod';
import { idParam, pageQuery } from '../../core/schemas/common.ts';
import {
  candidateListQuery, compareQuery, generateCandidatesBody, kpiHistoryQuery, kpiThresholdsBody, planBody, reportBody, reportListQuery,
  rolloutAdvanceBody, rolloutCreateBody, rolloutFromPlanBody, rolloutListQuery, rolloutPatchBody, reportOut, reportTriageBody,
} from '../../core/schemas/planning.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { kpiHistory, kpiThresholds, setKpiThresholds } from '../services/kpis/thresholds.ts';
import { programmeKpis, providerKpis, wardKpis, wardKpisCsv } from '../services/kpis/ward-kpis.ts';
import { publicSummary } from '../services/kpis/public-summary.ts';
import { snapshotKpis } from '../services/kpis/snapshot.ts';
import { wardKpisWideCsv, wardKpisXlsx } from '../services/kpis/kpi-export.ts';
import { XLSX_MEDIA_TYPE } from '../services/exports/xlsx.ts';
import { kpiCsvQuery, kpiExportQuery } from '../../core/schemas/satu-data.ts';
import { xlsxFile } from '../../core/schemas/responses.ts';
import { generateGapCandidates, importCandidates, listCandidatePage, removeCandidate } from '../services/planning/candidates.ts';
import { comparePlans, createPlan, getPlan, listPlanPage } from '../services/planning/plans.ts';
import { planCsv, planFileName, planGeoJson } from '../services/planning/plan-export.ts';
import { advanceRollout, createRolloutItem, getRolloutItem, listRollout, patchRolloutItem, rolloutByWard, rolloutFromPlan } from '../services/planning/rollout.ts';
import { listBlankSpotReports, submitBlankSpotReport, triageBlankSpotReport } from '../services/reports/blank-spot-reports.ts';
import { candidatePageOut, candidatesGeneratedOut, candidatesImportedOut, csvFile, featureCollection, kpiHistoryOut, okOut, planCompareOut, planOut, planPageOut, programmeKpisOut, providerKpisOut, publicSummaryOut, reportCreatedOut, rolloutFromPlanOut, rolloutItemOut, rolloutPageOut, rolloutWardsOut, snapshotOut, thresholdsOut, wardKpisOut } from '../../core/schemas/responses.ts';

const PLANNERS = ['admin', 'planner'] as const;
const CANDIDATE_FILE = { kind: 'text', mediaTypes: ['text/csv', 'application/geo+json', 'application/json'], maxBytes: 5 * 1024 * 1024 } as const;

export const planningRoutes: AnyRoute[] = [
  // --- candidates
  defineRoute({
    method: 'get', path: '/api/v1/candidates', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'Candidate sites for new access points (imported, and generated inside gaps)',
    query: candidateListQuery,
    response: candidatePageOut, handler: async ({ ctx, query }) => listCandidatePage(ctx, query),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/candidates/import', scope: 'province', access: PLANNERS, tag: 'planning', status: 201,
    summary: 'Import candidates from CSV (name, lat, lon, kind, cost, feasible) or GeoJSON points; all or nothing, faults per row',
    body: CANDIDATE_FILE,
    response: candidatesImportedOut, handler: async ({ ctx, body }) => importCandidates(ctx, body),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/candidates/generate', scope: 'province', access: PLANNERS, tag: 'planning', status: 201,
    summary: 'Replace the generated candidates with points inside the current gaps (centroids and a grid)',
    body: { kind: 'json', schema: generateCandidatesBody },
    response: candidatesGeneratedOut, handler: async ({ ctx, body }) => generateGapCandidates(ctx, body),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/candidates/:id', scope: 'province', access: PLANNERS, tag: 'planning',
    summary: 'Remove a candidate', params: idParam,
    response: okOut, handler: async ({ ctx, params }) => {
      await removeCandidate(ctx, params.id);
      return { ok: true };
    },
  }),
  // --- plans (compare before :id)
  defineRoute({
    method: 'get', path: '/api/v1/plans', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'Saved plans, newest first', query: pageQuery,
    response: planPageOut, handler: async ({ ctx, query }) => listPlanPage(ctx, query),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/plans', scope: 'province', access: PLANNERS, tag: 'planning', status: 201,
    summary: 'Plan new sites: most newly covered residents within a budget (count or cost), optional per-ward minimums; saved',
    body: { kind: 'json', schema: planBody },
    response: planOut, handler: async ({ ctx, body }) => createPlan(ctx, body),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/plans/compare', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'Compare two saved plans (residents, cost, common and different sites, curves)', query: compareQuery,
    response: planCompareOut, handler: async ({ ctx, query }) => comparePlans(ctx, query.a, query.b),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/plans/:id', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'One saved plan', params: idParam,
    response: planOut, handler: async ({ ctx, params }) => getPlan(ctx, params.id),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/plans/:id/sites.csv', scope: 'province', access: 'staff', tag: 'planning', produces: 'text/csv',
    summary: "A saved plan's sites as CSV, in the planner's order", params: idParam, response: z.string(),
    handler: async ({ ctx, params }) => {
      const { plan, text } = await planCsv(ctx, params.id);
      return new Response(text, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${planFileName(plan, 'csv')}"` } });
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/plans/:id/sites.geojson', scope: 'province', access: 'staff', tag: 'planning', produces: 'application/geo+json',
    summary: "A saved plan's sites as GeoJSON points (for QGIS and other GIS tools)", params: idParam,
    response: featureCollection, handler: async ({ ctx, params }) => {
      const { plan, collection } = await planGeoJson(ctx, params.id);
      return new Response(JSON.stringify(collection), { headers: { 'content-type': 'application/geo+json; charset=utf-8', 'content-disposition': `attachment; filename="${planFileName(plan, 'geojson')}"` } });
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/plans/:id/rollout', scope: 'province', access: PLANNERS, tag: 'planning', status: 201,
    summary: 'Turn a plan into proposed rollout items (sites already in the pipeline are skipped)', params: idParam,
    body: { kind: 'json', schema: rolloutFromPlanBody },
    response: rolloutFromPlanOut, handler: async ({ ctx, params, body }) => rolloutFromPlan(ctx, params.id, body),
  }),
  // --- rollout
  defineRoute({
    method: 'get', path: '/api/v1/rollout', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'Rollout items (filter by ward, status, programme, overdue)', query: rolloutListQuery,
    response: rolloutPageOut, handler: async ({ ctx, query }) => listRollout(ctx, query),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/rollout/wards', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'Rollout per ward: items in each step, overdue, budget',
    response: rolloutWardsOut, handler: async ({ ctx }) => rolloutByWard(ctx),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/rollout', scope: 'province', access: PLANNERS, tag: 'planning', status: 201,
    summary: 'Propose one site for the rollout',
    body: { kind: 'json', schema: rolloutCreateBody },
    response: rolloutItemOut, handler: async ({ ctx, body }) => createRolloutItem(ctx, body),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/rollout/:id', scope: 'province', access: 'staff', tag: 'planning',
    summary: 'One rollout item', params: idParam,
    response: rolloutItemOut, handler: async ({ ctx, params }) => getRolloutItem(ctx, params.id),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/rollout/:id', scope: 'province', access: ['admin', 'planner', 'engineer'], tag: 'planning',
    summary: 'Change department, provider, budget, due dates or notes of a rollout item', params: idParam,
    body: { kind: 'json', schema: rolloutPatchBody },
    response: rolloutItemOut, handler: async ({ ctx, params, body }) => patchRolloutItem(ctx, params.id, body),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/rollout/:id/advance', scope: 'province', access: ['admin', 'planner', 'engineer'], tag: 'planning',
    summary: 'Move a rollout item one step (approved, installing, live with its device, or dropped); illegal moves answer 409', params: idParam,
    body: { kind: 'json', schema: rolloutAdvanceBody },
    response: rolloutItemOut, handler: async ({ ctx, params, body }) => advanceRollout(ctx, params.id, body),
  }),
  // --- KPIs
  defineRoute({
    method: 'get', path: '/api/v1/kpis/wards', scope: 'province', reads: 'replica', access: 'staff', tag: 'kpis',
    summary: 'Per ward: every programme KPI with value, target and a green/orange/red status',
    response: wardKpisOut, handler: async ({ ctx }) => wardKpis(ctx),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/wards.csv', scope: 'province', access: 'staff', tag: 'kpis', produces: 'text/csv', query: kpiCsvQuery,
    summary: 'Per-ward KPIs as CSV: layout=long (default; one row per ward and KPI) or layout=wide (one row per ward, one column per KPI, labels in lang=id|en, like the XLSX)',
    response: csvFile, handler: async ({ ctx, query }) => new Response(query.layout === 'wide' ? await wardKpisWideCsv(ctx, query.lang) : await wardKpisCsv(ctx), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="jangkau-kpi-kelurahan.csv"' },
    }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/wards.xlsx', scope: 'province', access: 'staff', tag: 'kpis', produces: XLSX_MEDIA_TYPE, query: kpiExportQuery,
    summary: 'Per-ward KPIs as an XLSX workbook: one row per ward, one column per KPI, labels in lang=id|en, numbers as numbers, no data said with its reason',
    response: xlsxFile, handler: async ({ ctx, query }) => new Response(await wardKpisXlsx(ctx, query.lang), {
      headers: { 'content-type': XLSX_MEDIA_TYPE, 'content-disposition': `attachment; filename="jangkau-kpi-kelurahan-${query.lang}.xlsx"` },
    }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/providers', scope: 'province', reads: 'replica', access: 'staff', tag: 'kpis',
    summary: 'Per provider: availability, incidents, time to restore, with status',
    response: providerKpisOut, handler: async ({ ctx }) => providerKpis(ctx),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/programmes', scope: 'province', reads: 'replica', access: 'staff', tag: 'kpis',
    summary: 'Per programme: progress against schedule, budget used, with status',
    response: programmeKpisOut, handler: async ({ ctx }) => programmeKpis(ctx),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/thresholds', scope: 'global', access: 'staff', tag: 'kpis',
    summary: 'Green/orange/red thresholds of every KPI (stored ones over the defaults)',
    response: thresholdsOut, handler: async ({ ctx }) => kpiThresholds(ctx),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/kpis/thresholds', scope: 'province', access: ['admin', 'planner'], tag: 'kpis',
    summary: 'Set thresholds of some KPIs { key: { green, red } }; the wrong order (e.g. red above green where higher is better) is refused',
    body: { kind: 'json', schema: kpiThresholdsBody },
    response: thresholdsOut, handler: async ({ ctx, body }) => setKpiThresholds(ctx, body),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/kpis/snapshots', scope: 'province', access: ['admin', 'planner'], tag: 'kpis', status: 201,
    summary: "Take today's KPI snapshot now (the server also takes one daily)",
    body: { kind: 'json', schema: z.object({}).strict() },
    response: snapshotOut, handler: async ({ ctx }) => snapshotKpis(ctx),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/history', scope: 'province', reads: 'replica', access: 'staff', tag: 'kpis',
    summary: 'Daily values of one KPI for a ward, provider, programme or the city, for trends', query: kpiHistoryQuery,
    response: kpiHistoryOut, handler: async ({ ctx, query }) => kpiHistory(ctx, query),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/public/summary', reads: 'replica', access: 'public', tag: 'public',
    summary: 'Public programme summary: points live, availability today, residents covered, per-ward status; no personal data',
    response: publicSummaryOut, handler: async ({ ctx }) => publicSummary(ctx),
  }),
  // --- blank-spot reports
  defineRoute({
    method: 'post', path: '/api/v1/reports', access: 'public', tag: 'reports', status: 201, csrf: 'none',
    summary: 'Report a place without Wi-Fi (location + short note); rate-limited per address; no personal data kept',
    body: { kind: 'json', schema: reportBody, maxBytes: 4096 },
    response: reportCreatedOut, handler: async ({ ctx, body }) => submitBlankSpotReport(ctx, body),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/reports', reads: 'replica', access: 'staff', scope: 'filtered', tag: 'reports',
    summary: "Citizens' blank-spot reports, newest first (filter by ward, region of any level and triage status); staff limited to one kabupaten/kota get theirs only", query: reportListQuery,
    response: z.object({ items: z.array(reportOut), total: z.number(), limit: z.number(), offset: z.number() }),
    handler: async ({ ctx, query }) => listBlankSpotReports(ctx, query),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/reports/:id', access: PLANNERS, scope: 'filtered', tag: 'reports',
    summary: "Triage a citizen's report: new, seen, planned or resolved, with a note", params: idParam,
    body: { kind: 'json', schema: reportTriageBody, maxBytes: 8 * 1024 },
    response: reportOut,
    handler: async ({ ctx, params, body }) => triageBlankSpotReport(ctx, params.id, body),
  }),
];
