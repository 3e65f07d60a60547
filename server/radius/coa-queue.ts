/**
 * Disconnect-Request and CoA-Request (RFC 5176) as queued rows: any runtime (a staff click on Workers, a citizen
 * deleting their data, the limit check) asks by writing a row; the process running the RADIUS server sends it to the
 * NAS and records the answer (ACK, NAK with its Error-Cause, or no answer). A session with a request of the same
 * kind still pending, or answered in the last minute, gets no second one.
 */
import { AppError } from '../../core/errors.ts';
import { isoAt } from '../../core/time.ts';
import { newId } from '../crypto/random.ts';
import { findCoaRequest, findRadiusSessionById, findRecentCoaRequest, insertCoaRequest, listCoaRequests, listOpenRadiusSessionIdsOfCitizen, radiusSessionIdsOfCitizen, scrubRadiusUsersOfSessions, type CoaRequestRow } from '../db/radius.ts';
import type { Executor, ServiceCtx } from '../deps.ts';
import { recordAudit } from '../services/audit/record-audit.ts';
import { ERROR_CAUSES } from './protocol/dictionary.ts';

export const TARGET_PURPOSE = 'radius-coa-target';
export const USER_SEAL_PURPOSE = 'radius-session-user';
export type CoaKind = 'disconnect' | 'coa';
export type CoaReason = 'quota_time' | 'quota_data' | 'expired' | 'voucher_revoked' | 'citizen_deleted' | 'staff';

/** What identifies the session at the NAS, and (CoA) what changes. */
export interface CoaTarget {
  userName: string;
  acctSessionId: string;
  framedIp: string | null;
  change?: { rateLimit?: string; sessionTimeoutS?: number };
}

type Ctx = Pick<ServiceCtx, 'secrets' | 'clock' | 'actor'>;

/** Queues a request for one open RADIUS session; null when the session is not open or one is pending already. */
export async function queueCoa(ctx: Ctx, db: Executor, sessionId: string, kind: CoaKind, reason: CoaReason, change?: CoaTarget['change']): Promise<CoaRequestRow | null> {
  const s = await findRadiusSessionById(db, sessionId);
  if (s === undefined || s.ended_at !== null || s.user_sealed === null) return null;
  const now = ctx.clock.nowMs();
  if (reason !== 'staff' && (await findRecentCoaRequest(db, sessionId, kind, now - 60_000)) !== undefined) return null;
  const target: CoaTarget = { userName: await ctx.secrets.open(s.user_sealed, USER_SEAL_PURPOSE), acctSessionId: s.acct_session_id, framedIp: s.framed_ip, ...(change === undefined ? {} : { change }) };
  const row: CoaRequestRow = {
    id: newId(),
    session_id: sessionId,
    client_id: s.client_id,
    kind,
    reason,
    target_sealed: await ctx.secrets.seal(JSON.stringify(target), TARGET_PURPOSE),
    status: 'queued',
    attempts: 0,
    requested_at: now,
    requested_by: ctx.actor?.userId ?? null,
    claimed_by: null,
    sent_at: null,
    answered_at: null,
    answer_code: null,
    error_cause: null,
    error: null,
  };
  await insertCoaRequest(db, row);
  return row;
}

/**
 * A citizen's open RADIUS sessions are disconnected (data deleted, voucher revoked). With `forget`, the User-Names
 * kept for their sessions go at once: the queued requests carry their own sealed copy until sent.
 */
export async function disconnectCitizen(ctx: Ctx, db: Executor, citizenId: string, reason: CoaReason, options: { forget?: boolean } = {}): Promise<number> {
  let n = 0;
  for (const id of await listOpenRadiusSessionIdsOfCitizen(db, citizenId)) if ((await queueCoa(ctx, db, id, 'disconnect', reason)) !== null) n++;
  if (options.forget === true) await scrubRadiusUsersOfSessions(db, await radiusSessionIdsOfCitizen(db, citizenId));
  return n;
}

export interface CoaRequestOut {
  id: string;
  sessionId: string;
  clientId: string;
  clientName: string | null;
  kind: string;
  reason: string;
  status: string;
  attempts: number;
  requestedAt: string;
  sentAt: string | null;
  answeredAt: string | null;
  answer: string | null;
  errorCause: number | null;
  errorCauseName: string | null;
  error: string | null;
}

const ANSWERS: Record<number, string> = { 41: 'Disconnect-ACK', 42: 'Disconnect-NAK', 44: 'CoA-ACK', 45: 'CoA-NAK' };

export function toCoaOut(r: CoaRequestRow & { client_name?: string | null }): CoaRequestOut {
  return {
    id: r.id,
    sessionId: r.session_id,
    clientId: r.client_id,
    clientName: r.client_name ?? null,
    kind: r.kind,
    reason: r.reason,
    status: r.status,
    attempts: r.attempts,
    requestedAt: isoAt(Number(r.requested_at)),
    sentAt: r.sent_at === null ? null : isoAt(Number(r.sent_at)),
    answeredAt: r.answered_at === null ? null : isoAt(Number(r.answered_at)),
    answer: r.answer_code === null ? null : (ANSWERS[r.answer_code] ?? `code ${r.answer_code}`),
    errorCause: r.error_cause,
    errorCauseName: r.error_cause === null ? null : (ERROR_CAUSES[r.error_cause] ?? null),
    error: r.error,
  };
}

/**
 * Staff disconnect (kick) or change a live session. The request is queued and the answer awaited for up to
 * `waitMs` (the RADIUS server process records it); after that the caller sees it still queued or sending.
 */
export async function staffCoa(ctx: ServiceCtx, sessionId: string, kind: CoaKind, change: CoaTarget['change'] | undefined, waitMs: number): Promise<CoaRequestOut> {
  const row = await queueCoa(ctx, ctx.db, sessionId, kind, 'staff', change);
  if (row === null) throw new AppError('conflict', 'this session is not open (or not a RADIUS session)');
  await recordAudit(ctx, ctx.db, { action: kind === 'disconnect' ? 'disconnect' : 'change_of_authorization', entity: 'radius_session', entityId: sessionId, detail: { request: row.id } });
  // Wall time, not the domain clock: this is how long the caller is kept waiting.
  const until = Date.now() + waitMs;
  let cur: CoaRequestRow = row;
  while ((cur.status === 'queued' || cur.status === 'sending') && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    cur = (await findCoaRequest(ctx.db, row.id)) ?? cur;
  }
  return toCoaOut(cur);
}

export async function listCoa(ctx: ServiceCtx, page: { limit: number; offset: number }): Promise<{ items: CoaRequestOut[] }> {
  return { items: (await listCoaRequests(ctx.db, page)).map(toCoaOut) };
}
