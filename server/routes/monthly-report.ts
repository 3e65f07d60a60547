/** The mayor's monthly report (issue 15): the PDF of a month, on demand; kept once the month is over. */
import { monthlyReportQuery } from '../../core/schemas/satu-data.ts';
import { pdfFile } from '../../core/schemas/responses.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { monthlyReportPdf } from '../services/monthly-report/monthly-pdf.ts';

export const monthlyReportRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get', path: '/api/v1/reports/monthly.pdf', scope: 'province', access: 'staff', tag: 'reports', produces: 'application/pdf', query: monthlyReportQuery,
    summary: "The mayor's monthly report as PDF (?month=YYYY-MM): bilingual cover, city summary with traffic lights, ward map by coverage, per-kecamatan and per-ward tables, providers, incidents, rollout, citizens' reports, PIC notes",
    response: pdfFile,
    handler: async ({ ctx, query }) => {
      const r = await monthlyReportPdf(ctx, query.month);
      return new Response(r.bytes, {
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `inline; filename="jangkau-laporan-${query.month}.pdf"`,
          'x-jangkau-generated-at': r.generatedAt,
          'cache-control': r.stored ? 'private, max-age=3600' : 'no-store',
        },
      });
    },
  }),
];
