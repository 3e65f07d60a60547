/** SQL for alert channels and their deliveries (issue 13). */
import type { AlertChannelsTable, AlertDeliveriesTable, Executor } from './types.ts';

export async function insertChannel(db: Executor, row: AlertChannelsTable): Promise<void> {
  await db.insertInto('alert_channels').values(row).execute();
}

export async function listChannels(db: Executor, kind?: string): Promise<AlertChannelsTable[]> {
  let q = db.selectFrom('alert_channels').selectAll();
  if (kind !== undefined) q = q.where('kind', '=', kind);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function findChannel(db: Executor, id: string): Promise<AlertChannelsTable | undefined> {
  return db.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateChannel(db: Executor, id: string, set: Partial<Omit<AlertChannelsTable, 'id'>>): Promise<void> {
  await db.updateTable('alert_channels').set(set).where('id', '=', id).execute();
}

export async function deleteChannel(db: Executor, id: string, kind?: string): Promise<number> {
  let q = db.deleteFrom('alert_channels').where('id', '=', id);
  if (kind !== undefined) q = q.where('kind', '=', kind);
  const r = await q.executeTakeFirst();
  if (Number(r.numDeletedRows) > 0) await db.deleteFrom('alert_deliveries').where('channel_id', '=', id).execute();
  return Number(r.numDeletedRows);
}

export async function insertAlertDeliveries(db: Executor, rows: AlertDeliveriesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 10) await db.insertInto('alert_deliveries').values(rows.slice(i, i + 10)).execute();
}

export async function listAlertDeliveries(db: Executor, channelId: string, limit: number): Promise<AlertDeliveriesTable[]> {
  return db.selectFrom('alert_deliveries').selectAll().where('channel_id', '=', channelId).orderBy('at_ms', 'desc').orderBy('id').limit(limit).execute();
}

/** The newest delivery of each channel. */
export async function lastAlertDeliveries(db: Executor): Promise<Map<string, AlertDeliveriesTable>> {
  const latest = db.selectFrom('alert_deliveries').select(['channel_id', (eb) => eb.fn.max('at_ms').as('m')]).groupBy('channel_id').as('l');
  const rows = await db
    .selectFrom('alert_deliveries as d')
    .innerJoin(latest, (j) => j.onRef('l.channel_id', '=', 'd.channel_id').onRef('l.m', '=', 'd.at_ms'))
    .selectAll('d')
    .execute();
  return new Map(rows.map((r) => [r.channel_id, r]));
}
