/**
 * The ways a citizen signs in, each ending in grantAccess: accepting the terms (short session), a one-time code sent
 * to a phone, a voucher, or a returning citizen's portal session. Every method starts a fresh portal session.
 */

import { findVoucherByHash, redeemVoucher } from '../queries/vouchers.ts';
import { clearRateLimit, hitRateLimit, peekRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import type { Key } from '../pure/i18n.ts';
import { normalizeVoucherCode } from '../pure/voucher-code.ts';
import { citizenOfSession, newCitizen, newPortalSession, recordConsent, rotateSession } from './citizen-session.ts';
import { hotspotMethods } from './hotspots.ts';
import { citizenOfDeviceToday, flushPending, grantAccess, type GrantOutcome, type PendingWrites } from './grant-access.ts';
import { isoAt } from '../../../core/time.ts';
import { newId, sha256Hex } from '../../crypto/random.ts';
import { claimFlow, insertFlow, releaseFlow, updateFlow } from '../queries/flows.ts';
import { clientAddressHash, releaseLimits, reserveGrant } from './portal-limits.ts';
import { deletePortalSession, findCitizen, insertCitizen, insertConsent, insertPortalSession, listConsents, touchCitizen } from '../queries/identity.ts';
import { TERMS_VERSION } from '../pure/i18n.ts';
import { usedFlowVars, type LoadedFlow } from './flow.ts';
import { verifyOtp } from './one-time-code.ts';
import { usageOfCitizen } from '../queries/usage.ts';

export type SignInResult = { outcome: GrantOutcome; sessionToken: string | null };

export const VOUCHER_PURPOSE = 'portal-voucher';
const VOUCHER_FAIL_WINDOW_MS = 15 * 60_000;
const VOUCHER_FAIL_MAX = 10;

function refused(key: Key, vars?: Record<string, string | number>): SignInResult {
  return { outcome: { kind: 'refused', key, ...(vars === undefined ? {} : { vars }) }, sessionToken: null };
}

/** States of a hotspot flow that may still end in a grant; a flow that granted (or is granting) may not again. */
export const GRANTABLE_STATES = ['start', 'otp_sent'] as const;

export function flowMayGrant(flow: LoadedFlow): boolean {
  return (GRANTABLE_STATES as readonly string[]).includes(flow.row.state);
}

function retryMinutes(retryAfterS: number): number {
  return Math.max(1, Math.ceil(retryAfterS / 60));
}

/**
 * Issue 10: a flow grants once. It is claimed by one conditional UPDATE (of simultaneous replays exactly one wins),
 * then the grant budgets of the client address and the hotspot are reserved, all before any citizen, consent or
 * grant is written. When the sign-in is refused after all, the flow and the budgets are given back, so the citizen
 * can try again on the same page; a refusal after the grant was written (the router failed) keeps the budget spent.
 */
async function withClaimedFlow(ctx: ServiceCtx, flow: LoadedFlow, run: () => Promise<SignInResult>): Promise<SignInResult> {
  const before = flow.row.state;
  // The claim also drops the client's MAC, address and destination from the stored flow (UU PDP): this request
  // carries them in memory; a refusal puts them back.
  if (!flowMayGrant(flow) || !(await claimFlow(ctx.db, flow.row.id, GRANTABLE_STATES, usedFlowVars(flow.data)))) return refused('errFlowUsed');
  const budget = await reserveGrant(ctx, flow.row.hotspot_id);
  if (!budget.ok) {
    await releaseFlow(ctx.db, flow.row.id, before, JSON.stringify(flow.data));
    return refused('errBusy', { min: retryMinutes(budget.retryAfterS) });
  }
  flow.row.state = 'granted';
  const giveBack = async (granted: boolean): Promise<void> => {
    flow.row.state = before;
    await releaseFlow(ctx.db, flow.row.id, before, JSON.stringify(flow.data));
    if (!granted) await releaseLimits(ctx, budget.held);
  };
  let r: SignInResult;
  try {
    r = await run();
  } catch (err) {
    await giveBack(false);
    throw err;
  }
  if (r.outcome.kind === 'refused') await giveBack(r.outcome.granted === true);
  // The claim dropped the device's MAC from the flow, so the grant is linked to it here: the success page's speed
  // test (issue 14) finds the running grant of this browser through its flow.
  else if (flow.row.grant_id !== null) await updateFlow(ctx.db, flow.row.id, { grant_id: flow.row.grant_id, citizen_id: flow.row.citizen_id });
  return r;
}

function methodAllowed(flow: LoadedFlow, method: 'terms' | 'otp' | 'voucher'): boolean {
  return flow.hotspot !== null && hotspotMethods(flow.hotspot).includes(method);
}

export async function signInWithTerms(ctx: ServiceCtx, flow: LoadedFlow, input: { accepted: boolean; sessionToken: string | undefined }): Promise<SignInResult> {
  if (!methodAllowed(flow, 'terms')) return refused('errMethod');
  if (!input.accepted) return refused('errConsent');
  return withClaimedFlow(ctx, flow, () => termsSignIn(ctx, flow, input));
}

async function termsSignIn(ctx: ServiceCtx, flow: LoadedFlow, input: { sessionToken: string | undefined }): Promise<SignInResult> {
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

/**
 * The terms sign-in in the hand-off itself (issue 14): the hotspot's login page carried the citizen's consent
 * (`accept=yes` with the terms version they were shown), so one request does what two did. The flow, citizen,
 * consent, grant and portal session are written in one transaction; the router is provisioned after it commits.
 * `flow` comes from prepareFlow and is not in the database yet.
 */
export async function signInWithTermsAtHandoff(ctx: ServiceCtx, flow: LoadedFlow, input: { sessionToken: string | undefined }): Promise<SignInResult> {
  const pending: PendingWrites = { writes: [(db) => insertFlow(db, flow.row)], done: false };
  if (!methodAllowed(flow, 'terms')) {
    await flushPending(ctx, pending);
    return refused('errMethod');
  }
  // Issue 10: the grant budgets of this address and hotspot, before any citizen is made. The flow is new (its token
  // was minted by this request), so it cannot have granted before; it is written as used with the grant.
  const budget = await reserveGrant(ctx, flow.row.hotspot_id);
  if (!budget.ok) {
    await flushPending(ctx, pending);
    return refused('errBusy', { min: retryMinutes(budget.retryAfterS) });
  }
  pending.writes[0] = (db) => insertFlow(db, pending.granting === true ? { ...flow.row, state: 'granted', vars: usedFlowVars(flow.data) } : flow.row);
  const now = ctx.clock.nowMs();
  const known = await citizenOfSession(ctx, input.sessionToken);
  const fromDevice = known === null ? await citizenOfDeviceToday(ctx, flow) : undefined;
  const isKnown = known !== null || (fromDevice !== undefined && (await findCitizen(ctx.db, fromDevice)) !== undefined);
  const citizenId = known?.id ?? (isKnown ? (fromDevice as string) : newId());
  if (!isKnown) pending.writes.push((db) => insertCitizen(db, { id: citizenId, kind: 'terms', phone_hash: null, phone_sealed: null, created_at: isoAt(now), last_seen_at: now }));
  else pending.writes.push((db) => touchCitizen(db, citizenId, now));
  const consented = isKnown && (await listConsents(ctx.db, [citizenId])).some((c) => c.terms_version === TERMS_VERSION);
  if (!consented) pending.writes.push((db) => insertConsent(db, { id: newId(), citizen_id: citizenId, terms_version: TERMS_VERSION, accepted_at: isoAt(now) }));
  const session = newPortalSession(ctx, citizenId);
  pending.writes.push((db) => insertPortalSession(db, session.row));
  if (input.sessionToken !== undefined && /^[a-z2-7]{32}$/.test(input.sessionToken)) {
    const old = sha256Hex(input.sessionToken);
    pending.writes.push((db) => deletePortalSession(db, old));
  }
  const outcome = await grantAccess(ctx, flow, { citizenId, method: 'terms', isNew: !isKnown, pending });
  if (outcome.kind === 'refused') {
    // The new session was written with the grant only if the grant was; a refusal before that wrote none of it.
    await deletePortalSession(ctx.db, session.row.id);
    if (outcome.granted !== true) await releaseLimits(ctx, budget.held);
    return { outcome, sessionToken: null };
  }
  flow.row.state = 'granted';
  return { outcome, sessionToken: session.token };
}

/** One click for a citizen whose portal session is still valid (after a phone or voucher sign-in). */
export async function signInWithSession(ctx: ServiceCtx, flow: LoadedFlow, input: { sessionToken: string | undefined }): Promise<SignInResult | null> {
  const citizen = await citizenOfSession(ctx, input.sessionToken);
  if (citizen === null || citizen.kind === 'terms') return null;
  if (citizen.kind === 'voucher') return null;
  if (!methodAllowed(flow, 'otp')) return refused('errMethod');
  return withClaimedFlow(ctx, flow, async () => {
    await recordConsent(ctx, citizen.id, { known: true });
    const outcome = await grantAccess(ctx, flow, { citizenId: citizen.id, method: 'session' });
    if (outcome.kind === 'refused') return { outcome, sessionToken: null };
    return { outcome, sessionToken: await rotateSession(ctx, citizen.id, input.sessionToken) };
  });
}

export async function signInWithVoucher(
  ctx: ServiceCtx,
  flow: LoadedFlow,
  input: { code: string; accepted: boolean; sessionToken: string | undefined },
): Promise<SignInResult> {
  if (!methodAllowed(flow, 'voucher')) return refused('errMethod');
  if (!input.accepted) return refused('errConsent');
  const now = ctx.clock.nowMs();
  // The address only as a keyed hash (issue 10, UU PDP): rate_limits keeps no client address in clear.
  const failKey = `portal-voucher-fail:${await clientAddressHash(ctx)}`;
  if ((await peekRateLimit(ctx.db, failKey, VOUCHER_FAIL_WINDOW_MS, now)) >= VOUCHER_FAIL_MAX) return refused('errVoucherRate');
  const code = normalizeVoucherCode(input.code);
  const found = code === null ? undefined : await findVoucherByHash(ctx.db, await ctx.secrets.keyedHash(code, VOUCHER_PURPOSE));
  if (found === undefined || (found.batch.hotspot_id !== null && found.batch.hotspot_id !== flow.hotspot?.id)) {
    await hitRateLimit(ctx.db, failKey, VOUCHER_FAIL_WINDOW_MS, now);
    return refused('errVoucher');
  }
  // Issue 16: a revoked voucher signs nobody in again.
  if (found.revoked_at !== null && found.revoked_at !== undefined) return refused('errVoucher');
  return withClaimedFlow(ctx, flow, () => voucherSignIn(ctx, flow, found, { failKey, now, sessionToken: input.sessionToken }));
}

async function voucherSignIn(
  ctx: ServiceCtx,
  flow: LoadedFlow,
  found: NonNullable<Awaited<ReturnType<typeof findVoucherByHash>>>,
  input: { failKey: string; now: number; sessionToken: string | undefined },
): Promise<SignInResult> {
  const { failKey, now } = input;
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
  // A used flow has no open code, so a replay is refused by verifyOtp in the citizen's terms ("code already used").
  const v = await verifyOtp(ctx, flow, { code: input.code });
  if (!v.ok) return refused(v.key, v.vars);
  return withClaimedFlow(ctx, flow, () => otpSignIn(ctx, flow, v, input));
}

async function otpSignIn(ctx: ServiceCtx, flow: LoadedFlow, v: { citizenId: string | null; phoneHash: string; phoneSealed: string }, input: { sessionToken: string | undefined }): Promise<SignInResult> {
  const citizenId = v.citizenId ?? (await newCitizen(ctx, 'phone', { hash: v.phoneHash, sealed: v.phoneSealed })).id;
  delete flow.data.phoneSealed;
  await recordConsent(ctx, citizenId, { known: v.citizenId !== null });
  const outcome = await grantAccess(ctx, flow, { citizenId, method: 'otp' });
  if (outcome.kind === 'refused') return { outcome, sessionToken: null };
  return { outcome, sessionToken: await rotateSession(ctx, citizenId, input.sessionToken) };
}
