import { AppError } from '../../../core/errors.ts';
import { siteBody, type SiteBody, type SiteOut } from '../../../core/schemas/inventory.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { allSites, deleteSite, findSite, findSiteByCode, insertSite, insertSites, listSites, SITE_CODE_UNIQUE, updateSite, type SiteRow } from '../../db/sites.ts';
import { inTransaction, isUniqueViolation } from '../../db/tx.ts';
import { assertWardInScope, scopeOf } from '../regions/scope.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { changedFields, givenFields, KeyRegistry, nameKey, parseCsvWithColumns, rejectInvalidRows, rowErrorsOf, type CsvImportCounts, type RowError } from '../csv-import.ts';
import { loadWardLocator } from '../wards/load-ward-locator.ts';
import { siteColumns, toSiteOut } from './site-rules.ts';

function newSiteRow(b: SiteBody, wardCode: string | null, now: string): SiteRow {
  return {
    id: newId(),
    name: b.name,
    lat: b.lat,
    lon: b.lon,
    code: null,
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

/**
 * `code` null: a writer stored one of an import's new codes between its check and its write. On D1, which has no
 * interactive transactions, the chunks written before the refused one stay; the import is an upsert, so running the
 * same file again completes it.
 */
function codeTaken(code: string | null, dialect: string): AppError {
  if (code !== null) {
    return new AppError('conflict', `site code ${code} is already used by another site; each code names one site`, { reason: 'site.codeTaken', params: { code } });
  }
  return dialect === 'd1'
    ? new AppError('conflict', 'a site code given here was taken by another site meanwhile; rows before it may have been stored, import the file again to complete it', { reason: 'site.codeTakenMeanwhilePartly' })
    : new AppError('conflict', 'a site code given here was taken by another site meanwhile; nothing was stored, try again', { reason: 'site.codeTakenMeanwhile' });
}

/** Sites are unique by code where set (issue 10): a code another site holds is refused with 409. */
async function assertCodeFree(ctx: ServiceCtx, code: string | null | undefined, siteId: string | null): Promise<void> {
  if (code == null) return;
  const holder = await findSiteByCode(ctx.db, code);
  if (holder !== undefined && holder.id !== siteId) throw codeTaken(code, ctx.dialect);
}

/** Runs a write; the unique index on sites.code refusing it (a concurrent writer took the code) becomes a 409. */
async function writingCode<T>(ctx: ServiceCtx, code: string | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err, SITE_CODE_UNIQUE)) throw codeTaken(code, ctx.dialect);
    throw err;
  }
}

