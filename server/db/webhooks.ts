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
