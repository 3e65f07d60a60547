/**
 * SQL of the RADIUS server (issue 16): NAS clients, the RADIUS side of usage sessions, Disconnect/CoA requests and
 * per-minute figures. Tables are declared here (migration 0016-radius is the frozen schema); `radiusDb` widens an
 * executor to see them next to the portal's.
 */
import type { Kysely } from 'kysely';
import type { Database, Executor } from './types.ts';
import type { PortalTables } from '../portal/queries/types.ts';

export interface RadiusClientsTable {
  id: string;
  name: string;
  /** The NAS's source address (IPv4 or IPv6 literal); requests from anywhere else are dropped. */
  address: string;
  secret_sealed: string;
  vendor: string;
  hotspot_id: string;
  /** 1: an Access-Request without a valid Message-Authenticator is dropped (BLAST-RADIUS). 0 only for legacy gear. */
  require_ma: number;
  /** Days a device that signed in before is let in again by MAC authentication; 0 = off. */
  mac_auth_days: number;
  idle_timeout_s: number;
  interim_s: number;
  coa_port: number;
  enabled: number;
  last_seen_ms: number | null;
  created_at: string;
  updated_at: string;
}

export interface RadiusSessionsTable {
  /** The same id as the portal_usage_sessions row that holds the figures. */
  id: string;
  client_id: string;
  hotspot_id: string;
  acct_session_id: string;
  /** Keyed hash of the NAS's User-Name (it may be a voucher code or a MAC). */
  user_hash: string;
  /** Sealed User-Name, kept only while a Disconnect-Request may need it. */
  user_sealed: string | null;
  grant_id: string | null;
  framed_ip: string | null;
  started_at: number;
  last_update_ms: number;
  ended_at: number | null;
  terminate_cause: number | null;
}

export interface RadiusCoaRequestsTable {
  id: string;
  session_id: string;
  client_id: string;
  /** 'disconnect' | 'coa' */
  kind: string;
  /** 'quota_time' | 'quota_data' | 'expired' | 'voucher_revoked' | 'citizen_deleted' | 'staff' */
  reason: string;
  /** Sealed JSON: what identifies the session at the NAS (User-Name, Acct-Session-Id, address) and a CoA's change. */
  target_sealed: string;
  /** 'queued' | 'sending' | 'ack' | 'nak' | 'timeout' | 'error' */
  status: string;
  attempts: number;
  requested_at: number;
  requested_by: string | null;
  claimed_by: string | null;
  sent_at: number | null;
  answered_at: number | null;
  answer_code: number | null;
  error_cause: number | null;
  error: string | null;
}

export interface RadiusStatsTable {
  minute_ms: number;
  node: string;
  auth_requests: number;
  accepts: number;
  rejects: number;
  acct_requests: number;
  acct_responses: number;
  status_requests: number;
  duplicates: number;
  dropped: number;
  /** JSON { reason: count }. */
  drops: string;
  rt_count: number;
  rt_sum_us: number;
  rt_max_us: number;
  /** JSON array of counts per latency bucket (server/radius/metrics.ts LATENCY_BUCKETS_US). */
  rt_hist: string;
}

export type RadiusTables = {
  radius_clients: RadiusClientsTable;
  radius_sessions: RadiusSessionsTable;
  radius_coa_requests: RadiusCoaRequestsTable;
  radius_stats: RadiusStatsTable;
};

export type RadiusDb = Kysely<Database & PortalTables & RadiusTables>;

/** A type-level widening only (see portalDb). */
export function radiusDb(db: Executor): RadiusDb {
  return db as unknown as RadiusDb;
}

export type RadiusClientRow = RadiusClientsTable;
export type RadiusSessionRow = RadiusSessionsTable;
export type CoaRequestRow = RadiusCoaRequestsTable;
export type RadiusStatsRow = RadiusStatsTable;

// ---- clients -------------------------------------------------------------------------------------------------

export async function insertRadiusClient(db: Executor, row: RadiusClientRow): Promise<void> {
  await radiusDb(db).insertInto('radius_clients').values(row).execute();
}

