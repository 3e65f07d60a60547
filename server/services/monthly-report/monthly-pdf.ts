/**
 * The monthly report as a file: made on demand (GET /api/v1/reports/monthly.pdf?month=YYYY-MM), and made once on
 * the first day of each month for the month that just ended and kept (monthly_reports), so the file the mayor got
 * on the 1st can be fetched again unchanged. A month under way is always made fresh and never kept.
 */
import { AppError } from '../../../core/errors.ts';
import { isoAt } from '../../../core/time.ts';
import { findMonthlyReport, upsertMonthlyReport } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';
import { cityDay } from '../kpis/city-day.ts';
import { buildMonthlyReport, monthRangeMs } from './report-model.ts';

function b64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export async function monthlyReportPdf(ctx: ServiceCtx, month: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; stored: boolean; generatedAt: string }> {
  const kept = await findMonthlyReport(ctx.db, month);
  if (kept !== undefined) return { bytes: unb64(kept.pdf_base64), stored: true, generatedAt: kept.generated_at };
  return makeAndMaybeKeep(ctx, month);
}

async function makeAndMaybeKeep(ctx: ServiceCtx, month: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; stored: boolean; generatedAt: string }> {
  if (ctx.pdf === undefined || ctx.pdf === null) {
    throw new AppError('unavailable', 'this runtime cannot draw PDFs (Workers); the Node server (npm start) makes the monthly report', { reason: 'report.pdf-unavailable' });
  }
  const model = await buildMonthlyReport(ctx, month);
  const bytes = await ctx.pdf.monthlyReport(model);
  const over = monthRangeMs(month).toMs <= ctx.clock.nowMs();
  if (over) await upsertMonthlyReport(ctx.db, { month, generated_at: model.generatedAt, bytes: bytes.length, pdf_base64: b64(bytes) });
  return { bytes, stored: over, generatedAt: model.generatedAt };
}

/** The month before the city's current one (YYYY-MM). */
export function previousMonth(nowMs: number): string {
  const [y, m] = cityDay(nowMs).split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 2, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * Run hourly (Node) or by cron (Workers with a PDF maker): from the first day of a month on, makes and keeps the
 * previous month's report if it is not kept yet. Returns the month made, or null.
 */
export async function makeDueMonthlyReport(ctx: ServiceCtx): Promise<string | null> {
  if (ctx.pdf === undefined || ctx.pdf === null) return null;
  const month = previousMonth(ctx.clock.nowMs());
  if ((await findMonthlyReport(ctx.db, month)) !== undefined) return null;
  await makeAndMaybeKeep(ctx, month);
  ctx.log.info('monthly report made', { month, at: isoAt(ctx.clock.nowMs()) });
  return month;
}
