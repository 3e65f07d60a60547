/**
 * Portal look-ups a network access server's sign-in needs (RADIUS, issue 16): a grant by its hotspot user, a grant
 * to reuse for the same device today, a device's last grant (MAC authentication), a citizen's voucher, revocation.
 */
import { CompiledQuery } from 'kysely';
import type { Executor } from '../../db/types.ts';
import { portalDb } from './types.ts';
import type { GrantRow, UsageSessionRow } from './usage.ts';

export async function findLatestGrantOfUser(db: Executor, hotspotId: string, hotspotUser: string): Promise<GrantRow | undefined> {
  return portalDb(db)
    .selectFrom('portal_grants')
    .selectAll()
    .where('hotspot_id', '=', hotspotId)
    .where('hotspot_user', '=', hotspotUser)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The device's most recent grant at this hotspot since `sinceMs` (MAC authentication of a returning device). */
export async function findLatestGrantOfDevice(db: Executor, hotspotId: string, deviceKey: string, sinceMs: number): Promise<GrantRow | undefined> {
  return portalDb(db)
    .selectFrom('portal_grants')
    .selectAll()
    .where('device_key', '=', deviceKey)
    .where('hotspot_id', '=', hotspotId)
    .where('granted_at', '>=', sinceMs)
    .orderBy('granted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Revokes vouchers of a batch (all, or by sequence number / code hash); returns the citizens who had redeemed them. */
export async function revokeVouchers(db: Executor, batchId: string, select: { seqs?: number[]; codeHashes?: string[] }, nowMs: number): Promise<{ revoked: number; citizenIds: string[] }> {
  const p = portalDb(db);
  let q = p.selectFrom('portal_vouchers').select(['id', 'citizen_id']).where('batch_id', '=', batchId).where('revoked_at', 'is', null);
  if (select.seqs !== undefined || select.codeHashes !== undefined) {
    const seqs = select.seqs ?? [];
    const hashes = select.codeHashes ?? [];
    q = q.where((eb) => eb.or([...(seqs.length > 0 ? [eb('seq', 'in', seqs)] : []), ...(hashes.length > 0 ? [eb('code_hash', 'in', hashes)] : []), ...(seqs.length + hashes.length === 0 ? [eb.val(false)] : [])]));
  }
  const rows = await q.execute();
  for (let i = 0; i < rows.length; i += 200) {
    await p
      .updateTable('portal_vouchers')
      .set({ revoked_at: nowMs })
      .where('id', 'in', rows.slice(i, i + 200).map((r) => r.id))
      .execute();
  }
  return { revoked: rows.length, citizenIds: rows.map((r) => r.citizen_id).filter((c): c is string => c !== null) };
}

/** Ends a citizen's running grants now (their hotspot users are then swept off the routers). */
export async function expireGrantsOfCitizen(db: Executor, citizenId: string, nowMs: number): Promise<void> {
  await portalDb(db).updateTable('portal_grants').set({ expires_at: nowMs }).where('citizen_id', '=', citizenId).where('expires_at', '>', nowMs).execute();
}

export async function findUsageSession(db: Executor, id: string): Promise<UsageSessionRow | undefined> {
  return portalDb(db).selectFrom('portal_usage_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A usage row adopted from a RouterOS poll takes the grant's user name and citizen. */
export async function relabelUsageSession(db: Executor, id: string, user: string, citizenId: string | null): Promise<void> {
  await portalDb(db)
    .updateTable('portal_usage_sessions')
    .set({ hotspot_user: user, ...(citizenId === null ? {} : { citizen_id: citizenId }) })
    .where('id', '=', id)
    .execute();
}

export async function deleteUsageSession(db: Executor, id: string): Promise<void> {
  await portalDb(db).deleteFrom('portal_usage_sessions').where('id', '=', id).execute();
}

// ---- the hot path of a NAS sign-in: two round trips (voucher, then usage + running grant) ----------------------

/** What a NAS sign-in needs of a voucher and its batch. */
export interface NasVoucher {
  id: string;
  citizen_id: string | null;
  redeemed_at: number | null;
  valid_until: number | null;
  revoked_at: number | null;
  batch: { hotspot_id: string | null; expires_at: number; validity_s: number; time_quota_s: number; data_quota_bytes: number };
}

type Dialect = 'sqlite' | 'postgres' | 'd1';

/** `?` placeholders, numbered for Postgres. Hand-written: these run for every Access-Request. */
function raw(dialect: Dialect, text: string, params: readonly unknown[]): CompiledQuery {
  let i = 0;
  return CompiledQuery.raw(dialect === 'postgres' ? text.replace(/\?/g, () => `$${++i}`) : text, [...params]);
}

interface VoucherJoinRow {
  id: string;
  citizen_id: string | null;
  redeemed_at: number | null;
  valid_until: number | null;
  revoked_at: number | null;
  hotspot_id: string | null;
  expires_at: number;
  validity_s: number;
  time_quota_s: number;
  data_quota_bytes: number;
}

function toNasVoucher(r: VoucherJoinRow): NasVoucher {
  const n = (v: number | null): number | null => (v === null ? null : Number(v));
  return {
    id: r.id,
    citizen_id: r.citizen_id,
    redeemed_at: n(r.redeemed_at),
    valid_until: n(r.valid_until),
    revoked_at: n(r.revoked_at),
    batch: { hotspot_id: r.hotspot_id, expires_at: Number(r.expires_at), validity_s: Number(r.validity_s), time_quota_s: Number(r.time_quota_s), data_quota_bytes: Number(r.data_quota_bytes) },
  };
}

const VOUCHER_COLUMNS = 'v.id, v.citizen_id, v.redeemed_at, v.valid_until, v.revoked_at, b.hotspot_id, b.expires_at, b.validity_s, b.time_quota_s, b.data_quota_bytes';

export async function findNasVoucherByHash(db: Executor, dialect: Dialect, codeHash: string): Promise<NasVoucher | undefined> {
  const r = await db.executeQuery<VoucherJoinRow>(raw(dialect, `select ${VOUCHER_COLUMNS} from portal_vouchers v join portal_voucher_batches b on b.id = v.batch_id where v.code_hash = ?`, [codeHash]));
  return r.rows[0] === undefined ? undefined : toNasVoucher(r.rows[0]);
}

export async function findNasVoucherOfCitizen(db: Executor, dialect: Dialect, citizenId: string): Promise<NasVoucher | undefined> {
  const r = await db.executeQuery<VoucherJoinRow>(raw(dialect, `select ${VOUCHER_COLUMNS} from portal_vouchers v join portal_voucher_batches b on b.id = v.batch_id where v.citizen_id = ? limit 1`, [citizenId]));
  return r.rows[0] === undefined ? undefined : toNasVoucher(r.rows[0]);
}

export interface NasFacts {
  dayUptimeS: number;
  dayBytes: number;
  sinceUptimeS: number;
  sinceBytes: number;
  /** The device's running grant here today, when asked for. */
  running: { id: string; hotspot_user: string; expires_at: number } | null;
}

/**
 * In one round trip: the citizen's time and bytes today and since `sinceMs` (a voucher's redemption), and, when a
 * device is given, its running grant at this hotspot today.
 */
export async function nasFacts(
  db: Executor,
  dialect: Dialect,
  q: { citizenId: string; day: string; sinceMs: number; nowMs: number; device?: { key: string; hotspotId: string } },
): Promise<NasFacts> {
  const running = q.device === undefined
    ? 'null'
    : `(select g.id || '|' || g.hotspot_user || '|' || cast(g.expires_at as text) from portal_grants g where g.device_key = ? and g.day = ? and g.citizen_id = ? and g.hotspot_id = ? and g.expires_at > ? order by g.granted_at desc limit 1)`;
  const text = `select
      coalesce(sum(case when u.day = ? then u.uptime_s else 0 end), 0) as day_uptime,
      coalesce(sum(case when u.day = ? then u.bytes_in + u.bytes_out else 0 end), 0) as day_bytes,
      coalesce(sum(case when u.started_at >= ? then u.uptime_s else 0 end), 0) as since_uptime,
      coalesce(sum(case when u.started_at >= ? then u.bytes_in + u.bytes_out else 0 end), 0) as since_bytes,
      ${running} as running
    from (select 1 as one) one left join portal_usage_sessions u on u.citizen_id = ? and (u.day = ? or u.started_at >= ?)`;
  const params: unknown[] = [q.day, q.day, q.sinceMs, q.sinceMs];
  if (q.device !== undefined) params.push(q.device.key, q.day, q.citizenId, q.device.hotspotId, q.nowMs);
  params.push(q.citizenId, q.day, q.sinceMs);
  const r = await db.executeQuery<{ day_uptime: number; day_bytes: number; since_uptime: number; since_bytes: number; running: string | null }>(raw(dialect, text, params));
  const row = r.rows[0]!;
  let run: NasFacts['running'] = null;
  if (row.running !== null && row.running !== undefined) {
    const [id, user, exp] = row.running.split('|');
    run = { id: id as string, hotspot_user: user as string, expires_at: Number(exp) };
  }
  return { dayUptimeS: Number(row.day_uptime), dayBytes: Number(row.day_bytes), sinceUptimeS: Number(row.since_uptime), sinceBytes: Number(row.since_bytes), running: run };
}
