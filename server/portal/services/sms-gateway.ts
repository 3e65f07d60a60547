/**
 * How one-time codes reach phones (issue 14).
 *
 * - The development outbox (`kind: 'outbox'`, the default): the message is stored sealed in portal_sms_outbox for the
 *   console to show. For development and demos only: nothing reaches a phone.
 * - A generic HTTP gateway (`kind: 'http'`): any SMS or WhatsApp API that takes one HTTP request per message
 *   (Zenziva, Fonnte, Wablas presets in `portal/sms-request.ts`). Each message is a row in portal_sms_messages with
 *   its status (queued, sent, failed with a reason). The first attempt is made in the citizen's request, so they
 *   learn at once whether the code is on its way; retries with back-off are made by the `sms-delivery` background job,
 *   never in a request, and stop when the code would have expired. A daily cost cap (messages x price) is reserved
 *   before the message exists, atomically, and refused beyond it; the first refusal of a day is logged for staff.
 *
 * The number and the text are sealed in the row while it may still be sent and wiped when it is final. Logs and
 * failure reasons never carry the number, the text or the request URL (a GET gateway puts the number in it).
 */
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../crypto/random.ts';
import { insertOutbox, listOutbox } from '../queries/identity.ts';
import type { z } from 'zod';
import type { smsMessagesOut, smsTestOut } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import { claimSmsMessage, findSmsMessage, insertSmsMessage, listDueSmsMessages, listSmsMessages, smsDayFigures, updateSmsMessage, type SmsMessageRow } from '../queries/sms.ts';
import { normalizePhone } from '../pure/phone.ts';
import { recordAudit } from '../../services/audit/record-audit.ts';
import { hitRateLimit, releaseRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import { buildSmsRequest, judgeAnswer } from '../pure/sms-request.ts';
import { channelFetch, checkChannelUrl } from '../../services/alerts/outbound-check.ts';
import { notifySmsCapReached } from '../../services/alerts/dispatch.ts';
import { cityDay } from './grant-access.ts';
import { getPortalSettings, openSmsSecrets, type HttpSmsSetting } from './settings.ts';

export interface SmsMessage {
  /** E.164, e.g. +6281234567890. */
  to: string;
  text: string;
}

export const PHONE_PURPOSE = 'portal-phone';
export const OUTBOX_PURPOSE = 'portal-sms-body';
const MESSAGE_PURPOSE = 'portal-sms-message';
/** Attempts per message, first included. */
export const SMS_MAX_ATTEMPTS = 5;
/** Back-off before attempt n+1 (after n failed): 15 s, 30 s, 60 s, 120 s. */
export const smsBackoffMs = (failedAttempts: number): number => 15_000 * 2 ** Math.max(0, failedAttempts - 1);
/** How long a drainer holds a message it is sending before another may take it. */
const CLAIM_MS = 60_000;
/** Answer bodies are read up to this size for the success test. */
const MAX_ANSWER_BYTES = 64 * 1024;

export type SmsOutcome =
  | { status: 'sent'; id: string | null }
  | { status: 'queued'; id: string; reason: string }
  | { status: 'failed'; id: string; reason: string }
  | { status: 'capped' };

/** The development outbox: the message is kept (sealed) for the console instead of being sent. */
export async function sendToOutbox(ctx: Pick<ServiceCtx, 'db' | 'secrets' | 'clock'>, message: SmsMessage): Promise<void> {
  await insertOutbox(ctx.db, {
    id: newId(),
    phone_hash: await ctx.secrets.keyedHash(message.to, PHONE_PURPOSE),
    phone_sealed: await ctx.secrets.seal(message.to, PHONE_PURPOSE),
    body_sealed: await ctx.secrets.seal(message.text, OUTBOX_PURPOSE),
    created_at: ctx.clock.nowMs(),
  });
}

const capKey = (day: string): string => `portal-sms-day:${day}`;

/**
 * Counts one message against the day's cap, or refuses it. The key names the city day, so its window never rolls
 * (pinned at 0): one counter per day, incremented and read in one statement (reserve-then-check, issue 10).
 */
async function reserveCost(ctx: ServiceCtx, s: HttpSmsSetting, day: string): Promise<boolean> {
  // Every message of the day is counted (with or without a cap), so a cap set at noon counts the morning too.
  const r = await hitRateLimit(ctx.db, capKey(day), 1, 0);
  if (s.dailyCapIdr === null || s.pricePerMessageIdr <= 0) return true;
  const limit = Math.floor(s.dailyCapIdr / s.pricePerMessageIdr);
  if (r.hits <= limit) return true;
  await releaseRateLimit(ctx.db, { key: capKey(day), windowStart: 0 });
  // Staff hear of it once a day per cap (a log line per refused citizen would drown the log; a cap raised and
  // reached again the same day is told again): in the log, on the console's banner and through the alert channels.
  const told = await hitRateLimit(ctx.db, `portal-sms-cap-told:${day}:${limit}`, 1, 0);
  if (told.hits === 1) {
    const cap = { day, capIdr: s.dailyCapIdr, pricePerMessageIdr: s.pricePerMessageIdr, messages: limit };
    ctx.log.warn('SMS daily cost cap reached: codes are refused until midnight WIB, citizens are offered vouchers', cap);
    ctx.defer(notifySmsCapReached(ctx, cap));
  }
  return false;
}

/** A network failure in words, without the URL (a GET gateway carries the number in it). */
function networkReason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (err instanceof AppError) return `refused by the outbound policy: ${err.message}`;
  return typeof code === 'string' ? `network error (${code})` : 'network error';
}

