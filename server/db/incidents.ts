/** SQL for the fleet-wide incident list and acknowledgements (issue 13). */
import type { Executor, IncidentsTable } from './types.ts';

export interface IncidentFilter {
  deviceId?: string | undefined;
  siteId?: string | undefined;
  wardCode?: string | undefined;
  provider?: string | undefined;
  cause?: string | undefined;
  open?: boolean | undefined;
  acknowledged?: boolean | undefined;
  /** Incidents that overlap [fromMs, toMs). */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /** Only devices whose site lies in this kabupaten/kota (issue 17: staff limited to one). */
  cityCode?: string | undefined;
  limit: number;
  offset: number;
}

export type IncidentRow = IncidentsTable & {
  device_name: string | null;
  device_role: string | null;
  site_id: string | null;
  site_name: string | null;
  ward_code: string | null;
  provider: string | null;
};

export async function incidentRows(db: Executor, f: IncidentFilter): Promise<{ rows: IncidentRow[]; total: number }> {
  let q = db
    .selectFrom('incidents as i')
    .leftJoin('devices as d', 'd.id', 'i.device_id')
    .leftJoin('sites as s', 's.id', 'd.site_id');
  if (f.deviceId !== undefined) q = q.where('i.device_id', '=', f.deviceId);
  if (f.siteId !== undefined) q = q.where('d.site_id', '=', f.siteId);
  if (f.wardCode !== undefined) q = q.where('s.ward_code', '=', f.wardCode);
  if (f.provider !== undefined) q = q.where('s.provider', '=', f.provider);
  if (f.cause !== undefined) q = q.where('i.cause_kind', '=', f.cause);
  if (f.cityCode !== undefined) q = q.where('s.ward_code', 'in', db.selectFrom('wards').select('code').where('city_code', '=', f.cityCode));
  if (f.open === true) q = q.where('i.ended_ms', 'is', null);
  if (f.open === false) q = q.where('i.ended_ms', 'is not', null);
  if (f.acknowledged === true) q = q.where('i.ack_at_ms', 'is not', null);
  if (f.acknowledged === false) q = q.where('i.ack_at_ms', 'is', null);
  if (f.toMs !== undefined) q = q.where('i.started_ms', '<', f.toMs);
  if (f.fromMs !== undefined) {
    const from = f.fromMs;
    q = q.where((eb) => eb.or([eb('i.ended_ms', 'is', null), eb('i.ended_ms', '>', from)]));
  }
  const rows = await q
    .selectAll('i')
    .select(['d.name as device_name', 'd.role as device_role', 'd.site_id as site_id', 's.name as site_name', 's.ward_code as ward_code', 's.provider as provider'])
    .orderBy('i.started_ms', 'desc')
    .orderBy('i.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows: rows as IncidentRow[], total: Number(c.n) };
}

export async function findIncidentRow(db: Executor, id: string): Promise<IncidentRow | undefined> {
  const r = await db
    .selectFrom('incidents as i')
    .leftJoin('devices as d', 'd.id', 'i.device_id')
    .leftJoin('sites as s', 's.id', 'd.site_id')
    .selectAll('i')
    .select(['d.name as device_name', 'd.role as device_role', 'd.site_id as site_id', 's.name as site_name', 's.ward_code as ward_code', 's.provider as provider'])
    .where('i.id', '=', id)
    .executeTakeFirst();
  return r as IncidentRow | undefined;
}

/** Sets the acknowledgement only when there is none yet: of two people acknowledging at once, one wins. */
export async function setIncidentAck(db: Executor, id: string, ack: { byId: string | null; by: string; atMs: number; note: string | null }): Promise<number> {
  const r = await db
    .updateTable('incidents')
    .set({ ack_by_id: ack.byId, ack_by: ack.by, ack_at_ms: ack.atMs, ack_note: ack.note })
    .where('id', '=', id)
    .where('ack_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function clearIncidentAck(db: Executor, id: string): Promise<number> {
  const r = await db
    .updateTable('incidents')
    .set({ ack_by_id: null, ack_by: null, ack_at_ms: null, ack_note: null })
    .where('id', '=', id)
    .where('ack_at_ms', 'is not', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