export async function updateRadiusClient(db: Executor, id: string, patch: Partial<Omit<RadiusClientRow, 'id'>>): Promise<number> {
  const r = await radiusDb(db).updateTable('radius_clients').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteRadiusClient(db: Executor, id: string): Promise<number> {
  const r = await radiusDb(db).deleteFrom('radius_clients').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function findRadiusClient(db: Executor, id: string): Promise<RadiusClientRow | undefined> {
  return radiusDb(db).selectFrom('radius_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRadiusClients(db: Executor): Promise<RadiusClientRow[]> {
  return radiusDb(db).selectFrom('radius_clients').selectAll().orderBy('name').orderBy('id').execute();
}

/** Changes whenever a client is added, changed or removed: the UDP server reloads its client table on a change. */
export async function radiusClientsVersion(db: Executor): Promise<string> {
  const r = await radiusDb(db)
    .selectFrom('radius_clients')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('u')])
    .executeTakeFirstOrThrow();
  return `${Number(r.n)}:${String(r.u ?? '')}`;
}

/** A hotspot with an enabled NAS client signs citizens in through RADIUS instead of RouterOS API provisioning. */
export async function hotspotUsesRadius(db: Executor, hotspotId: string): Promise<boolean> {
  const r = await radiusDb(db).selectFrom('radius_clients').select('id').where('hotspot_id', '=', hotspotId).where('enabled', '=', 1).limit(1).executeTakeFirst();
  return r !== undefined;
}

export async function markClientsSeen(db: Executor, ids: readonly string[], atMs: number): Promise<void> {
  if (ids.length === 0) return;
  await radiusDb(db).updateTable('radius_clients').set({ last_seen_ms: atMs }).where('id', 'in', [...ids]).execute();
}

// ---- sessions ------------------------------------------------------------------------------------------------

export async function findRadiusSession(db: Executor, clientId: string, acctSessionId: string, userHash: string): Promise<RadiusSessionRow | undefined> {
  return radiusDb(db)
    .selectFrom('radius_sessions')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('acct_session_id', '=', acctSessionId)
    .where('user_hash', '=', userHash)
    .executeTakeFirst();
}

/** Inserts unless the key exists (a Start that raced another); true when this call inserted. */
export async function insertRadiusSession(db: Executor, row: RadiusSessionRow): Promise<boolean> {
  const r = await radiusDb(db)
    .insertInto('radius_sessions')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'acct_session_id', 'user_hash']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function updateRadiusSession(db: Executor, id: string, patch: Partial<Omit<RadiusSessionRow, 'id'>>): Promise<void> {
  await radiusDb(db).updateTable('radius_sessions').set(patch).where('id', '=', id).execute();
}

/** A session key reused by the NAS long after its session ended (a counter reset) frees the key for the new one. */
export async function retireRadiusSessionKey(db: Executor, id: string, acctSessionId: string): Promise<void> {
  await radiusDb(db).updateTable('radius_sessions').set({ acct_session_id: `${acctSessionId}~${id}` }).where('id', '=', id).execute();
}

/** User hashes RADIUS accounts for at this hotspot (open, or ended since `sinceMs`): polls leave them alone. */
export async function radiusUserHashesAt(db: Executor, hotspotId: string, sinceMs: number): Promise<Set<string>> {
  const rows = await radiusDb(db)
    .selectFrom('radius_sessions')
    .select('user_hash')
    .distinct()
    .where('hotspot_id', '=', hotspotId)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', sinceMs)]))
    .execute();
  return new Set(rows.map((r) => r.user_hash));
}

export async function hasRadiusSessionsAt(db: Executor, hotspotId: string, sinceMs: number): Promise<boolean> {
  const r = await radiusDb(db)
    .selectFrom('radius_sessions')
    .select('id')
    .where('hotspot_id', '=', hotspotId)
    .where('last_update_ms', '>=', sinceMs)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/** An open usage row a RouterOS poll made for this user at this hotspot (RADIUS adopts it, so nothing counts twice). */
export async function findOpenPollSession(db: Executor, hotspotId: string, user: string): Promise<{ id: string } | undefined> {
  const p = radiusDb(db);
  return p
    .selectFrom('portal_usage_sessions as u')
    .select('u.id as id')
    .where('u.hotspot_id', '=', hotspotId)
    .where('u.hotspot_user', '=', user)
    .where('u.ended_at', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('radius_sessions as r').select('r.id').whereRef('r.id', '=', 'u.id'))))
    .orderBy('u.started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface OpenRadiusSession {
  id: string;
  client_id: string;
  hotspot_id: string;
  grant_id: string | null;
  citizen_id: string | null;
  started_at: number;
  last_update_ms: number;
  uptime_s: number;
  bytes_in: number;
  bytes_out: number;
}

export async function listOpenRadiusSessions(db: Executor, options: { limit: number; afterId?: string }): Promise<OpenRadiusSession[]> {
  let q = radiusDb(db)
    .selectFrom('radius_sessions as r')
    .innerJoin('portal_usage_sessions as u', 'u.id', 'r.id')
    .select(['r.id as id', 'r.client_id as client_id', 'r.hotspot_id as hotspot_id', 'r.grant_id as grant_id', 'u.citizen_id as citizen_id', 'r.started_at as started_at', 'r.last_update_ms as last_update_ms', 'u.uptime_s as uptime_s', 'u.bytes_in as bytes_in', 'u.bytes_out as bytes_out'])
    .where('r.ended_at', 'is', null)
    .orderBy('r.id')
    .limit(options.limit);
  if (options.afterId !== undefined) q = q.where('r.id', '>', options.afterId);
  return q.execute();
}

export async function listOpenRadiusSessionIdsOfCitizen(db: Executor, citizenId: string): Promise<string[]> {
  const rows = await radiusDb(db)
    .selectFrom('radius_sessions as r')
    .innerJoin('portal_usage_sessions as u', 'u.id', 'r.id')
    .select('r.id as id')
    .where('u.citizen_id', '=', citizenId)
    .where('r.ended_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export async function listOpenRadiusSessionsOfClient(db: Executor, clientId: string): Promise<RadiusSessionRow[]> {
  return radiusDb(db).selectFrom('radius_sessions').selectAll().where('client_id', '=', clientId).where('ended_at', 'is', null).execute();
}

export async function radiusSessionIdsAmong(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const rows = await radiusDb(db).selectFrom('radius_sessions').select('id').where('id', 'in', ids.slice(i, i + 200)).execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

export async function findRadiusSessionById(db: Executor, id: string): Promise<RadiusSessionRow | undefined> {
  return radiusDb(db).selectFrom('radius_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface RadiusSessionView {
  id: string;
  client_id: string;
  client_name: string | null;
  hotspot_id: string;
  hotspot_user: string;
  framed_ip: string | null;
  started_at: number;
  ended_at: number | null;
  last_update_ms: number;
  uptime_s: number;
  bytes_in: number;
  bytes_out: number;
  terminate_cause: number | null;
}

export async function listRadiusSessionViews(db: Executor, options: { open: boolean; limit: number; offset: number }): Promise<RadiusSessionView[]> {
  let q = radiusDb(db)
    .selectFrom('radius_sessions as r')
    .innerJoin('portal_usage_sessions as u', 'u.id', 'r.id')
    .leftJoin('radius_clients as c', 'c.id', 'r.client_id')
    .select([
      'r.id as id',
      'r.client_id as client_id',
      'c.name as client_name',
      'r.hotspot_id as hotspot_id',
      'u.hotspot_user as hotspot_user',
      'r.framed_ip as framed_ip',
      'r.started_at as started_at',
      'r.ended_at as ended_at',
      'r.last_update_ms as last_update_ms',
      'u.uptime_s as uptime_s',
      'u.bytes_in as bytes_in',
      'u.bytes_out as bytes_out',
      'r.terminate_cause as terminate_cause',
    ])
    .orderBy('r.started_at', 'desc')
    .orderBy('r.id')
    .limit(options.limit)
    .offset(options.offset);
  if (options.open) q = q.where('r.ended_at', 'is', null);
  return q.execute();
}

/** Sessions whose NAS went quiet (no interim for a long time): their Stop was lost. */
export async function listSilentRadiusSessions(db: Executor, quietSinceMs: number, limit: number): Promise<RadiusSessionRow[]> {
  return radiusDb(db).selectFrom('radius_sessions').selectAll().where('ended_at', 'is', null).where('last_update_ms', '<', quietSinceMs).limit(limit).execute();
}

/** UU PDP: a deleted citizen's User-Names (a MAC, a voucher code) go from the RADIUS rows of their sessions. */
export async function scrubRadiusUsersOfSessions(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await radiusDb(db).updateTable('radius_sessions').set({ user_sealed: null }).where('id', 'in', [...ids]).execute();
}

export async function radiusSessionIdsOfCitizen(db: Executor, citizenId: string): Promise<string[]> {
  const rows = await radiusDb(db)
    .selectFrom('radius_sessions as r')
    .innerJoin('portal_usage_sessions as u', 'u.id', 'r.id')
    .select('r.id as id')
    .where('u.citizen_id', '=', citizenId)
    .execute();
  return rows.map((r) => r.id);
}

// ---- Disconnect / CoA ----------------------------------------------------------------------------------------

export async function insertCoaRequest(db: Executor, row: CoaRequestRow): Promise<void> {
  await radiusDb(db).insertInto('radius_coa_requests').values(row).execute();
}

/** A request of this kind for this session still waiting or answered since `sinceMs` (no second one is queued). */
export async function findRecentCoaRequest(db: Executor, sessionId: string, kind: string, sinceMs: number): Promise<CoaRequestRow | undefined> {
  return radiusDb(db)
    .selectFrom('radius_coa_requests')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('kind', '=', kind)
    .where((eb) => eb.or([eb('status', 'in', ['queued', 'sending']), eb('requested_at', '>=', sinceMs)]))
    .orderBy('requested_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Claims up to `limit` queued requests for this server process: each is taken by exactly one process even when
 * several run (the conditional update). Requests claimed by a process that died are taken again after `staleMs`.
 */
export async function claimCoaRequests(db: Executor, node: string, nowMs: number, limit: number, staleMs: number): Promise<CoaRequestRow[]> {
  const p = radiusDb(db);
  const candidates = await p
    .selectFrom('radius_coa_requests')
    .select(['id', 'status', 'claimed_by'])
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'sending'), eb('sent_at', '<', nowMs - staleMs)])]))
    .orderBy('requested_at')
    .limit(limit)
    .execute();
  const out: CoaRequestRow[] = [];
  for (const c of candidates) {
    let q = p.updateTable('radius_coa_requests').set({ status: 'sending', claimed_by: node, sent_at: nowMs }).where('id', '=', c.id).where('status', '=', c.status);
    q = c.claimed_by === null ? q.where('claimed_by', 'is', null) : q.where('claimed_by', '=', c.claimed_by);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue;
    const row = await p.selectFrom('radius_coa_requests').selectAll().where('id', '=', c.id).executeTakeFirst();
    if (row !== undefined) out.push(row);
  }
  return out;
}

