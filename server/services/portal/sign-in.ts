/**
 * The ways a citizen signs in, each ending in grantAccess: accepting the terms (short session), a one-time code sent
 * to a phone, a voucher, or a returning citizen's portal session. Every method starts a fresh portal session.
 */

import { findVoucherByHash, redeemVoucher } from '../../db/portal-vouchers.ts';
import { clearRateLimit, hitRateLimit, peekRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import type { Key } from '../../portal/i18n.ts';
import { normalizeVoucherCode } from '../../portal/voucher-code.ts';
import { citizenOfSession, newCitizen, recordConsent, rotateSession } from './citizen-session.ts';
import { hotspotMethods } from './hotspots.ts';
import { citizenOfDeviceToday, grantAccess, type GrantOutcome } from './grant-access.ts';
import type { LoadedFlow } from './flow.ts';
import { verifyOtp } from './one-time-code.ts';
import { usageOfCitizen } from '../../db/portal-usage.ts';

export type SignInResult = { outcome: GrantOutcome; sessionToken: string | null };

export const VOUCHER_PURPOSE = 'portal-voucher';
const VOUCHER_FAIL_WINDOW_MS = 15 * 60_000;
const VOUCHER_FAIL_MAX = 10;

function refused(key: Key, vars?: Record<string, string | number>): SignInResult {
  return { outcome: { kind: 'refused', key, ...(vars === undefined ? {} : { vars }) }, sessionToken: null };
}

function methodAllowed(flow: LoadedFlow, method: 'terms' | 'otp' | 'voucher'): boolean {
  return flow.hotspot !== null && hotspotMethods(flow.hotspot).includes(method);
}

export async function signInWithTerms(ctx: ServiceCtx, flow: LoadedFlow, input: { accepted: boolean; sessionToken: string | undefined }): Promise<SignInResult> {
  if (!methodAllowed(flow, 'terms')) return refused('errMethod');
  if (!input.accepted) return refused('errConsent');
  const known = await citizenOfSession(ctx, input.sessionToken);
  let citizenId = known?.id;
  if (citizenId === undefined) citizenId = await citizenOfDeviceToday(ctx, flow);
  const isKnown = citizenId !== undefined;
  if (citizenId === undefined) citizenId = (await newCitizen(ctx, 'terms')).id;
  await recordConsent(ctx, citizenId, { known: isKnown });
  const outcome = await grantAccess(ctx, flow, { citizenId, method: 'terms', isNew: !isKnown });
  if (outcome.kind === 'refused') return { outcome, sessionToken: null };
  return { outcome, sessionToken: await rotateSession(ctx, citizenId, input.sessionToken) };
}

/** One click for a citizen whose portal session is still valid (after a phone or voucher sign-in). */
export async function signInWithSession(ctx: ServiceCtx, flow: LoadedFlow, input: { sessionToken: string | undefined }): Promise<SignInResult | null> {
  const citizen = await citizenOfSession(ctx, input.sessionToken);
  if (citizen === null || citizen.kind === 'terms') return null;
  if (citizen.kind === 'voucher') return null;
  if (!methodAllowed(flow, 'otp')) return refused('errMethod');
  await recordConsent(ctx, citizen.id, { known: true });
  const outcome = await grantAccess(ctx, flow, { citizenId: citizen.id, method: 'session' });
  if (outcome.kind === 'refused') return { outcome, sessionToken: null };
  return { outcome, sessionToken: await rotateSession(ctx, citizen.id, input.sessionToken) };
}

export async function signInWithVoucher(
  ctx: ServiceCtx,
  flow: LoadedFlow,
  input: { code: string; accepted: boolean; sessionToken: string | undefined },
): Promise<SignInResult> {
  if (!methodAllowed(flow, 'voucher')) return refused('errMethod');
  if (!input.accepted) return refused('errConsent');
  const now = ctx.clock.nowMs();
  const failKey = `portal-voucher-fail:${ctx.clientAddress}`;
  if ((await peekRateLimit(ctx.db, failKey, VOUCHER_FAIL_WINDOW_MS, now)) >= VOUCHER_FAIL_MAX) return refused('errVoucherRate');
  const code = normalizeVoucherCode(input.code);
  const found = code === null ? undefined : await findVoucherByHash(ctx.db, await ctx.secrets.keyedHash(code, VOUCHER_PURPOSE));
  if (found === undefined || (found.batch.hotspot_id !== null && found.batch.hotspot_id !== flow.hotspot?.id)) {
    await hitRateLimit(ctx.db, failKey, VOUCHER_FAIL_WINDOW_MS, now);
    return refused('errVoucher');
  }
  // Issue 16: a revoked voucher signs nobody in again.
  if (found.revoked_at !== null && found.revoked_at !== undefined) return refused('errVoucher');
  const batch = found.batch;
  let citizenId: string;
  let sinceMs: number;
  if (found.redeemed_at === null) {
    if (Number(batch.expires_at) <= now) return refused('errVoucherExpired');
    const citizen = await newCitizen(ctx, 'voucher');
    // The conditional update makes a second redemption fail even when two arrive at once.
    if (!(await redeemVoucher(ctx.db, found.id, citizen.id, now, now + batch.validity_s * 1000))) return refused('errVoucherUsed');
    citizenId = citizen.id;
    sinceMs = now;
  } else {
    // Only the device that redeemed it (its portal session) may come back with it: no replay by anyone else.
    const holder = await citizenOfSession(ctx, input.sessionToken);
    if (holder === null || holder.id !== found.citizen_id) return refused('errVoucherUsed');
    if (found.valid_until !== null && Number(found.valid_until) <= now) return refused('errVoucherExpired');
    citizenId = holder.id;
    sinceMs = Number(found.redeemed_at);
  }
  await recordConsent(ctx, citizenId, { known: found.redeemed_at !== null });
  const used = await usageOfCitizen(ctx.db, citizenId, { sinceMs });
  const validLeftS = Math.floor(((found.valid_until === null ? now + batch.validity_s * 1000 : Number(found.valid_until)) - now) / 1000);
  const capTimeS = Math.min(batch.time_quota_s - used.uptimeS, validLeftS);
  const quota = Number(batch.data_quota_bytes);
  if (quota > 0 && quota - used.bytes <= 0) return refused('errQuotaData');
  await clearRateLimit(ctx.db, failKey);
  const outcome = await grantAccess(ctx, flow, { citizenId, method: 'voucher', capTimeS, ...(quota > 0 ? { capBytes: quota - used.bytes } : {}) });
  if (outcome.kind === 'refused') return { outcome, sessionToken: null };
  return { outcome, sessionToken: await rotateSession(ctx, citizenId, input.sessionToken) };
}


export async function signInWithOtp(ctx: ServiceCtx, flow: LoadedFlow, input: { code: string; sessionToken: string | undefined }): Promise<SignInResult> {
  if (!methodAllowed(flow, 'otp')) return refused('errMethod');
  const v = await verifyOtp(ctx, flow, { code: input.code });
  if (!v.ok) return refused(v.key, v.vars);
  const citizenId = v.citizenId ?? (await newCitizen(ctx, 'phone', { hash: v.phoneHash, sealed: v.phoneSealed })).id;
  delete flow.data.phoneSealed;
  await recordConsent(ctx, citizenId, { known: v.citizenId !== null });
  const outcome = await grantAccess(ctx, flow, { citizenId, method: 'otp' });
  if (outcome.kind === 'refused') return { outcome, sessionToken: null };
  return { outcome, sessionToken: await rotateSession(ctx, citizenId, input.sessionToken) };
}
