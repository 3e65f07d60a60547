import { AppError } from '../../../core/errors.ts';
import { modelWithRevision } from '../../../core/discovery.ts';
import { parseTrafficSelectionText } from '../../../core/interface-roles.ts';
import { deviceBody, type DeviceBody, type DeviceBulkBody, type DeviceOut } from '../../../core/schemas/inventory.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { stopWatching } from '../monitoring/lifecycle.ts';
import { isMonitored } from '../../db/devices.ts';
import { allDevices, deleteDevice, existingDeviceIds, findDevice, insertDevices, listDevices, moveDevices, setDevicesEnabled, updateDevice, type DeviceRow } from '../../db/devices.ts';
import { findSite, findSiteByCode } from '../../db/sites.ts';
import { inTransaction } from '../../db/tx.ts';
import { assertSiteInScope, scopeOf } from '../regions/scope.ts';
import type { ServiceCtx } from '../../deps.ts';
import { resolveRadius } from '../../../geo/coverage/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { changedFields, givenFields, KeyRegistry, nameKey, parseCsvWithColumns, rejectInvalidRows, rowErrorsOf, type CsvImportCounts, type RowError } from '../csv-import.ts';
import { deviceColumns, openDeviceSecrets, sealDeviceSecrets, toDeviceOut, type DeviceSecrets } from './device-rules.ts';

async function outOf(ctx: ServiceCtx, row: DeviceRow): Promise<DeviceOut> {
  const s = await openDeviceSecrets(ctx.secrets, row);
  return toDeviceOut(row, { community: s.community !== undefined, routerosPassword: (s.routerosPassword ?? '') !== '' });
}

async function buildRow(ctx: ServiceCtx, b: DeviceBody, now: string): Promise<DeviceRow> {
  const id = newId();
  const secrets: DeviceSecrets = {};
  if (b.snmp != null) secrets.community = b.snmp.community;
  if (b.routeros != null) secrets.routerosPassword = b.routeros.password;
  return {
    id,
    site_id: null,
    name: b.name,
    role: b.role,
    vendor: b.vendor ?? null,
    model: null,
    address: b.address,
    snmp_port: null,
    snmp_version: null,
    routeros_port: null,
    routeros_tls: null,
    routeros_username: null,
    poll_interval_s: b.pollIntervalS,
    enabled: b.enabled ? 1 : 0,
    monitor: 1,
    coverage: null,
    created_at: now,
    updated_at: now,
    ...deviceColumns(b),
    secrets_sealed: await sealDeviceSecrets(ctx.secrets, id, secrets),
  } as DeviceRow;
}

async function checkSite(ctx: ServiceCtx, siteId: string | null | undefined): Promise<void> {
  if (siteId != null && (await findSite(ctx.db, siteId)) === undefined) throw new AppError('validation_failed', `no site ${siteId}`);
  // Staff limited to one kabupaten/kota place devices only on sites there (and cannot unplace them).
  if (siteId !== undefined) await assertSiteInScope(ctx, siteId);
}

/** A footprint that cannot be drawn (zero or absurd radius, a link budget nobody can hear) is refused up front. */
function checkCoverage(spec: DeviceBody['coverage'], path: string): void {
  if (spec != null) resolveRadius(spec, { path });
}

export async function createDevice(ctx: ServiceCtx, body: DeviceBody): Promise<DeviceOut> {
  await checkSite(ctx, body.siteId);
  checkCoverage(body.coverage, 'body.coverage');
  const row = await buildRow(ctx, body, isoAt(ctx.clock.nowMs()));
  // Added by address + community without a vendor: ask the device (best effort; a silent device is still added).
  if (body.vendor === undefined && body.snmp != null && ctx.discoverer !== null) {
    const found = await ctx.discoverer.discover({ address: body.address, ...body.snmp }, { timeoutMs: 1500 }).catch(() => null);
    if (found?.ok === true) {
      row.vendor = found.vendor;
      row.model = body.model ?? modelWithRevision(found);
    }
  }
  await inTransaction(ctx, async (trx) => {
    await insertDevices(trx, [row]);
    await recordAudit(ctx, trx, { action: 'create', entity: 'device', entityId: row.id, detail: { name: row.name, address: row.address } });
  });
  return outOf(ctx, row);
}

