/**
 * Makes the monthly report's PDF from its model. Injected (AppDeps.pdf) like the mailer: the Node entry gives the
 * pdfkit renderer (pdf/monthly-pdf-node.ts); a runtime without one (Workers: pdfkit reads its font metrics from
 * files) answers 503 "unavailable", and the Node server or a scheduled Node job makes the month's file instead.
 */
import type { MonthlyReportModel } from '../services/monthly-report/report-model.ts';

export interface PdfMaker {
  monthlyReport(model: MonthlyReportModel): Promise<Uint8Array<ArrayBuffer>>;
}
