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
import { insertReport, listReports } from '../../db/planning.ts';
import { hitRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import { loadWardLocator } from '../wards/load-ward-locator.ts';

export const REPORTS_PER_WINDOW = 10;
export const REPORT_WINDOW_MS = 3_600_000;

export interface ReportOut {
  id: string;
  lat: number;
  lon: number;
  wardCode: string | null;
  note: string;
  createdAt: string;
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
  q: { limit: number; offset: number; wardCode?: string | undefined },
): Promise<{ items: ReportOut[]; total: number; limit: number; offset: number }> {
  const { rows, total } = await listReports(ctx.db, q);
  return {
    items: rows.map((r) => ({ id: r.id, lat: Number(r.lat), lon: Number(r.lon), wardCode: r.ward_code, note: r.note, createdAt: r.created_at })),
    total, limit: q.limit, offset: q.offset,
  };
}
