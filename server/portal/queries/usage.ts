/**
 * Connection data: grants (each sign-in's hotspot user and limits) and usage sessions read from the routers'
 * hotspot-active tables. Rows carry the opaque citizen id, never a phone number.
 */
import type { DailyUsage, DailyWardUsers } from '../../../core/schemas/portal.ts';
import { sql } from 'kysely';
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalGrantsTable, type PortalUsageSessionsTable } from './types.ts';

export type GrantRow = PortalGrantsTable;
export type UsageSessionRow = PortalUsageSessionsTable;

export async function insertGrant(db: Executor, row: GrantRow): Promise<void> {
  await portalDb(db).insertInto('portal_grants').values(row).execute();
}

export async function findGrant(db: Executor, id: string): Promise<GrantRow | undefined> {
  return portalDb(db).selectFrom('portal_grants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Distinct devices of a citizen with a grant still running at `nowMs`. */
export async function listLiveDeviceKeys(db: Executor, citizenId: string, nowMs: number): Promise<string[]> {
  const rows = await portalDb(db)
    .selectFrom('portal_grants')
    .select('device_key')
    .distinct()
    .where('citizen_id', '=', citizenId)
    .where('expires_at', '>', nowMs)
    .execute();
  return rows.map((r) => r.device_key);
}

/**
 * The running grant of this citizen's device at this hotspot, if it still has `minLeftMs` to run (issue 10: a new
 * sign-in reuses its hotspot user instead of making another). The newest one when several run.
 */
export async function findLiveGrantOfDevice(db: Executor, q: { citizenId: string; hotspotId: string; deviceKey: string; aliveAfterMs: number }): Promise<GrantRow | undefined> {
  return portalDb(db)
    .selectFrom('portal_grants')
    .selectAll()
    .where('citizen_id', '=', q.citizenId)
    .where('hotspot_id', '=', q.hotspotId)
    .where('device_key', '=', q.deviceKey)
    .where('expires_at', '>', q.aliveAfterMs)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The device's address changed (a new DHCP lease) while its grant runs: the captive API looks it up by address. */
export async function setGrantClientAddress(db: Executor, id: string, address: string | null): Promise<void> {
  await portalDb(db).updateTable('portal_grants').set({ client_address: address }).where('id', '=', id).execute();
}

/** The citizen behind today's earlier grant to this device at this hotspot (a terms sign-in without a cookie). */
export async function findCitizenOfDevice(db: Executor, deviceKey: string, day: string, hotspotId: string): Promise<string | undefined> {
  const row = await portalDb(db)
    .selectFrom('portal_grants')
    .select('citizen_id')
    .where('device_key', '=', deviceKey)
    .where('day', '=', day)
    .where('hotspot_id', '=', hotspotId)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.citizen_id;
}

/**
 * Time and bytes a citizen used, closed and open sessions together: on one city day (daily quotas), or since an
 * instant whatever the day (voucher quotas).
 */
export async function usageOfCitizen(db: Executor, citizenId: string, scope: { day: string } | { sinceMs: number }): Promise<{ uptimeS: number; bytes: number }> {
  let q = portalDb(db)
    .selectFrom('portal_usage_sessions')
    .select([
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('uptime_s'), sql<number>`0`).as('uptime'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>(eb('bytes_in', '+', eb.ref('bytes_out'))), sql<number>`0`).as('bytes'),
    ])
    .where('citizen_id', '=', citizenId);
  q = 'day' in scope ? q.where('day', '=', scope.day) : q.where('started_at', '>=', scope.sinceMs);
  const row = await q.executeTakeFirstOrThrow();
  return { uptimeS: Number(row.uptime), bytes: Number(row.bytes) };
}

export async function findCitizenOfHotspotUser(db: Executor, hotspotId: string, hotspotUser: string): Promise<string | undefined> {
  const row = await portalDb(db)
    .selectFrom('portal_grants')
    .select('citizen_id')
    .where('hotspot_id', '=', hotspotId)
    .where('hotspot_user', '=', hotspotUser)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.citizen_id;
}

export async function listOpenUsageSessions(db: Executor, hotspotId: string): Promise<UsageSessionRow[]> {
  return portalDb(db).selectFrom('portal_usage_sessions').selectAll().where('hotspot_id', '=', hotspotId).where('ended_at', 'is', null).execute();
}

export async function listAllOpenUsageSessions(db: Executor, options: { limit: number; offset: number }): Promise<UsageSessionRow[]> {
  return portalDb(db)
    .selectFrom('portal_usage_sessions')
    .selectAll()
    .where('ended_at', 'is', null)
    .orderBy('started_at', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}

export async function insertUsageSessions(db: Executor, rows: UsageSessionRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50) await portalDb(db).insertInto('portal_usage_sessions').values(rows.slice(i, i + 50)).execute();
}

export async function updateUsageSession(db: Executor, id: string, patch: Pick<UsageSessionRow, 'uptime_s' | 'bytes_in' | 'bytes_out' | 'ended_at'> & Partial<Pick<UsageSessionRow, 'address'>>): Promise<void> {
  await portalDb(db).updateTable('portal_usage_sessions').set(patch).where('id', '=', id).execute();
}

export type { DailyUsage } from '../../../core/schemas/portal.ts';

/** Unique citizens, sessions, time and bytes per day and hotspot between two days (inclusive). */
export async function dailyUsage(db: Executor, fromDay: string, toDay: string): Promise<DailyUsage[]> {
  const rows = await portalDb(db)
    .selectFrom('portal_usage_sessions')
    .select((eb) => [
      'day',
      'hotspot_id',
      eb.fn.max('ward_code').as('ward_code'),
      eb.fn.count<number>('citizen_id').distinct().as('users'),
      eb.fn.countAll<number>().as('sessions'),
      eb.fn.sum<number>('uptime_s').as('uptime'),
      eb.fn.sum<number>('bytes_in').as('bin'),
      eb.fn.sum<number>('bytes_out').as('bout'),
    ])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy(['day', 'hotspot_id'])
    .orderBy('day')
    .orderBy('hotspot_id')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    hotspotId: r.hotspot_id,
    wardCode: (r.ward_code as string | null) ?? null,
    uniqueUsers: Number(r.users),
    sessions: Number(r.sessions),
    uptimeS: Number(r.uptime ?? 0),
    bytesIn: Number(r.bin ?? 0),
    bytesOut: Number(r.bout ?? 0),
  }));
}