async function readBounded(res: Response): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.byteLength;
  }
  return new TextDecoder().decode(all.subarray(0, MAX_ANSWER_BYTES));
}

/** One HTTP attempt. Never throws: a peer's fault is a result. */
async function attemptOnce(ctx: ServiceCtx, s: HttpSmsSetting, message: SmsMessage): Promise<{ ok: true } | { ok: false; reason: string; retry: boolean }> {
  let status: number;
  let body: string;
  try {
    // The outbound policy is checked again at send time (issue 10: an address may have become forbidden).
    await checkChannelUrl(ctx, s.url, 'sms.url');
    const { headers, secrets } = await openSmsSecrets(ctx, s);
    const req = buildSmsRequest(s, headers, secrets, message);
    const f = await channelFetch(ctx);
    const res = await f(req.url, { method: req.method, headers: req.headers, ...(req.body === null ? {} : { body: req.body }), redirect: 'manual', signal: AbortSignal.timeout(s.timeoutMs) });
    status = res.status;
    body = await readBounded(res);
  } catch (err) {
    return { ok: false, reason: networkReason(err), retry: true };
  }
  return judgeAnswer(s, status, body);
}

/** Records one attempt's result on the row; gives the cost back when the message failed for good. */
async function settle(ctx: ServiceCtx, row: SmsMessageRow, result: { ok: true } | { ok: false; reason: string; retry: boolean }): Promise<SmsOutcome> {
  const now = ctx.clock.nowMs();
  const attempts = row.attempts + 1;
  if (result.ok) {
    await updateSmsMessage(ctx.db, row.id, { status: 'sent', attempts, sent_at: now, last_error: null, phone_sealed: null, body_sealed: null });
    return { status: 'sent', id: row.id };
  }
  const next = now + smsBackoffMs(attempts);
  if (result.retry && attempts < SMS_MAX_ATTEMPTS && next < Number(row.expires_at)) {
    await updateSmsMessage(ctx.db, row.id, { status: 'queued', attempts, next_attempt_at: next, last_error: result.reason });
    return { status: 'queued', id: row.id, reason: result.reason };
  }
  await failForGood(ctx, row, attempts, result.reason);
  return { status: 'failed', id: row.id, reason: result.reason };
}

async function failForGood(ctx: ServiceCtx, row: SmsMessageRow, attempts: number, reason: string): Promise<void> {
  await updateSmsMessage(ctx.db, row.id, { status: 'failed', attempts, last_error: reason, phone_sealed: null, body_sealed: null, price_idr: 0 });
  if (row.cost_day !== null) await releaseRateLimit(ctx.db, { key: capKey(row.cost_day), windowStart: 0 });
  ctx.log.warn('SMS not delivered', { message: row.id, attempts, reason });
}

/**
 * Sends one message the way the settings say. With the HTTP gateway: reserve the cost, store the message, try once
 * now; a failure worth retrying is left queued for the background job (`drainSmsQueue`).
 */
export async function deliverSms(ctx: ServiceCtx, message: SmsMessage & { purpose: string; expiresAtMs: number }): Promise<SmsOutcome> {
  const settings = await getPortalSettings(ctx);
  if (settings.sms.kind === 'outbox') {
    await sendToOutbox(ctx, message);
    return { status: 'sent', id: null };
  }
  const s = settings.sms;
  const now = ctx.clock.nowMs();
  const day = cityDay(now);
  if (!(await reserveCost(ctx, s, day))) return { status: 'capped' };
  const row: SmsMessageRow = {
    id: newId(),
    phone_hash: await ctx.secrets.keyedHash(message.to, PHONE_PURPOSE),
    phone_sealed: null,
    body_sealed: null,
    purpose: message.purpose,
    status: 'queued',
    attempts: 0,
    next_attempt_at: now + CLAIM_MS,
    expires_at: message.expiresAtMs,
    cost_day: day,
    price_idr: s.pricePerMessageIdr,
    last_error: null,
    created_at: now,
    sent_at: null,
  };
  row.phone_sealed = await ctx.secrets.seal(message.to, `${MESSAGE_PURPOSE}:${row.id}`);
  row.body_sealed = await ctx.secrets.seal(message.text, `${MESSAGE_PURPOSE}:${row.id}`);
  await insertSmsMessage(ctx.db, row);
  return settle(ctx, row, await attemptOnce(ctx, s, message));
}

