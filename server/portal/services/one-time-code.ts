/**
 * Phone sign-in by one-time code: six digits, valid five minutes, stored only as a keyed hash bound to the code's id,
 * compared in constant time, at most 3 codes per number and 10 per client address every 15 minutes, and locked after
 * 5 wrong tries for the number (across codes) for an hour. A code works once.
 */
import { constantTimeEqual, newId } from '../../crypto/random.ts';
import { consumeOtp, findCitizenByPhoneHash, findOpenOtp, insertOtp, reserveOtpAttempt } from '../queries/identity.ts';
import { hitRateLimit, peekRateLimit, releaseRateLimit, reserveRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import type { Key } from '../pure/i18n.ts';
import { maskPhone, normalizePhone } from '../pure/phone.ts';
import { saveFlow, type LoadedFlow } from './flow.ts';
import { deliverSms, PHONE_PURPOSE } from './sms-gateway.ts';
import { clientAddressHash } from './portal-limits.ts';

export const OTP_TTL_MS = 5 * 60_000;
export const OTP_MAX_WRONG = 5;
const OTP_PURPOSE = 'portal-otp';
const WINDOW_MS = 15 * 60_000;
const LOCK_WINDOW_MS = 60 * 60_000;
const PER_NUMBER = 3;
const PER_ADDRESS = 10;

export type OtpRequestResult = { ok: true; masked: string; delayed: boolean } | { ok: false; key: Key; vars?: Record<string, string | number> };
export type OtpVerifyResult =
  | { ok: true; citizenId: string | null; phoneHash: string; phoneSealed: string }
  | { ok: false; key: Key; vars?: Record<string, string | number> };

function sixDigits(): string {
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const v = buf[0] as number;
    if (v < 4_294_000_000) return String(v % 1_000_000).padStart(6, '0');
  }
}

async function codeHash(ctx: Pick<ServiceCtx, 'secrets'>, otpId: string, code: string): Promise<string> {
  return ctx.secrets.keyedHash(`${otpId}:${code}`, OTP_PURPOSE);
}

export async function requestOtp(ctx: ServiceCtx, flow: LoadedFlow, input: { phone: string; lang: 'id' | 'en' }): Promise<OtpRequestResult> {
  const phone = normalizePhone(input.phone);
  if (phone === null) return { ok: false, key: 'errPhone' };
  const now = ctx.clock.nowMs();
  const phoneHash = await ctx.secrets.keyedHash(phone, PHONE_PURPOSE);
  if ((await peekRateLimit(ctx.db, `portal-otp-fail:${phoneHash}`, LOCK_WINDOW_MS, now)) >= OTP_MAX_WRONG) return { ok: false, key: 'errOtpLocked' };
  const byNumber = await hitRateLimit(ctx.db, `portal-otp-phone:${phoneHash}`, WINDOW_MS, now);
  const byAddress = await hitRateLimit(ctx.db, `portal-otp-ip:${await clientAddressHash(ctx)}`, WINDOW_MS, now);
  if (byNumber.hits > PER_NUMBER || byAddress.hits > PER_ADDRESS) {
    const waitMin = Math.ceil((Math.max(byNumber.windowStart, byAddress.windowStart) + WINDOW_MS - now) / 60_000);
    return { ok: false, key: 'errOtpRate', vars: { min: waitMin } };
  }
  const code = sixDigits();
  const id = newId();
  await insertOtp(ctx.db, { id, flow_id: flow.row.id, phone_hash: phoneHash, code_hash: await codeHash(ctx, id, code), attempts: 0, created_at: now, expires_at: now + OTP_TTL_MS, used_at: null });
  const text = input.lang === 'en' ? `Cilegon Wi-Fi code: ${code} (valid 5 minutes). Never share it.` : `Kode Wi-Fi Cilegon: ${code} (berlaku 5 menit). Jangan berikan ke siapa pun.`;
  const sent = await deliverSms(ctx, { to: phone, text, purpose: 'otp', expiresAtMs: now + OTP_TTL_MS });
  // Issue 14: no code will come (cap reached, gateway refused for good): say so, and the page offers the voucher path.
  if (sent.status === 'capped') return { ok: false, key: 'errSmsCap' };
  if (sent.status === 'failed') return { ok: false, key: 'errSms' };
  flow.data.phoneSealed = await ctx.secrets.seal(phone, PHONE_PURPOSE);
  await saveFlow(ctx, flow, { state: flow.row.hotspot_id === '' ? 'data_otp' : 'otp_sent', phone_hash: phoneHash });
  // Queued: the first attempt failed and the background job tries again while the code is valid.
  return { ok: true, masked: maskPhone(phone), delayed: sent.status === 'queued' };
}

export async function verifyOtp(ctx: ServiceCtx, flow: LoadedFlow, input: { code: string }): Promise<OtpVerifyResult> {
  const now = ctx.clock.nowMs();
  const otp = await findOpenOtp(ctx.db, flow.row.id);
  if (otp === undefined) return { ok: false, key: 'errOtpUsed' };
  const failKey = `portal-otp-fail:${otp.phone_hash}`;
  if (Number(otp.expires_at) <= now) return { ok: false, key: 'errOtpExpired' };
  // Reserve-then-check (issue 10): the try is counted on the code and on the number before the code is compared,
  // each in one atomic statement, so concurrent guesses get at most OTP_MAX_WRONG comparisons between them.
  const attempt = await reserveOtpAttempt(ctx.db, otp.id, OTP_MAX_WRONG);
  if (attempt === null) return { ok: false, key: 'errOtpLocked' };
  const byNumber = await reserveRateLimit(ctx.db, failKey, OTP_MAX_WRONG, LOCK_WINDOW_MS, now);
  if (!byNumber.allowed) return { ok: false, key: 'errOtpLocked' };
  const submitted = input.code.replace(/\s/g, '').slice(0, 12);
  const matches = /^\d{6}$/.test(submitted) && constantTimeEqual(await codeHash(ctx, otp.id, submitted), otp.code_hash);
  if (!matches) {
    const left = OTP_MAX_WRONG - Math.max(attempt, byNumber.hits);
    if (left <= 0) return { ok: false, key: 'errOtpLocked' };
    return { ok: false, key: 'errOtpWrong', vars: { n: left } };
  }
  // A right code is not a wrong try for the number.
  await releaseRateLimit(ctx.db, byNumber);
  if (!(await consumeOtp(ctx.db, otp.id, now))) return { ok: false, key: 'errOtpUsed' };
  const citizen = await findCitizenByPhoneHash(ctx.db, otp.phone_hash);
  return { ok: true, citizenId: citizen?.id ?? null, phoneHash: otp.phone_hash, phoneSealed: flow.data.phoneSealed ?? '' };
}