/** Unique citizens per day and ward (a citizen seen at two hotspots of one ward counts once). */
export async function dailyWardUsers(db: Executor, fromDay: string, toDay: string): Promise<DailyWardUsers[]> {
  const rows = await portalDb(db)
    .selectFrom('portal_usage_sessions')
    .select((eb) => ['day', 'ward_code', eb.fn.count<number>('citizen_id').distinct().as('users')])
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .groupBy(['day', 'ward_code'])
    .orderBy('day')
    .orderBy('ward_code')
    .execute();
  return rows.map((r) => ({ day: r.day, wardCode: r.ward_code, uniqueUsers: Number(r.users) }));
}

export async function listUsageOfCitizen(db: Executor, citizenId: string, limit: number): Promise<UsageSessionRow[]> {
  return portalDb(db).selectFrom('portal_usage_sessions').selectAll().where('citizen_id', '=', citizenId).orderBy('started_at', 'desc').limit(limit).execute();
}

export async function countGrantsOfCitizen(db: Executor, citizenId: string): Promise<number> {
  const r = await portalDb(db).selectFrom('portal_grants').select((eb) => eb.fn.countAll<number>().as('n')).where('citizen_id', '=', citizenId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Cuts a deleted citizen out of connection data: grants go, usage stays for the statistics without the id. */
export async function forgetCitizenConnections(db: Executor, citizenId: string): Promise<void> {
  const p = portalDb(db);
  await p.deleteFrom('portal_grants').where('citizen_id', '=', citizenId).execute();
  await p.updateTable('portal_usage_sessions').set({ citizen_id: null }).where('citizen_id', '=', citizenId).execute();
}

/**
 * Issue 10 (UU PDP): a device's address is kept only while it is of use. A grant's `client_address` serves the
 * RFC 8908 captive look-up of running grants only, so it is dropped (null) once the grant has ended; an ended usage
 * session is never matched by address again, so its `address` is emptied (the column is NOT NULL). The flows do the
 * same with their MAC and address once used. Runs with the hotspot-user sweep (every 5 minutes) and the retention
 * purge; the poll also empties it the moment it sees a session end. Returns the rows changed.
 */
export async function dropEndedClientAddresses(db: Executor, nowMs: number): Promise<number> {
  const p = portalDb(db);
  let n = Number((await p.updateTable('portal_grants').set({ client_address: null }).where('expires_at', '<=', nowMs).where('client_address', 'is not', null).executeTakeFirst()).numUpdatedRows);
  n += Number((await p.updateTable('portal_usage_sessions').set({ address: '' }).where('ended_at', 'is not', null).where('address', '<>', '').executeTakeFirst()).numUpdatedRows);
  return n;
}

/** Retention: connection data older than `beforeMs` goes. */
export async function purgeConnectionData(db: Executor, beforeMs: number): Promise<number> {
  const p = portalDb(db);
  let n = Number((await p.deleteFrom('portal_grants').where('expires_at', '<', beforeMs).executeTakeFirst()).numDeletedRows);
  n += Number((await p.deleteFrom('portal_usage_sessions').where('started_at', '<', beforeMs).where('ended_at', 'is not', null).executeTakeFirst()).numDeletedRows);
  return n;
}

/** Grants that ended before `beforeMs` whose hotspot user still exists on the router. */
export async function listGrantsToSweep(db: Executor, beforeMs: number, limit: number): Promise<Array<Pick<GrantRow, 'id' | 'hotspot_id' | 'hotspot_user'> & { device_id: string }>> {
  return portalDb(db)
    .selectFrom('portal_grants as g')
    .innerJoin('portal_hotspots as h', 'h.id', 'g.hotspot_id')
    .select(['g.id as id', 'g.hotspot_id as hotspot_id', 'g.hotspot_user as hotspot_user', 'h.device_id as device_id'])
    .where('g.user_removed', '=', 0)
    .where('g.expires_at', '<', beforeMs)
    .orderBy('g.expires_at')
    .limit(limit)
    .execute();
}

export async function markGrantUserRemoved(db: Executor, id: string): Promise<void> {
  await portalDb(db).updateTable('portal_grants').set({ user_removed: 1 }).where('id', '=', id).execute();
}

/** The most recent grant still running at `nowMs` for a device address in a hotspot network (RFC 8908). Issue 14. */
export async function findLiveGrantOfAddress(db: Executor, address: string, nowMs: number): Promise<GrantRow | undefined> {
  return portalDb(db)
    .selectFrom('portal_grants')
    .selectAll()
    .where('client_address', '=', address)
    .where('expires_at', '>', nowMs)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** What the routers reported for one hotspot user: time and bytes used, and whether every session of it ended. */
export async function usageOfHotspotUser(db: Executor, hotspotId: string, hotspotUser: string): Promise<{ sessions: number; open: number; uptimeS: number; bytes: number }> {
  const row = await portalDb(db)
    .selectFrom('portal_usage_sessions')
    .select([
      (eb) => eb.fn.countAll<number>().as('sessions'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>(sql<number>`case when ended_at is null then 1 else 0 end`), sql<number>`0`).as('open'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('uptime_s'), sql<number>`0`).as('uptime'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>(eb('bytes_in', '+', eb.ref('bytes_out'))), sql<number>`0`).as('bytes'),
    ])
    .where('hotspot_id', '=', hotspotId)
    .where('hotspot_user', '=', hotspotUser)
    .executeTakeFirstOrThrow();
  return { sessions: Number(row.sessions), open: Number(row.open), uptimeS: Number(row.uptime), bytes: Number(row.bytes) };
}

export async function findUsageSession(db: Executor, id: string): Promise<UsageSessionRow | undefined> {
  return portalDb(db).selectFrom('portal_usage_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}