export async function getDevice(ctx: ServiceCtx, id: string): Promise<DeviceOut> {
  const row = await findDevice(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no device ${id}`);
  return outOf(ctx, row);
}

/** Credentials given in a patch replace the stored ones; absent ones stay; `null` removes that protocol. */
export async function patchDevice(ctx: ServiceCtx, id: string, patch: Partial<DeviceBody>): Promise<DeviceOut> {
  const row = await findDevice(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no device ${id}`);
  await checkSite(ctx, patch.siteId);
  checkCoverage(patch.coverage, 'body.coverage');
  const set: Partial<DeviceRow> = { ...deviceColumns(patch), updated_at: isoAt(ctx.clock.nowMs()) };
  if (patch.snmp !== undefined || patch.routeros !== undefined) {
    const s = await openDeviceSecrets(ctx.secrets, row);
    if (patch.snmp === null) delete s.community;
    else if (patch.snmp !== undefined) s.community = patch.snmp.community;
    if (patch.routeros === null) delete s.routerosPassword;
    else if (patch.routeros !== undefined) s.routerosPassword = patch.routeros.password;
    set.secrets_sealed = await sealDeviceSecrets(ctx.secrets, id, s);
  }
  const after = { ...row, ...set };
  // Issue 11: a device that stops being watched ends its open incident now, and its time from now on is unknown.
  const stop = row.enabled === 1 && after.enabled !== 1 ? 'disabled' : isMonitored(row) && !isMonitored(after) ? 'unmonitored' : null;
  await inTransaction(ctx, async (trx) => {
    await updateDevice(trx, id, set);
    if (stop !== null) await stopWatching(trx, [id], stop, ctx.clock.nowMs());
    await recordAudit(ctx, trx, { action: 'update', entity: 'device', entityId: id, detail: { changed: Object.keys(patch) } });
  });
  return outOf(ctx, { ...row, ...set });
}

export async function removeDevice(ctx: ServiceCtx, id: string): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    if ((await deleteDevice(trx, id)) === 0) throw new AppError('not_found', `no device ${id}`);
    await stopWatching(trx, [id], 'deleted', ctx.clock.nowMs());
    await recordAudit(ctx, trx, { action: 'delete', entity: 'device', entityId: id });
  });
}

export async function listDevicePage(
  ctx: ServiceCtx,
  q: { limit: number; offset: number; siteId?: string | undefined; role?: string | undefined; q?: string | undefined },
): Promise<{ items: DeviceOut[]; total: number; limit: number; offset: number }> {
  const scope = scopeOf(ctx);
  const { rows, total } = await listDevices(ctx.db, scope === null ? q : { ...q, cityCode: scope });
  return { items: await Promise.all(rows.map((r) => outOf(ctx, r))), total, limit: q.limit, offset: q.offset };
}

/** CSV columns (flat): name, role, address, siteId or siteCode (the site's own code, also `site_code`), vendor, model, pollIntervalS, snmpCommunity, snmpPort,
 * routerosUser, routerosPassword, routerosPort, routerosTls, radiusM, profile, snmpTimeoutMs, snmpRetries, monitor (issue 11: 0/false/no/tidak
 * keeps the device inventory only; a row without SNMP and RouterOS columns is inventory only anyway), trafficInterfaces
 * (issue 11: `;`-separated roles and/or interface names the totals add, e.g. `uplink` or `ether1;sfp1`; empty: default). */
function csvToDeviceJson(v: Record<string, string>): Record<string, unknown> {
  const get = (k: string): string | undefined => {
    const x = v[k]?.trim();
    return x === undefined || x === '' ? undefined : x;
  };
  const num = (k: string): number | undefined => (get(k) === undefined ? undefined : Number(get(k)));
  const out: Record<string, unknown> = { name: get('name'), role: get('role'), address: get('address') };
  if (get('siteId') !== undefined) out.siteId = get('siteId');
  if (get('vendor') !== undefined) out.vendor = get('vendor');
  if (get('model') !== undefined) out.model = get('model');
  if (get('pollIntervalS') !== undefined) out.pollIntervalS = num('pollIntervalS');
  if (get('snmpCommunity') !== undefined) {
    out.snmp = {
      community: get('snmpCommunity'),
      ...(get('snmpPort') ? { port: num('snmpPort') } : {}),
      ...(get('snmpTimeoutMs') ? { timeoutMs: num('snmpTimeoutMs') } : {}),
      ...(get('snmpRetries') ? { retries: num('snmpRetries') } : {}),
    };
  }
  if (get('routerosUser') !== undefined) {
    out.routeros = {
      username: get('routerosUser'),
      password: v.routerosPassword ?? '',
      ...(get('routerosPort') ? { port: num('routerosPort') } : {}),
      tls: ['1', 'true', 'yes'].includes((get('routerosTls') ?? '').toLowerCase()),
    };
  }
  const monitor = get('monitor')?.toLowerCase();
  if (monitor !== undefined) out.monitor = ['1', 'true', 'yes', 'ya'].includes(monitor) ? true : ['0', 'false', 'no', 'tidak'].includes(monitor) ? false : monitor;
  if (get('trafficInterfaces') !== undefined) out.trafficInterfaces = parseTrafficSelectionText(get('trafficInterfaces') as string);
  if (get('radiusM') !== undefined || get('profile') !== undefined) {
    out.coverage = { ...(get('radiusM') ? { radiusM: num('radiusM') } : {}), ...(get('profile') ? { profile: get('profile') } : {}) };
  }
  return out;
}

