/**
 * Portal look-ups a network access server's sign-in needs (RADIUS, issue 16): a grant by its hotspot user, a grant
 * to reuse for the same device today, a device's last grant (MAC authentication), a citizen's voucher, revocation.
 */
import type { Executor } from './types.ts';
import { portalDb } from './portal-types.ts';
import type { GrantRow, UsageSessionRow } from './portal-usage.ts';
import type { VoucherBatchRow, VoucherRow } from './portal-vouchers.ts';

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

/** A running grant for this citizen's device at this hotspot today (a reconnect reuses it: no new row). */
export async function findRunningGrant(db: Executor, q: { citizenId: string; hotspotId: string; deviceKey: string; day: string; nowMs: number }): Promise<GrantRow | undefined> {
  return portalDb(db)
    .selectFrom('portal_grants')
    .selectAll()
    .where('device_key', '=', q.deviceKey)
    .where('day', '=', q.day)
    .where('citizen_id', '=', q.citizenId)
    .where('hotspot_id', '=', q.hotspotId)
    .where('expires_at', '>', q.nowMs)
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

export async function findVoucherOfCitizen(db: Executor, citizenId: string): Promise<(VoucherRow & { batch: VoucherBatchRow }) | undefined> {
  const p = portalDb(db);
  const v = await p.selectFrom('portal_vouchers').selectAll().where('citizen_id', '=', citizenId).limit(1).executeTakeFirst();
  if (v === undefined) return undefined;
  const batch = await p.selectFrom('portal_voucher_batches').selectAll().where('id', '=', v.batch_id).executeTakeFirst();
  return batch === undefined ? undefined : { ...v, batch };
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
