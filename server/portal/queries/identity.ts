/**
 * Identities of citizens (kept apart from connection data): citizens, consents, portal sessions, one-time codes and
 * the development SMS outbox. Phone numbers appear only sealed and as a keyed hash.
 */
import type { Executor } from '../../db/types.ts';
import {
  portalDb,
  type PortalCitizensTable,
  type PortalConsentsTable,
  type PortalOtpsTable,
  type PortalSessionsTable,
  type PortalSmsOutboxTable,
} from './types.ts';

export type PortalCitizenRow = PortalCitizensTable;
export type PortalOtpRow = PortalOtpsTable;
export type PortalConsentRow = PortalConsentsTable;
export type PortalOutboxRow = PortalSmsOutboxTable;

export async function insertCitizen(db: Executor, row: PortalCitizenRow): Promise<void> {
  await portalDb(db).insertInto('portal_citizens').values(row).execute();
}

export async function findCitizen(db: Executor, id: string): Promise<PortalCitizenRow | undefined> {
  return portalDb(db).selectFrom('portal_citizens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCitizenByPhoneHash(db: Executor, phoneHash: string): Promise<PortalCitizenRow | undefined> {
  return portalDb(db).selectFrom('portal_citizens').selectAll().where('phone_hash', '=', phoneHash).executeTakeFirst();
}

export async function touchCitizen(db: Executor, id: string, nowMs: number): Promise<void> {
  await portalDb(db).updateTable('portal_citizens').set({ last_seen_at: nowMs }).where('id', '=', id).execute();
}

export async function deleteCitizen(db: Executor, id: string): Promise<number> {
  const p = portalDb(db);
  // Issue 10 (UU PDP): everything that still names the citizen goes with them: their codes and the SMS that carried
  // them (sealed number and text), and the sign-in flows that hold their number's hash or their id (with the
  // device's MAC, address and destination).
  const citizen = await p.selectFrom('portal_citizens').select('phone_hash').where('id', '=', id).executeTakeFirst();
  if (citizen?.phone_hash != null) {
    await p.deleteFrom('portal_otps').where('phone_hash', '=', citizen.phone_hash).execute();
    await p.deleteFrom('portal_sms_outbox').where('phone_hash', '=', citizen.phone_hash).execute();
    // Issue 14: and the gateway's delivery rows of their number.
    await p.deleteFrom('portal_sms_messages').where('phone_hash', '=', citizen.phone_hash).execute();
    await p.deleteFrom('portal_flows').where('phone_hash', '=', citizen.phone_hash).execute();
  }
  await p.deleteFrom('portal_flows').where('citizen_id', '=', id).execute();
  await p.deleteFrom('portal_consents').where('citizen_id', '=', id).execute();
  await p.deleteFrom('portal_sessions').where('citizen_id', '=', id).execute();
  const r = await p.deleteFrom('portal_citizens').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function listCitizens(db: Executor, options: { limit: number; offset: number }): Promise<PortalCitizenRow[]> {
  return portalDb(db).selectFrom('portal_citizens').selectAll().orderBy('created_at').orderBy('id').limit(options.limit).offset(options.offset).execute();
}

/** Citizens not seen since `beforeMs`. */
export async function listStaleCitizenIds(db: Executor, beforeMs: number, limit: number): Promise<string[]> {
  const rows = await portalDb(db).selectFrom('portal_citizens').select('id').where('last_seen_at', '<', beforeMs).limit(limit).execute();
  return rows.map((r) => r.id);
}

export async function insertConsent(db: Executor, row: PortalConsentRow): Promise<void> {
  await portalDb(db).insertInto('portal_consents').values(row).execute();
}

export async function listConsents(db: Executor, citizenIds: readonly string[]): Promise<PortalConsentRow[]> {
  if (citizenIds.length === 0) return [];
  return portalDb(db).selectFrom('portal_consents').selectAll().where('citizen_id', 'in', citizenIds).orderBy('accepted_at').execute();
}

export async function insertPortalSession(db: Executor, row: PortalSessionsTable): Promise<void> {
  await portalDb(db).insertInto('portal_sessions').values(row).execute();
}

export async function findPortalSession(db: Executor, id: string): Promise<PortalSessionsTable | undefined> {
  return portalDb(db).selectFrom('portal_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deletePortalSession(db: Executor, id: string): Promise<void> {
  await portalDb(db).deleteFrom('portal_sessions').where('id', '=', id).execute();
}

export async function insertOtp(db: Executor, row: PortalOtpRow): Promise<void> {
  await portalDb(db).insertInto('portal_otps').values(row).execute();
}

/** The newest unused code of a flow. */
export async function findOpenOtp(db: Executor, flowId: string): Promise<PortalOtpRow | undefined> {
  return portalDb(db)
    .selectFrom('portal_otps')
    .selectAll()
    .where('flow_id', '=', flowId)
    .where('used_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Reserves one try of a code before it is compared (issue 10): one conditional UPDATE ... RETURNING, so of sixty
 * guesses at once exactly `max` get a try. Returns the try's number, or null when the code is spent or used.
 */
export async function reserveOtpAttempt(db: Executor, id: string, max: number): Promise<number | null> {
  const row = await portalDb(db)
    .updateTable('portal_otps')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('attempts', '<', max)
    .where('used_at', 'is', null)
    .returning('attempts')
    .executeTakeFirst();
  return row === undefined ? null : Number(row.attempts);
}

/** Marks the code used; false when another request used it first (no replay, even when two race). */
export async function consumeOtp(db: Executor, id: string, nowMs: number): Promise<boolean> {
  const r = await portalDb(db).updateTable('portal_otps').set({ used_at: nowMs }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertOutbox(db: Executor, row: PortalOutboxRow): Promise<void> {
  await portalDb(db).insertInto('portal_sms_outbox').values(row).execute();
}

export async function listOutbox(db: Executor, options: { limit: number; phoneHash?: string }): Promise<PortalOutboxRow[]> {
  let q = portalDb(db).selectFrom('portal_sms_outbox').selectAll();
  if (options.phoneHash !== undefined) q = q.where('phone_hash', '=', options.phoneHash);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(options.limit).execute();
}

/** Removes expired one-time codes, portal sessions and outbox messages older than `outboxBeforeMs`. */
export async function purgeExpiredIdentityRows(db: Executor, nowMs: number, outboxBeforeMs: number): Promise<number> {
  const p = portalDb(db);
  let n = 0;
  n += Number((await p.deleteFrom('portal_otps').where('expires_at', '<', nowMs - 86_400_000).executeTakeFirst()).numDeletedRows);
  n += Number((await p.deleteFrom('portal_sessions').where('expires_at', '<', nowMs).executeTakeFirst()).numDeletedRows);
  n += Number((await p.deleteFrom('portal_sms_outbox').where('created_at', '<', outboxBeforeMs).executeTakeFirst()).numDeletedRows);
  return n;
}