/**
 * The `sms-delivery` background job: one more attempt for each due message (claimed first, so several processes
 * never send one twice); a message past its code's expiry fails as `expired` without being sent.
 */
export async function drainSmsQueue(ctx: ServiceCtx, options: { max?: number } = {}): Promise<{ attempted: number; sent: number; failed: number }> {
  const now = ctx.clock.nowMs();
  const due = await listDueSmsMessages(ctx.db, now, options.max ?? 50);
  const out = { attempted: 0, sent: 0, failed: 0 };
  if (due.length === 0) return out;
  const settings = await getPortalSettings(ctx);
  for (const seen of due) {
    if (!(await claimSmsMessage(ctx.db, seen.id, Number(seen.next_attempt_at), now + CLAIM_MS))) continue;
    const row = (await findSmsMessage(ctx.db, seen.id)) as SmsMessageRow;
    if (Number(row.expires_at) <= now || row.phone_sealed === null || row.body_sealed === null) {
      await failForGood(ctx, row, row.attempts, 'expired before it could be sent');
      out.failed++;
      continue;
    }
    if (settings.sms.kind !== 'http') {
      await failForGood(ctx, row, row.attempts, 'the HTTP gateway was switched off');
      out.failed++;
      continue;
    }
    const message = {
      to: await ctx.secrets.open(row.phone_sealed, `${MESSAGE_PURPOSE}:${row.id}`),
      text: await ctx.secrets.open(row.body_sealed, `${MESSAGE_PURPOSE}:${row.id}`),
    };
    out.attempted++;
    const r = await settle(ctx, row, await attemptOnce(ctx, settings.sms, message));
    if (r.status === 'sent') out.sent++;
    else if (r.status === 'failed') out.failed++;
  }
  return out;
}

/** The console's view: today's count and cost against the cap, and the latest messages' status. */
export async function smsDeliveryStatus(ctx: ServiceCtx, options: { limit: number }): Promise<z.infer<typeof smsMessagesOut>> {
  const settings = await getPortalSettings(ctx);
  const day = cityDay(ctx.clock.nowMs());
  const f = await smsDayFigures(ctx.db, day);
  const s = settings.sms.kind === 'http' ? settings.sms : null;
  const cap = s !== null && s.dailyCapIdr !== null && s.pricePerMessageIdr > 0 ? Math.floor(s.dailyCapIdr / s.pricePerMessageIdr) : null;
  const rows = await listSmsMessages(ctx.db, options.limit);
  return {
    today: {
      day,
      gateway: settings.sms.kind,
      ...f,
      pricePerMessageIdr: s?.pricePerMessageIdr ?? null,
      dailyCapIdr: s?.dailyCapIdr ?? null,
      capReached: cap !== null && f.counted >= cap,
    },
    items: rows.map((r) => ({
      id: r.id,
      purpose: r.purpose,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: isoAt(Number(r.created_at)),
      sentAt: r.sent_at === null ? null : isoAt(Number(r.sent_at)),
      nextAttemptAt: r.status === 'queued' ? isoAt(Number(r.next_attempt_at)) : null,
    })),
  };
}

/** "Send test" in the console: one message through the configured gateway, its outcome in words. */
export async function sendTestSms(ctx: ServiceCtx, phoneInput: string): Promise<z.infer<typeof smsTestOut>> {
  const phone = normalizePhone(phoneInput);
  if (phone === null) throw new AppError('validation_failed', 'phone: not an Indonesian mobile number (08..., +628...)', { details: [{ path: 'phone', message: 'not an Indonesian mobile number' }] });
  const r = await deliverSms(ctx, { to: phone, text: 'Tes gateway SMS Wi-Fi Cilegon dari konsol Jangkau. / Jangkau console SMS gateway test.', purpose: 'test', expiresAtMs: ctx.clock.nowMs() + 5 * 60_000 });
  await recordAudit(ctx, ctx.db, { action: 'test', entity: 'portal_sms_gateway', entityId: r.status === 'capped' ? null : r.id, detail: { status: r.status } });
  return { status: r.status, reason: r.status === 'queued' || r.status === 'failed' ? r.reason : null, messageId: r.status === 'capped' ? null : r.id };
}

/** The development outbox opened for reading (the route admits only a development server); audited, it holds codes. */
export async function readOutbox(ctx: ServiceCtx, limit: number): Promise<Array<{ id: string; at: string; to: string; text: string }>> {
  const rows = await listOutbox(ctx.db, { limit });
  const items = [];
  for (const r of rows) {
    items.push({ id: r.id, at: isoAt(Number(r.created_at)), to: await ctx.secrets.open(r.phone_sealed, PHONE_PURPOSE), text: await ctx.secrets.open(r.body_sealed, OUTBOX_PURPOSE) });
  }
  await recordAudit(ctx, ctx.db, { action: 'read', entity: 'portal_sms_outbox', entityId: null, detail: { rows: items.length } });
  return items;
}