export async function finishCoaRequest(db: Executor, id: string, patch: Partial<Omit<CoaRequestRow, 'id'>>): Promise<void> {
  await radiusDb(db).updateTable('radius_coa_requests').set(patch).where('id', '=', id).execute();
}

export async function findCoaRequest(db: Executor, id: string): Promise<CoaRequestRow | undefined> {
  return radiusDb(db).selectFrom('radius_coa_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listCoaRequests(db: Executor, options: { limit: number; offset: number }): Promise<Array<CoaRequestRow & { client_name: string | null }>> {
  return radiusDb(db)
    .selectFrom('radius_coa_requests as q')
    .leftJoin('radius_clients as c', 'c.id', 'q.client_id')
    .selectAll('q')
    .select('c.name as client_name')
    .orderBy('q.requested_at', 'desc')
    .orderBy('q.id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}

// ---- figures -------------------------------------------------------------------------------------------------

export async function upsertRadiusStats(db: Executor, rows: readonly RadiusStatsRow[]): Promise<void> {
  for (const row of rows) {
    const { minute_ms: _m, node: _n, ...rest } = row;
    await radiusDb(db)
      .insertInto('radius_stats')
      .values(row)
      .onConflict((oc) => oc.columns(['minute_ms', 'node']).doUpdateSet(rest))
      .execute();
  }
}

export async function listRadiusStats(db: Executor, fromMs: number): Promise<RadiusStatsRow[]> {
  return radiusDb(db).selectFrom('radius_stats').selectAll().where('minute_ms', '>=', fromMs).orderBy('minute_ms').execute();
}

/** Retention: ended RADIUS sessions whose usage row is gone, old requests and figures. */
export async function purgeRadiusData(db: Executor, options: { sessionsBeforeMs: number; requestsBeforeMs: number; statsBeforeMs: number }): Promise<number> {
  const p = radiusDb(db);
  let n = Number(
    (
      await p
        .deleteFrom('radius_sessions')
        .where('ended_at', '<', options.sessionsBeforeMs)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('portal_usage_sessions as u').select('u.id').whereRef('u.id', '=', 'radius_sessions.id'))))
        .executeTakeFirst()
    ).numDeletedRows,
  );
  n += Number((await p.deleteFrom('radius_coa_requests').where('requested_at', '<', options.requestsBeforeMs).executeTakeFirst()).numDeletedRows);
  n += Number((await p.deleteFrom('radius_stats').where('minute_ms', '<', options.statsBeforeMs).executeTakeFirst()).numDeletedRows);
  return n;
}