/** A site outside every ward is stored with `outsideCity: true`, never dropped. */
export async function createSite(ctx: ServiceCtx, body: SiteBody): Promise<SiteOut> {
  const locator = await loadWardLocator(ctx.db);
  const row = newSiteRow(body, locator.locate(body.lon, body.lat), isoAt(ctx.clock.nowMs()));
  await assertWardInScope(ctx, row.ward_code);
  await assertCodeFree(ctx, row.code, null);
  await writingCode(ctx, row.code, () =>
    inTransaction(ctx, async (trx) => {
      await insertSite(trx, row);
      await recordAudit(ctx, trx, { action: 'create', entity: 'site', entityId: row.id, detail: { name: row.name, wardCode: row.ward_code } });
    }),
  );
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
  await assertCodeFree(ctx, set.code, id);
  await writingCode(ctx, set.code ?? null, () =>
    inTransaction(ctx, async (trx) => {
      await updateSite(trx, id, set);
      await recordAudit(ctx, trx, { action: 'update', entity: 'site', entityId: id, detail: { changed: Object.keys(patch) } });
    }),
  );
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
 * CSV import of sites: columns name, lat, lon, and optionally code, status, provider, contractedMbps, address, plannedAt,
 * liveAt, notes. Issue 10: a re-import upserts. A row matches the stored site with its `code` (when the file has a
 * code column and the row a code; a site stored without a code matches by name then), else the site with its name
 * (case and spacing ignored). A matched row changes only the columns it fills; equal rows count as unchanged.
 * Every row is checked first; any faulty row (also a key named twice) rejects the file with all faults listed, nothing
 * stored.
 */
export async function importSitesCsv(ctx: ServiceCtx, text: string): Promise<CsvImportCounts> {
  const table = parseCsvWithColumns(text, ['name', 'lat', 'lon'], { maxRows: 5000 });
  const errors: RowError[] = [];
  const keys = new KeyRegistry(errors);
  const rowsIn: { line: number; body: SiteBody; given: Partial<SiteBody> }[] = [];
  for (const row of table.rows) {
    const raw = csvRecordToBody(row.values);
    const r = siteBody.safeParse(raw);
    if (!r.success) {
      errors.push(...rowErrorsOf(row.line, r.error.issues));
      continue;
    }
    const code = r.data.code ?? null;
    const ok = code !== null ? keys.claim(`code:${code}`, row.line, code) : keys.claim(`name:${nameKey(r.data.name)}`, row.line, r.data.name);
    if (ok) rowsIn.push({ line: row.line, body: r.data, given: givenFields(r.data, raw) });
  }
  rejectInvalidRows(errors, table.rows.length);

  const stored = await allSites(ctx.db);
  const byCode = groupBy(stored.filter((s) => s.code !== null), (s) => s.code as string);
  const byName = groupBy(stored, (s) => nameKey(s.name));
  const targets = new KeyRegistry(errors);
  const matched: { line: number; given: Partial<SiteBody>; body: SiteBody; row: SiteRow | null }[] = [];
  for (const r of rowsIn) {
    const code = r.body.code ?? null;
    let found = code === null ? [] : (byCode.get(code) ?? []);
    if (found.length === 0) found = (byName.get(nameKey(r.body.name)) ?? []).filter((s) => code === null || s.code === null);
    if (found.length > 1) {
      errors.push({ row: r.line, message: `${found.length} stored sites are named ${r.body.name}; give each a code to tell them apart`, code: 'import.ambiguous', params: { count: found.length, name: r.body.name } });
      continue;
    }
    const row = found[0] ?? null;
    if (row !== null && !targets.claim(row.id, r.line, row.name)) continue;
    matched.push({ ...r, row });
  }
  rejectInvalidRows(errors, table.rows.length);

  const locator = await loadWardLocator(ctx.db);
  const now = isoAt(ctx.clock.nowMs());
  const created: SiteRow[] = [];
  const updates: { id: string; set: Partial<SiteRow>; changed: string[] }[] = [];
  let unchanged = 0;
  for (const m of matched) {
    if (m.row === null) {
      const row = newSiteRow(m.body, locator.locate(m.body.lon, m.body.lat), now);
      await assertWardInScope(ctx, row.ward_code);
      created.push(row);
      continue;
    }
    const changed = changedFields(m.given, m.row, siteColumns);
    if (changed.length === 0) {
      unchanged++;
      continue;
    }
    const set: Partial<SiteRow> = { ...siteColumns(Object.fromEntries(changed.map((f) => [f, m.given[f]])) as Partial<SiteBody>), updated_at: now };
    await assertWardInScope(ctx, m.row.ward_code);
    if (set.lat !== undefined || set.lon !== undefined) {
      set.ward_code = locator.locate(set.lon ?? m.row.lon, set.lat ?? m.row.lat);
      set.outside_city = set.ward_code === null ? 1 : 0;
      await assertWardInScope(ctx, set.ward_code);
    }
    updates.push({ id: m.row.id, set, changed });
  }
  // A code in the file names the site holding it (that site is updated), so a file cannot take another site's code;
  // only a writer that stored one of the file's new codes meanwhile can, and then nothing is stored (409).
  await writingCode(ctx, null, () =>
    inTransaction(ctx, async (trx) => {
      await insertSites(trx, created);
      for (const u of updates) {
        await updateSite(trx, u.id, u.set);
        await recordAudit(ctx, trx, { action: 'update', entity: 'site', entityId: u.id, detail: { changed: u.changed, via: 'import' } });
      }
      await recordAudit(ctx, trx, { action: 'import', entity: 'site', entityId: null, detail: { created: created.length, updated: updates.length, unchanged } });
    }),
  );
  return { created: created.length, updated: updates.length, unchanged, errors: [] };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list === undefined) out.set(k, [it]);
    else list.push(it);
  }
  return out;
}
