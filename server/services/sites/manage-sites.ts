import { AppError } from '../../../core/errors.ts';
import { siteBody, type SiteBody, type SiteOut } from '../../../core/schemas/inventory.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { deleteSite, findSite, insertSite, insertSites, listSites, updateSite, type SiteRow } from '../../db/sites.ts';
import { inTransaction } from '../../db/tx.ts';
import { assertWardInScope, scopeOf } from '../regions/scope.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { parseCsvWithColumns, rejectInvalidRows, rowErrorsOf, type RowError } from '../csv-import.ts';
import { loadWardLocator } from '../wards/load-ward-locator.ts';
import { siteColumns, toSiteOut } from './site-rules.ts';

function newSiteRow(b: SiteBody, wardCode: string | null, now: string): SiteRow {
  return {
    id: newId(),
    name: b.name,
    lat: b.lat,
    lon: b.lon,
    ward_code: wardCode,
    outside_city: wardCode === null ? 1 : 0,
    status: b.status,
    provider: null,
    contracted_mbps: null,
    address: null,
    planned_at: null,
    live_at: null,
    notes: null,
    created_at: now,
    updated_at: now,
    ...siteColumns(b),
  } as SiteRow;
}

/** A site outside every ward is stored with `outsideCity: true`, never dropped. */
export async function createSite(ctx: ServiceCtx, body: SiteBody): Promise<SiteOut> {
  const locator = await loadWardLocator(ctx.db);
  const row = newSiteRow(body, locator.locate(body.lon, body.lat), isoAt(ctx.clock.nowMs()));
  await assertWardInScope(ctx, row.ward_code);
  await inTransaction(ctx, async (trx) => {
    await insertSite(trx, row);
    await recordAudit(ctx, trx, { action: 'create', entity: 'site', entityId: row.id, detail: { name: row.name, wardCode: row.ward_code } });
  });
  return toSiteOut(row);
}

export async function getSite(ctx: ServiceCtx, id: string): Promise<SiteOut> {
  const row = await findSite(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no site ${id}`);
  return toSiteOut(row);
}

export async function patchSite(ctx: ServiceCtx, id: string, patch: Partial<SiteBody>): Promise<SiteOut> {
  const row = await findSite(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no site ${id}`);
  const set = { ...siteColumns(patch), updated_at: isoAt(ctx.clock.nowMs()) };
  if (patch.lat !== undefined || patch.lon !== undefined) {
    const code = (await loadWardLocator(ctx.db)).locate(patch.lon ?? row.lon, patch.lat ?? row.lat);
    await assertWardInScope(ctx, code);
    set.ward_code = code;
    set.outside_city = code === null ? 1 : 0;
  }
  await inTransaction(ctx, async (trx) => {
    await updateSite(trx, id, set);
    await recordAudit(ctx, trx, { action: 'update', entity: 'site', entityId: id, detail: { changed: Object.keys(patch) } });
  });
  return toSiteOut({ ...row, ...set });
}

export async function removeSite(ctx: ServiceCtx, id: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    if ((await deleteSite(trx, id)) === 0) throw new AppError('not_found', `no site ${id}`);
    await recordAudit(ctx, trx, { action: 'delete', entity: 'site', entityId: id });
  });
}

export async function listSitePage(
  ctx: ServiceCtx,
  q: { limit: number; offset: number; wardCode?: string | undefined; status?: string | undefined; q?: string | undefined },
): Promise<{ items: SiteOut[]; total: number; limit: number; offset: number }> {
  const scope = scopeOf(ctx);
  const { rows, total } = await listSites(ctx.db, scope === null ? q : { ...q, cityCode: scope });
  return { items: rows.map(toSiteOut), total, limit: q.limit, offset: q.offset };
}

const NUMERIC = new Set(['lat', 'lon', 'contractedMbps']);

/** Turns CSV cells into the JSON shape of a site body: empty cells are absent, numbers parsed. */
function csvRecordToBody(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(values)) {
    const v = raw.trim();
    if (v === '') continue;
    out[k] = NUMERIC.has(k) ? Number(v.replace(',', '.')) : v;
  }
  return out;
}

/**
 * CSV import of sites: columns name, lat, lon, status, provider, contractedMbps, address, plannedAt, liveAt, notes.
 * Every row is checked first; any faulty row rejects the file with all faults listed, nothing stored.
 */
export async function importSitesCsv(ctx: ServiceCtx, text: string): Promise<{ created: number; errors: { row: number; message: string }[] }> {
  const table = parseCsvWithColumns(text, ['name', 'lat', 'lon'], { maxRows: 5000 });
  const errors: RowError[] = [];
  const bodies: SiteBody[] = [];
  for (const row of table.rows) {
    const r = siteBody.safeParse(csvRecordToBody(row.values));
    if (r.success) bodies.push(r.data);
    else errors.push(...rowErrorsOf(row.line, r.error.issues));
  }
  rejectInvalidRows(errors, table.rows.length);
  const locator = await loadWardLocator(ctx.db);
  const now = isoAt(ctx.clock.nowMs());
  const rows = bodies.map((b) => newSiteRow(b, locator.locate(b.lon, b.lat), now));
  await inTransaction(ctx, async (trx) => {
    await insertSites(trx, rows);
    await recordAudit(ctx, trx, { action: 'import', entity: 'site', entityId: null, detail: { created: rows.length } });
  });
  return { created: rows.length, errors: [] };
}
