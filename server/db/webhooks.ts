import type { Executor, MaintenanceWindowsTable, WebhookDeliveriesTable, WebhooksTable } from './types.ts';

export async function insertWebhook(db: Executor, row: WebhooksTable): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}

export async function listWebhooks(db: Executor): Promise<WebhooksTable[]> {
  return db.selectFrom('webhooks').selectAll().orderBy('created_at').execute();
}

export async function deleteWebhook(db: Executor, id: string): Promise<number> {
  const r = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertDelivery(db: Executor, row: WebhookDeliveriesTable): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

export async function listDeliveries(db: Executor, webhookId: string, limit: number): Promise<WebhookDeliveriesTable[]> {
  return db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('at_ms', 'desc').limit(limit).execute();
}

export async function insertMaintenance(db: Executor, row: MaintenanceWindowsTable): Promise<void> {
  await db.insertInto('maintenance_windows').values(row).execute();
}

export async function listMaintenance(db: Executor, activeAfterMs?: number): Promise<MaintenanceWindowsTable[]> {
  let q = db.selectFrom('maintenance_windows').selectAll();
  if (activeAfterMs !== undefined) q = q.where('ends_ms', '>', activeAfterMs);
  return q.orderBy('starts_ms').execute();
}

export async function deleteMaintenance(db: Executor, id: string): Promise<number> {
  const r = await db.deleteFrom('maintenance_windows').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function findMaintenance(db: Executor, id: string): Promise<MaintenanceWindowsTable | undefined> {
  return db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setMaintenanceEnd(db: Executor, id: string, endsMs: number): Promise<void> {
  await db.updateTable('maintenance_windows').set({ ends_ms: endsMs }).where('id', '=', id).execute();
}

/** Names of every device, site and ward, for labels in lists and messages. */
export async function entityNames(db: Executor): Promise<{ devices: Map<string, string>; sites: Map<string, string>; wards: Map<string, string> }> {
  const [d, s, w] = await Promise.all([
    db.selectFrom('devices').select(['id', 'name']).execute(),
    db.selectFrom('sites').select(['id', 'name']).execute(),
    db.selectFrom('wards').select(['code', 'name']).execute(),
  ]);
  return { devices: new Map(d.map((x) => [x.id, x.name])), sites: new Map(s.map((x) => [x.id, x.name])), wards: new Map(w.map((x) => [x.code, x.name])) };
}

/**
 * Issue 11: the maintenance windows over each of these devices (its own and its site's) that start before `untilMs`,
 * as half-open spans per device id.
 */
export async function maintenanceSpansOf(db: Executor, deviceIds: readonly string[], untilMs: number): Promise<Map<string, Array<{ fromMs: number; toMs: number }>>> {
  const out = new Map<string, Array<{ fromMs: number; toMs: number }>>();
  if (deviceIds.length === 0) return out;
  const windows = await db.selectFrom('maintenance_windows').select(['device_id', 'site_id', 'starts_ms', 'ends_ms']).where('starts_ms', '<', untilMs).execute();
  if (windows.length === 0) return out;
  const wanted = new Set(deviceIds);
  const bySite = new Map<string, string[]>();
  if (windows.some((w) => w.site_id !== null)) {
    for (let i = 0; i < deviceIds.length; i += 500) {
      const rows = await db.selectFrom('devices').select(['id', 'site_id']).where('id', 'in', deviceIds.slice(i, i + 500)).where('site_id', 'is not', null).execute();
      for (const r of rows) bySite.set(r.site_id!, [...(bySite.get(r.site_id!) ?? []), r.id]);
    }
  }
  const add = (id: string, span: { fromMs: number; toMs: number }): void => void out.set(id, [...(out.get(id) ?? []), span]);
  for (const w of windows) {
    const span = { fromMs: Number(w.starts_ms), toMs: Number(w.ends_ms) };
    if (w.device_id !== null && wanted.has(w.device_id)) add(w.device_id, span);
    if (w.site_id !== null) for (const id of bySite.get(w.site_id) ?? []) add(id, span);
  }
  return out;
}

/** Issue 11: the devices (by id, and by site) under a window active at `atMs`. */
export async function devicesInMaintenanceAt(db: Executor, deviceIds: readonly string[], atMs: number): Promise<Set<string>> {
  const spans = await maintenanceSpansOf(db, deviceIds, atMs + 1);
  return new Set([...spans].filter(([, list]) => list.some((s) => s.fromMs <= atMs && atMs < s.toMs)).map(([id]) => id));
}

/** Issue 11: windows of one device or one site that have not ended by `nowMs` (active or upcoming). */
export async function openWindowsOf(db: Executor, target: { deviceId: string } | { siteId: string }, nowMs: number): Promise<MaintenanceWindowsTable[]> {
  let q = db.selectFrom('maintenance_windows').selectAll().where('ends_ms', '>', nowMs);
  q = 'deviceId' in target ? q.where('device_id', '=', target.deviceId) : q.where('site_id', '=', target.siteId);
  return q.orderBy('starts_ms').execute();
}

/** Windows active at `atMs`, and those that ended in (`sinceMs`, `atMs`]. */
export async function windowsAround(db: Executor, sinceMs: number, atMs: number): Promise<{ active: MaintenanceWindowsTable[]; ended: MaintenanceWindowsTable[] }> {
  const rows = await db.selectFrom('maintenance_windows').selectAll().where('starts_ms', '<=', atMs).where('ends_ms', '>', sinceMs).execute();
  return { active: rows.filter((w) => Number(w.ends_ms) > atMs), ended: rows.filter((w) => Number(w.ends_ms) <= atMs) };
}

/** The devices a window covers: its device, or every device of its site. */
export async function devicesOfWindow(db: Executor, w: Pick<MaintenanceWindowsTable, 'device_id' | 'site_id'>): Promise<string[]> {
  if (w.device_id !== null) return [w.device_id];
  if (w.site_id === null) return [];
  return (await db.selectFrom('devices').select('id').where('site_id', '=', w.site_id).execute()).map((r) => r.id);
}