/**
 * Issue 10: a re-import upserts. A row matches the stored device with the same name (case and spacing ignored) on the
 * same site (or likewise unplaced); it changes only what its filled cells give (credentials included), and a row
 * equal to what is stored counts as unchanged. All or nothing: any faulty row, or one name+site given twice, refuses
 * the file with every fault listed. A row names its site by `siteId` or by the site's code (`siteCode`, or
 * `site_code`); an unknown code, or an id and a code naming two sites, is a fault of that row.
 */
export async function importDevicesCsv(ctx: ServiceCtx, text: string): Promise<CsvImportCounts> {
  const table = parseCsvWithColumns(text, ['name', 'role', 'address'], { maxRows: 5000 });
  const errors: RowError[] = [];
  const keys = new KeyRegistry(errors);
  const parsed: { line: number; key: string; body: DeviceBody; given: Partial<DeviceBody> }[] = [];
  const siteIds = new Set<string>();
  // Issue 10: a row may name its site by the site's code (unique where set) instead of its id.
  const siteCodeOf = (values: Record<string, string>): string | undefined => {
    const c = (values.siteCode ?? values.site_code)?.trim();
    return c === undefined || c === '' ? undefined : c;
  };
  const sitesByCode = new Map<string, string | null>();
  for (const row of table.rows) {
    const code = siteCodeOf(row.values);
    if (code !== undefined && !sitesByCode.has(code)) sitesByCode.set(code, (await findSiteByCode(ctx.db, code))?.id ?? null);
  }
  for (const row of table.rows) {
    const raw = csvToDeviceJson(row.values);
    const siteCode = siteCodeOf(row.values);
    if (siteCode !== undefined) {
      const id = sitesByCode.get(siteCode) ?? null;
      if (id === null) {
        errors.push({ row: row.line, message: `no site with code ${siteCode}`, code: 'import.unknownSiteCode', params: { code: siteCode }, field: 'siteCode' });
        continue;
      }
      if (raw.siteId !== undefined && raw.siteId !== id) {
        errors.push({ row: row.line, message: `siteId ${String(raw.siteId)} and siteCode ${siteCode} name different sites`, code: 'import.siteMismatch', params: { id: String(raw.siteId), code: siteCode }, field: 'siteCode' });
        continue;
      }
      raw.siteId = id;
    }
    const r = deviceBody.safeParse(raw);
    if (!r.success) {
      errors.push(...rowErrorsOf(row.line, r.error.issues));
      continue;
    }
    try {
      checkCoverage(r.data.coverage, 'coverage');
    } catch (e) {
      errors.push({ row: row.line, message: (e as Error).message });
      continue;
    }
    const key = `${nameKey(r.data.name)}|${r.data.siteId ?? ''}`;
    if (!keys.claim(key, row.line, r.data.name)) continue;
    if (r.data.siteId != null) siteIds.add(r.data.siteId);
    const given = givenFields(r.data, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
    parsed.push({ line: row.line, key, body: r.data, given });
  }
  for (const id of siteIds) {
    if ((await findSite(ctx.db, id)) === undefined) {
      table.rows.filter((r) => r.values.siteId?.trim() === id && siteCodeOf(r.values) === undefined).forEach((r) => errors.push({ row: r.line, message: `no site ${id}`, code: 'import.noSite', params: { id }, field: 'siteId' }));
    }
  }
  rejectInvalidRows(errors, table.rows.length);
  for (const id of siteIds) await assertSiteInScope(ctx, id);

  const stored = new Map<string, DeviceRow[]>();
  for (const d of await allDevices(ctx.db)) {
    const k = `${nameKey(d.name)}|${d.site_id ?? ''}`;
    stored.set(k, [...(stored.get(k) ?? []), d]);
  }
  const now = isoAt(ctx.clock.nowMs());
  const created: DeviceRow[] = [];
  const updates: { id: string; set: Partial<DeviceRow>; changed: string[]; stop: 'disabled' | 'unmonitored' | null }[] = [];
  let unchanged = 0;
  for (const p of parsed) {
    const found = stored.get(p.key) ?? [];
    if (found.length > 1) {
      errors.push({ row: p.line, message: `${found.length} stored devices are named ${p.body.name} on this site; rename them first`, code: 'import.ambiguous', params: { count: found.length, name: p.body.name } });
      continue;
    }
    const row = found[0];
    if (row === undefined) {
      created.push(await buildRow(ctx, p.body, now));
      continue;
    }
    const { snmp, routeros, ...plain } = p.given;
    const changed: string[] = changedFields(plain, row, deviceColumns);
    const secrets = await openDeviceSecrets(ctx.secrets, row);
    const next: DeviceSecrets = { ...secrets };
    if (snmp != null) {
      next.community = snmp.community;
      if (changedFields({ snmp }, row, deviceColumns).length > 0 || secrets.community !== snmp.community) changed.push('snmp');
    }
    if (routeros != null) {
      next.routerosPassword = routeros.password;
      if (changedFields({ routeros }, row, deviceColumns).length > 0 || (secrets.routerosPassword ?? '') !== routeros.password) changed.push('routeros');
    }
    if (changed.length === 0) {
      unchanged++;
      continue;
    }
    if (row.site_id !== null) await assertSiteInScope(ctx, row.site_id);
    const set: Partial<DeviceRow> = { ...deviceColumns(Object.fromEntries(changed.map((f) => [f, p.given[f as keyof DeviceBody]])) as Partial<DeviceBody>), updated_at: now };
    if (changed.includes('snmp') || changed.includes('routeros')) set.secrets_sealed = await sealDeviceSecrets(ctx.secrets, row.id, next);
    const after = { ...row, ...set };
    const stop = row.enabled === 1 && after.enabled !== 1 ? 'disabled' : isMonitored(row) && !isMonitored(after) ? 'unmonitored' : null;
    updates.push({ id: row.id, set, changed, stop });
  }
  rejectInvalidRows(errors, table.rows.length);
  await inTransaction(ctx, async (trx) => {
    await insertDevices(trx, created);
    for (const u of updates) {
      await updateDevice(trx, u.id, u.set);
      if (u.stop !== null) await stopWatching(trx, [u.id], u.stop, ctx.clock.nowMs());
      await recordAudit(ctx, trx, { action: 'update', entity: 'device', entityId: u.id, detail: { changed: u.changed, via: 'import' } });
    }
    await recordAudit(ctx, trx, { action: 'import', entity: 'device', entityId: null, detail: { created: created.length, updated: updates.length, unchanged } });
  });
  return { created: created.length, updated: updates.length, unchanged, errors: [] };
}

/** Enables, disables or moves many devices in one transaction; an unknown id or site refuses the whole request. */
export async function bulkDevices(ctx: ServiceCtx, body: DeviceBulkBody): Promise<{ updated: number }> {
  const ids = [...new Set(body.ids)];
  const known = await existingDeviceIds(ctx.db, ids);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new AppError('not_found', `no device ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`, {
      details: missing.slice(0, 200).map((id) => ({ path: 'body.ids', message: `no device ${id}` })),
    });
  }
  if (body.action === 'move') await checkSite(ctx, body.siteId);
  const at = isoAt(ctx.clock.nowMs());
  await inTransaction(ctx, async (trx) => {
    if (body.action === 'move') await moveDevices(trx, ids, body.siteId, at);
    else await setDevicesEnabled(trx, ids, body.action === 'enable', at);
    if (body.action === 'disable') await stopWatching(trx, ids, 'disabled', ctx.clock.nowMs());
    await recordAudit(ctx, trx, { action: `bulk-${body.action}`, entity: 'device', entityId: null, detail: { count: ids.length, ...(body.action === 'move' ? { siteId: body.siteId } : {}) } });
  });
  return { updated: ids.length };
}
