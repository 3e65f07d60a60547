/** The KPI programme (issue 15): definitions, targets, thresholds with their history, owners, trends, PIC notes. */
import { z } from 'zod';
import { kpiProgrammeBody, kpiNoteBody, monthString } from '../../core/schemas/satu-data.ts';
import { kpiNoteOut, kpiNotesOut, kpiProgrammeChangesOut, kpiProgrammeItemOut, kpiProgrammeOut, districtKpisOut } from '../../core/schemas/responses.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { kpiNotes, kpiProgramme, kpiProgrammeChanges, setKpiNote, setKpiProgramme } from '../services/kpis/programme.ts';
import { districtKpis } from '../services/kpis/district-kpis.ts';

const keyParam = z.object({ key: z.string().min(1).max(64) });

export const kpiProgrammeRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get', path: '/api/v1/kpis/programme', scope: 'province', access: 'staff', tag: 'kpis',
    summary: 'Every KPI with its definition (id/en), unit, target, thresholds, owning department, PIC and contact, and its trend (or why there is none)',
    response: kpiProgrammeOut, handler: async ({ ctx }) => kpiProgramme(ctx),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/kpis/programme/:key', scope: 'province', access: ['admin'], tag: 'kpis', params: keyParam,
    summary: "Change a KPI's definition, target, thresholds, department or PIC (admin); every change is kept with who and when",
    body: { kind: 'json', schema: kpiProgrammeBody, maxBytes: 16 * 1024 },
    response: kpiProgrammeItemOut, handler: async ({ ctx, params, body }) => setKpiProgramme(ctx, params.key, body),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/programme/:key/changes', scope: 'province', access: 'staff', tag: 'kpis', params: keyParam,
    summary: "The history of a KPI's programme entry: each change with who, when, and every field before and after",
    response: kpiProgrammeChangesOut, handler: async ({ ctx, params }) => kpiProgrammeChanges(ctx, params.key),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/notes', scope: 'province', access: 'staff', tag: 'kpis', query: z.object({ month: monthString }),
    summary: "The PICs' notes per KPI for a month (printed in the monthly report)",
    response: kpiNotesOut, handler: async ({ ctx, query }) => kpiNotes(ctx, query.month),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/kpis/programme/:key/notes/:month', scope: 'province', access: 'staff', tag: 'kpis', params: keyParam.extend({ month: monthString }),
    summary: "A PIC's note on a KPI for a month (any staff member: a department's contact person is a viewer)",
    body: { kind: 'json', schema: kpiNoteBody, maxBytes: 8 * 1024 },
    response: kpiNoteOut, handler: async ({ ctx, params, body }) => setKpiNote(ctx, params.key, params.month, body.note),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/kpis/districts', scope: 'province', access: 'staff', tag: 'kpis',
    summary: 'Per kecamatan: wards, live points, residents, residents covered (live) with status, availability over 7 days',
    response: districtKpisOut, handler: async ({ ctx }) => districtKpis(ctx),
  }),
];
