/**
 * Citizens' blank-spot reports: a location and a short note, sent without signing in.
 * - Rate limit: REPORTS_PER_WINDOW per client address per hour. The counter's key is a keyed hash of the address
 *   (ctx.secrets.keyedHash), kept only in the rate-limit table; the report itself stores no address, no user agent,
 *   nothing but the location, its ward, the note and the time.
 * - The location must lie inside the city (a ward, with the locator's 25 m tolerance): elsewhere it is refused (422),
 *   since a report there cannot be acted on.
 * - The note is trimmed and bounded (REPORT_NOTE_MAX characters); control characters are removed.
 */
import { AppError } from '../../../core/errors.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { findReport, insertReport, listReports, setReportTriage } from '../../db/planning.ts';
import type { BlankSpotReportsTable } from '../../db/types.ts';
import type { ReportOut, ReportTriage } from '../../../core/schemas/planning.ts';
import { inTransaction } from '../../db/tx.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { hitRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import { loadWardLocator } from '../wards/load-ward-locator.ts';
import { assertWardSelected, selectWards } from '../regions/region-filter.ts';
import { assertNamedInScope, scopeOf } from '../regions/scope.ts';

export const REPORTS_PER_WINDOW = 10;
export const REPORT_WINDOW_MS = 3_600_000;

function toReportOut(r: BlankSpotReportsTable): ReportOut {
  return {
    id: r.id, lat: Number(r.lat), lon: Number(r.lon), wardCode: r.ward_code, note: r.note, createdAt: r.created_at,
    triage: (r.triage ?? 'new') as ReportTriage, triageNote: r.triage_note ?? null, triageBy: r.triage_by ?? null, triageAt: r.triage_at ?? null,
  };
}

function cleanNote(note: string): string {
  // eslint-disable-next-line no-control-regex
  return note.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}

export async function submitBlankSpotReport(ctx: ServiceCtx, body: { lat: number; lon: number; note: string }): Promise<{ id: string; wardCode: string }> {
  const now = ctx.clock.nowMs();
  const key = `report:${await ctx.secrets.keyedHash(ctx.clientAddress, 'blank-spot-report-rate')}`;
  const { hits, windowStart } = await hitRateLimit(ctx.db, key, REPORT_WINDOW_MS, now);
  if (hits > REPORTS_PER_WINDOW) {
    const retryAfterS = Math.max(1, Math.ceil((windowStart + REPORT_WINDOW_MS - now) / 1000));
    throw new AppError('rate_limited', `at most ${REPORTS_PER_WINDOW} reports an hour from one address; try again later`, { retryAfterS });
  }
  const wardCode = (await loadWardLocator(ctx.db)).locate(body.lon, body.lat);
  if (wardCode === null) {
    throw new AppError('validation_failed', 'this place lies outside the city; reports are for places inside Cilegon', { details: [{ path: 'body.lat', message: 'outside every ward' }] });
  }
  const id = newId();
  await insertReport(ctx.db, { id, lat: body.lat, lon: body.lon, ward_code: wardCode, note: cleanNote(body.note), created_at: isoAt(now) });
  return { id, wardCode };
}

export async function listBlankSpotReports(
  ctx: ServiceCtx,
  q: { limit: number; offset: number; wardCode?: string | undefined; triage?: string | undefined; region?: string | undefined },
): Promise<{ items: ReportOut[]; total: number; limit: number; offset: number }> {
  // One region (any level) and the caller's kabupaten/kota, through the one region filter (issue 17).
  const scope = scopeOf(ctx);
  const sel = await selectWards(ctx, q.region);
  assertWardSelected(sel, q.wardCode, scope);
  const within = sel.region ?? (scope === null ? undefined : { code: scope, level: 'kota' as const });
  const { rows, total } = await listReports(ctx.db, { ...q, within });
  return {
    items: rows.map(toReportOut),
    total, limit: q.limit, offset: q.offset,
  };
}

/** Staff triage a report: seen, planned (a site is coming), resolved, or back to new; who and when are kept. */
export async function triageBlankSpotReport(ctx: ServiceCtx, id: string, body: { triage: ReportTriage; note?: string | null | undefined }): Promise<ReportOut> {
  const row = await findReport(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no report ${id}`);
  await assertNamedInScope(ctx, { wardCode: row.ward_code ?? undefined });
  const set = { triage: body.triage, triage_note: body.note ?? null, triage_by: ctx.actor?.email ?? 'system', triage_at: isoAt(ctx.clock.nowMs()) };
  await inTransaction(ctx, async (trx) => {
    await setReportTriage(trx, id, set);
    await recordAudit(ctx, trx, { action: 'triage', entity: 'report', entityId: id, detail: { triage: body.triage } });
  });
  return toReportOut({ ...row, ...set });
}
