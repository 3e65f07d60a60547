/**
 * SQL of collector leases (issue 17). A claim runs in one transaction: on Postgres the candidate devices are locked
 * with FOR UPDATE SKIP LOCKED, so collectors claiming at once take different devices without waiting on each other;
 * SQLite serialises writers anyway. A lease row is taken over only when it has expired (guarded in the upsert too).
 */
import { sql } from 'kysely';
import type { DeviceLeasesTable, Executor } from './types.ts';

export const DEFAULT_GROUP = 'default';

export async function touchLeaseCollector(db: Executor, id: string, group: string, nowMs: number): Promise<void> {
  await db
    .insertInto('collectors')
    .values({ id, last_seen_ms: nowMs, last_batch_id: null, group_name: group, leases_renewed_ms: nowMs })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_ms: nowMs, group_name: group, leases_renewed_ms: nowMs }))
    .execute();
}

/** Collectors of a group that renewed their leases since `sinceMs`. */
export async function liveCollectorCount(db: Executor, group: string, sinceMs: number): Promise<number> {
  const r = await db
    .selectFrom('collectors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_name', '=', group)
    .where('leases_renewed_ms', '>=', sinceMs)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function inGroup(group: string) {
  return group === DEFAULT_GROUP ? sql<boolean>`(d.collector_group is null or d.collector_group = ${group})` : sql<boolean>`d.collector_group = ${group}`;
}

export async function groupDeviceCount(db: Executor, group: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from devices d where d.enabled = 1 and ${inGroup(group)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Extends the leases this collector still holds; returns the device ids it holds after. Leases of devices that left
 * the group or were switched off end here, so they count neither in the collector's share nor in what it polls (they
 * used to count, and a collector over its share then gave back a device it should poll).
 */
export async function renewLeases(db: Executor, collectorId: string, group: string, nowMs: number, expiresMs: number): Promise<string[]> {
  const stale = await sql<{ device_id: string }>`
    select l.device_id from device_leases l left join devices d on d.id = l.device_id
    where l.collector_id = ${collectorId} and l.released = 0 and l.expires_ms >= ${nowMs}
      and (d.id is null or d.enabled <> 1 or not ${inGroup(group)})`.execute(db);
  const gone = stale.rows.map((r) => r.device_id);
  for (let i = 0; i < gone.length; i += 90) {
    await db.updateTable('device_leases').set({ released: 1, expires_ms: nowMs - 1 }).where('collector_id', '=', collectorId).where('device_id', 'in', gone.slice(i, i + 90)).execute();
  }
  await db
    .updateTable('device_leases')
    .set({ expires_ms: expiresMs })
    .where('collector_id', '=', collectorId)
    .where('released', '=', 0)
    .where('expires_ms', '>=', nowMs)
    .execute();
  const rows = await db.selectFrom('device_leases').select('device_id').where('collector_id', '=', collectorId).where('released', '=', 0).where('expires_ms', '>=', nowMs).orderBy('device_id').execute();
  return rows.map((r) => r.device_id);
}

/**
 * The enabled devices a collector holds now, with when it took each lease and when the device last changed: what a
 * renewal that answers only changes (issue 17) compares with the collector's last answer.
 */
export async function heldLeaseDetails(db: Executor, collectorId: string, nowMs: number): Promise<{ id: string; acquiredMs: number; updatedAt: string }[]> {
  const rows = await db
    .selectFrom('device_leases as l')
    .innerJoin('devices as d', 'd.id', 'l.device_id')
    .select(['l.device_id', 'l.acquired_ms', 'd.updated_at'])
    .where('l.collector_id', '=', collectorId)
    .where('l.released', '=', 0)
    .where('l.expires_ms', '>=', nowMs)
    .where('d.enabled', '=', 1)
    .orderBy('l.device_id')
    .execute();
  return rows.map((r) => ({ id: r.device_id, acquiredMs: Number(r.acquired_ms), updatedAt: r.updated_at }));
}

/** Gives leases back; nobody takes them before `coolUntilMs` (the holder may still be polling one). */
export async function releaseLeases(db: Executor, collectorId: string, deviceIds: readonly string[], coolUntilMs: number): Promise<void> {
  for (let i = 0; i < deviceIds.length; i += 90) {
    await db
      .updateTable('device_leases')
      .set({ released: 1, expires_ms: coolUntilMs })
      .where('collector_id', '=', collectorId)
      .where('device_id', 'in', deviceIds.slice(i, i + 90))
      .execute();
  }
}

/**
 * Takes up to `limit` devices of the group that nobody holds (no lease, or an expired one), skipping rows another
 * claimer has locked. Returns the ids taken.
 */
export async function claimFreeDevices(db: Executor, dialect: string, collectorId: string, group: string, limit: number, nowMs: number, expiresMs: number): Promise<string[]> {
  if (limit <= 0) return [];
  const lock = dialect === 'postgres' ? sql` for update of d skip locked` : sql``;
  const free = await sql<{ id: string }>`
    select d.id from devices d left join device_leases l on l.device_id = d.id
    where d.enabled = 1 and ${inGroup(group)} and (l.device_id is null or l.expires_ms < ${nowMs})
    order by d.id limit ${limit}${lock}`.execute(db);
  const ids = free.rows.map((r) => r.id);
  const taken: string[] = [];
  for (const id of ids) {
    const row: DeviceLeasesTable = { device_id: id, collector_id: collectorId, group_name: group, acquired_ms: nowMs, expires_ms: expiresMs, released: 0 };
    const r = await db
      .insertInto('device_leases')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('device_id')
          .doUpdateSet({ collector_id: collectorId, group_name: group, acquired_ms: nowMs, expires_ms: expiresMs, released: 0 })
          .where('device_leases.expires_ms', '<', nowMs),
      )
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) taken.push(id);
  }
  return taken;
}

export interface CollectorLeaseRow {
  id: string;
  group_name: string | null;
  last_seen_ms: number;
  leases_renewed_ms: number | null;
  held: number;
}

/** Every collector with the devices it holds now. */
export async function listCollectorsWithLeases(db: Executor, nowMs: number): Promise<CollectorLeaseRow[]> {
  const r = await sql<CollectorLeaseRow>`
    select c.id, c.group_name, c.last_seen_ms, c.leases_renewed_ms,
      (select count(*) from device_leases l where l.collector_id = c.id and l.released = 0 and l.expires_ms >= ${nowMs}) as held
    from collectors c order by c.group_name, c.id`.execute(db);
  return r.rows.map((x) => ({ ...x, last_seen_ms: Number(x.last_seen_ms), leases_renewed_ms: x.leases_renewed_ms === null ? null : Number(x.leases_renewed_ms), held: Number(x.held) }));
}

export async function leasedDeviceIds(db: Executor, collectorId: string, nowMs: number): Promise<string[]> {
  const rows = await db.selectFrom('device_leases').select('device_id').where('collector_id', '=', collectorId).where('released', '=', 0).where('expires_ms', '>=', nowMs).execute();
  return rows.map((r) => r.device_id);
}

export async function devicesByIds(db: Executor, ids: readonly string[]) {
  const out = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    if (chunk.length > 0) out.push(...(await db.selectFrom('devices').selectAll().where('id', 'in', chunk).where('enabled', '=', 1).execute()));
  }
  return out;
}
