/** Issue 14: messages through the HTTP SMS gateway and their delivery status. Numbers only sealed or as a keyed hash. */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalSmsMessagesTable } from './types.ts';

export type SmsMessageRow = PortalSmsMessagesTable;

export async function insertSmsMessage(db: Executor, row: SmsMessageRow): Promise<void> {
  await portalDb(db).insertInto('portal_sms_messages').values(row).execute();
}

export async function findSmsMessage(db: Executor, id: string): Promise<SmsMessageRow | undefined> {
  return portalDb(db).selectFrom('portal_sms_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Queued messages whose next attempt is due, oldest first. */
export async function listDueSmsMessages(db: Executor, nowMs: number, limit: number): Promise<SmsMessageRow[]> {
  return portalDb(db)
    .selectFrom('portal_sms_messages')
    .selectAll()
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', nowMs)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/**
 * Takes a due message for one attempt: moves its next attempt to `leaseUntilMs` only if nobody else did since it was
 * read, so of several processes draining at once one sends it.
 */
export async function claimSmsMessage(db: Executor, id: string, seenNextAttemptAt: number, leaseUntilMs: number): Promise<boolean> {
  const r = await portalDb(db)
    .updateTable('portal_sms_messages')
    .set({ next_attempt_at: leaseUntilMs })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .where('next_attempt_at', '=', seenNextAttemptAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateSmsMessage(db: Executor, id: string, set: Partial<Omit<SmsMessageRow, 'id'>>): Promise<void> {
  await portalDb(db).updateTable('portal_sms_messages').set(set).where('id', '=', id).execute();
}

/** Newest first, for the console (no number, no text). */
export async function listSmsMessages(db: Executor, limit: number): Promise<SmsMessageRow[]> {
  return portalDb(db).selectFrom('portal_sms_messages').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

/** Messages counted against the day's cost cap and how many of them went out. */
export async function smsDayFigures(db: Executor, day: string): Promise<{ counted: number; sent: number; failed: number; queued: number; costIdr: number }> {
  const rows = await portalDb(db)
    .selectFrom('portal_sms_messages')
    .select(['status', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(price_idr), 0)`.as('cost')])
    .where('cost_day', '=', day)
    .groupBy('status')
    .execute();
  const out = { counted: 0, sent: 0, failed: 0, queued: 0, costIdr: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    out[r.status] += n;
    if (r.status !== 'failed') {
      out.counted += n;
      out.costIdr += Number(r.cost);
    }
  }
  return out;
}

export async function deleteSmsMessagesOfPhone(db: Executor, phoneHash: string): Promise<void> {
  await portalDb(db).deleteFrom('portal_sms_messages').where('phone_hash', '=', phoneHash).execute();
}

/** Status rows older than `beforeMs` go (their sealed parts are gone already once final). */
export async function purgeSmsMessages(db: Executor, beforeMs: number): Promise<number> {
  const r = await portalDb(db).deleteFrom('portal_sms_messages').where('created_at', '<', beforeMs).where('status', '<>', 'queued').executeTakeFirst();
  return Number(r.numDeletedRows);
}
