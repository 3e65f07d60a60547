/**
 * The portal's rules as a network access server (RADIUS, issue 16) asks for them: the few functions through which
 * server/radius reaches citizens, vouchers, grants and usage. Each sign-in ends in a grant (the same rows the portal
 * writes), so fair use (daily time and data, devices at once, voucher quotas) is one rule set whatever the vendor.
 *
 * - authorizePortalUser: a `jk-...` user the portal handed to the browser at a RADIUS hotspot (PAP or CHAP).
 * - authorizeVoucher: a voucher code typed as the user name on the gateway's own login page.
 * - authorizeReturningDevice: MAC authentication of a device that signed in here within the policy's days.
 * - allowanceOf: what a citizen has left now (the RADIUS limit check uses it to disconnect).
 * - openNasUsage / updateNasUsage: accounting into portal_usage_sessions, adopting a row a RouterOS poll made.
 */
import { newId } from '../../crypto/random.ts';
import { deleteCitizen, findCitizen, touchCitizen } from '../queries/identity.ts';
import { findLatestGrantOfDevice, findLatestGrantOfUser, findNasVoucherByHash, findNasVoucherOfCitizen, nasFacts, relabelUsageSession, type NasFacts, type NasVoucher } from '../queries/nas.ts';
import type { PortalHotspotRow } from '../queries/hotspots.ts';
import { findOpenPollSession } from '../../db/radius.ts';
import { findCitizenOfHotspotUser, insertGrant, insertUsageSessions, listLiveDeviceKeys, updateUsageSession, type GrantRow, type UsageSessionRow } from '../queries/usage.ts';
import { redeemVoucher } from '../queries/vouchers.ts';
import type { Executor, ServiceCtx } from '../../deps.ts';
import { portalHash } from '../pure/portal-keys.ts';
import { newCitizen } from './citizen-session.ts';
import { cityDay, DEVICE_PURPOSE, openGrantPassword } from './grant-access.ts';
import { VOUCHER_PURPOSE } from './sign-in.ts';

export type NasRefusal = 'unknown_user' | 'bad_password' | 'expired' | 'revoked' | 'quota_time' | 'quota_data' | 'devices';

export interface NasGrant {
  grantId: string;
  citizenId: string;
  /** The hotspot user name the usage rows carry (`jk-...`). */
  user: string;
  timeS: number;
  /** Bytes left, 0 = no data limit. */
  bytes: number;
  rateLimit: string | null;
}

export type NasDecision = { ok: true; grant: NasGrant } | { ok: false; refusal: NasRefusal };

const MIN_SESSION_S = 60;

/** Keyed hash of a device's MAC, the same the portal counts devices by (lower-case, colons). */
export function deviceKeyOfMac(ctx: Pick<ServiceCtx, 'secrets'>, mac: string): Promise<string> {
  return portalHash(ctx.secrets, mac, DEVICE_PURPOSE);
}

/** Keyed hash of a NAS user name (a voucher code or a MAC may be one): what RADIUS rows keep instead of it. */
export function nasUserHash(ctx: Pick<ServiceCtx, 'secrets'>, userName: string): Promise<string> {
  return portalHash(ctx.secrets, userName, 'nas-user');
}

const voucherHashes = new WeakMap<object, Map<string, string>>();

/** The voucher look-up hash, remembered for the last few thousand codes (a reconnect asks again for the same). */
async function voucherHash(ctx: Pick<ServiceCtx, 'secrets'>, code: string): Promise<string> {
  let m = voucherHashes.get(ctx.secrets);
  if (m === undefined) {
    m = new Map();
    voucherHashes.set(ctx.secrets, m);
  }
  const hit = m.get(code);
  if (hit !== undefined) return hit;
  const h = await ctx.secrets.keyedHash(code, VOUCHER_PURPOSE);
  if (m.size >= 5000) m.delete(m.keys().next().value as string);
  m.set(code, h);
  return h;
}

/** Time and bytes left from the facts (pure): the daily allowance and, for a voucher citizen, the voucher's caps. */
export function allowanceFrom(
  hotspot: Pick<PortalHotspotRow, 'daily_time_s' | 'daily_bytes'>,
  voucher: NasVoucher | null,
  facts: Pick<NasFacts, 'dayUptimeS' | 'dayBytes' | 'sinceUptimeS' | 'sinceBytes'>,
  nowMs: number,
): { ok: true; timeS: number; bytes: number } | { ok: false; refusal: NasRefusal } {
  let timeS = hotspot.daily_time_s - facts.dayUptimeS;
  const daily = Number(hotspot.daily_bytes);
  let bytes = daily > 0 ? daily - facts.dayBytes : Number.POSITIVE_INFINITY;
  if (voucher !== null) {
    if (voucher.revoked_at !== null) return { ok: false, refusal: 'revoked' };
    if (voucher.valid_until !== null && voucher.valid_until <= nowMs) return { ok: false, refusal: 'expired' };
    timeS = Math.min(timeS, voucher.batch.time_quota_s - facts.sinceUptimeS);
    if (voucher.valid_until !== null) timeS = Math.min(timeS, Math.floor((voucher.valid_until - nowMs) / 1000));
    if (voucher.batch.data_quota_bytes > 0) bytes = Math.min(bytes, voucher.batch.data_quota_bytes - facts.sinceBytes);
  }
  if (timeS < MIN_SESSION_S) return { ok: false, refusal: 'quota_time' };
  if (bytes <= 0) return { ok: false, refusal: 'quota_data' };
  return { ok: true, timeS, bytes };
}

/**
 * What a citizen has left at this hotspot now: the daily allowance, and for a voucher citizen the voucher's time
 * quota, validity and data quota. `bytes` is Infinity when no data limit applies.
 */
export async function allowanceOf(
  ctx: ServiceCtx,
  hotspot: Pick<PortalHotspotRow, 'daily_time_s' | 'daily_bytes'>,
  citizenId: string,
): Promise<{ ok: true; timeS: number; bytes: number } | { ok: false; refusal: NasRefusal }> {
  const now = ctx.clock.nowMs();
  const voucher = (await findNasVoucherOfCitizen(ctx.db, ctx.dialect, citizenId)) ?? null;
  const facts = await nasFacts(ctx.db, ctx.dialect, { citizenId, day: cityDay(now), sinceMs: voucher?.redeemed_at ?? now, nowMs: now });
  return allowanceFrom(hotspot, voucher, facts, now);
}

function toNasGrant(g: Pick<GrantRow, 'id' | 'citizen_id' | 'hotspot_user' | 'expires_at'>, hotspot: Pick<PortalHotspotRow, 'rate_limit'>, left: { timeS: number; bytes: number }, nowMs: number): NasGrant {
  const grantLeftS = Math.floor((Number(g.expires_at) - nowMs) / 1000);
  return {
    grantId: g.id,
    citizenId: g.citizen_id,
    user: g.hotspot_user,
    timeS: Math.max(0, Math.min(left.timeS, grantLeftS)),
    bytes: Number.isFinite(left.bytes) ? Math.floor(left.bytes) : 0,
    rateLimit: hotspot.rate_limit,
  };
}

/** A `jk-...` user handed to the browser by the portal at this hotspot; `verify` checks the password (PAP or CHAP). */
export async function authorizePortalUser(ctx: ServiceCtx, hotspot: PortalHotspotRow, userName: string, verify: (password: string) => boolean): Promise<NasDecision> {
  const grant = await findLatestGrantOfUser(ctx.db, hotspot.id, userName);
  if (grant === undefined || grant.password_sealed === null || grant.password_sealed === undefined) return { ok: false, refusal: 'unknown_user' };
  const password = await openGrantPassword(ctx, grant.id, grant.password_sealed);
  if (!verify(password)) return { ok: false, refusal: 'bad_password' };
  const now = ctx.clock.nowMs();
  if (Number(grant.expires_at) - now < MIN_SESSION_S * 1000) return { ok: false, refusal: 'expired' };
  const left = await allowanceOf(ctx, hotspot, grant.citizen_id);
  if (!left.ok) return left;
  return { ok: true, grant: toNasGrant(grant, hotspot, left, now) };
}

/** A new grant for a NAS sign-in, or the running one of this device today (a reconnect writes nothing). */
async function grantFor(ctx: ServiceCtx, hotspot: PortalHotspotRow, citizenId: string, deviceKey: string, method: 'voucher' | 'mac', voucher: NasVoucher | null): Promise<NasDecision> {
  const now = ctx.clock.nowMs();
  const day = cityDay(now);
  const facts = await nasFacts(ctx.db, ctx.dialect, { citizenId, day, sinceMs: voucher?.redeemed_at ?? now, nowMs: now, device: { key: deviceKey, hotspotId: hotspot.id } });
  const left = allowanceFrom(hotspot, voucher, facts, now);
  if (!left.ok) return left;
  const running = facts.running;
  if (running !== null && running.expires_at - now >= MIN_SESSION_S * 1000) return { ok: true, grant: toNasGrant({ ...running, citizen_id: citizenId }, hotspot, left, now) };
  const live = await listLiveDeviceKeys(ctx.db, citizenId, now);
  if (!live.includes(deviceKey) && live.length >= hotspot.max_devices) return { ok: false, refusal: 'devices' };
  const id = newId();
  const row: GrantRow = {
    id,
    citizen_id: citizenId,
    hotspot_id: hotspot.id,
    method,
    hotspot_user: `jk-${id.slice(0, 20)}`,
    device_key: deviceKey,
    day,
    granted_at: now,
    expires_at: now + left.timeS * 1000,
    limit_uptime_s: left.timeS,
    limit_bytes: Number.isFinite(left.bytes) ? Math.floor(left.bytes) : 0,
    // No user exists on the router: the gateway asks RADIUS, so the sweep has nothing to remove.
    user_removed: 1,
  };
  await insertGrant(ctx.db, row);
  await touchCitizen(ctx.db, citizenId, now);
  return { ok: true, grant: toNasGrant(row, hotspot, left, now) };
}

/**
 * A voucher code as the user name. The first use redeems it (a new voucher citizen; the conditional update makes a
 * second first-use lose cleanly even when both arrive at once); later uses are the same citizen on up to the
 * hotspot's device limit. `deviceMac` is the Calling-Station-Id, normalised.
 */
export async function authorizeVoucher(ctx: ServiceCtx, hotspot: PortalHotspotRow, code: string, deviceMac: string | null): Promise<NasDecision> {
  const hash = await voucherHash(ctx, code);
  // One decision per voucher at a time in this process: the redemption, the device count and the grant are read
  // then written, and simultaneous first uses (a phone and a laptop, a NAS retrying) must see each other's rows.
  return oneAtATime(hash, () => authorizeVoucherNow(ctx, hotspot, hash, deviceMac));
}

const voucherQueues = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = voucherQueues.get(key) ?? Promise.resolve();
  const mine = before.then(work, work);
  const tail = mine.catch(() => undefined);
  voucherQueues.set(key, tail);
  void tail.then(() => {
    if (voucherQueues.get(key) === tail) voucherQueues.delete(key);
  });
  return mine;
}

async function authorizeVoucherNow(ctx: ServiceCtx, hotspot: PortalHotspotRow, hash: string, deviceMac: string | null): Promise<NasDecision> {
  let found = await findNasVoucherByHash(ctx.db, ctx.dialect, hash);
  if (found === undefined || (found.batch.hotspot_id !== null && found.batch.hotspot_id !== hotspot.id)) return { ok: false, refusal: 'unknown_user' };
  if (found.revoked_at !== null) return { ok: false, refusal: 'revoked' };
  const now = ctx.clock.nowMs();
  if (found.redeemed_at === null) {
    if (found.batch.expires_at <= now) return { ok: false, refusal: 'expired' };
    const citizen = await newCitizen(ctx, 'voucher');
    const validUntil = now + found.batch.validity_s * 1000;
    if (await redeemVoucher(ctx.db, found.id, citizen.id, now, validUntil)) {
      found = { ...found, citizen_id: citizen.id, redeemed_at: now, valid_until: validUntil };
    } else {
      await deleteCitizen(ctx.db, citizen.id);
      found = await findNasVoucherByHash(ctx.db, ctx.dialect, hash);
      if (found === undefined || found.citizen_id === null) return { ok: false, refusal: 'unknown_user' };
    }
  }
  const deviceKey = deviceMac === null ? await portalHash(ctx.secrets, `voucher:${found.id}`, DEVICE_PURPOSE) : await deviceKeyOfMac(ctx, deviceMac);
  return grantFor(ctx, hotspot, found.citizen_id as string, deviceKey, 'voucher', found);
}

/** MAC authentication: a device with a grant at this hotspot in the last `days` comes back as the same citizen. */
export async function authorizeReturningDevice(ctx: ServiceCtx, hotspot: PortalHotspotRow, mac: string, days: number): Promise<NasDecision> {
  if (days <= 0) return { ok: false, refusal: 'unknown_user' };
  const deviceKey = await deviceKeyOfMac(ctx, mac);
  const last = await findLatestGrantOfDevice(ctx.db, hotspot.id, deviceKey, ctx.clock.nowMs() - days * 86_400_000);
  if (last === undefined || (await findCitizen(ctx.db, last.citizen_id)) === undefined) return { ok: false, refusal: 'unknown_user' };
  const voucher = (await findNasVoucherOfCitizen(ctx.db, ctx.dialect, last.citizen_id)) ?? null;
  return grantFor(ctx, hotspot, last.citizen_id, deviceKey, 'mac', voucher);
}

/** The citizen behind a grant id echoed in Class, or behind a hotspot user name (accounting without Class). */
export async function citizenOfNasUser(ctx: Pick<ServiceCtx, 'db'>, hotspotId: string, user: string): Promise<string | undefined> {
  return findCitizenOfHotspotUser(ctx.db, hotspotId, user);
}

export interface NasUsageOpen {
  hotspotId: string;
  wardCode: string | null;
  citizenId: string | null;
  /** The user name the usage row shows (a grant's `jk-...` name; never a voucher code or a MAC). */
  label: string;
  /** The NAS's User-Name, to adopt a row a RouterOS poll made for the same login. */
  nasUser: string;
  address: string;
  startedAtMs: number;
}

/**
 * The usage row of a new RADIUS session: a row the RouterOS poll opened for this login is adopted (so a session
 * seen both ways counts once), else a new one. Returns its id.
 */
export async function openNasUsage(trx: Executor, s: NasUsageOpen): Promise<{ id: string; adopted: boolean }> {
  const poll = await findOpenPollSession(trx, s.hotspotId, s.nasUser);
  if (poll !== undefined) return { id: poll.id, adopted: true };
  const row: UsageSessionRow = {
    id: newId(),
    hotspot_id: s.hotspotId,
    ward_code: s.wardCode,
    citizen_id: s.citizenId,
    hotspot_user: s.label.slice(0, 64),
    address: s.address.slice(0, 45),
    day: cityDay(s.startedAtMs),
    started_at: s.startedAtMs,
    ended_at: null,
    uptime_s: 0,
    bytes_in: 0,
    bytes_out: 0,
  };
  await insertUsageSessions(trx, [row]);
  return { id: row.id, adopted: false };
}

/** Counters only move forward (a late or repeated packet changes nothing); an ended row stays ended. */
export async function updateNasUsage(
  trx: Executor,
  id: string,
  cur: Pick<UsageSessionRow, 'uptime_s' | 'bytes_in' | 'bytes_out' | 'ended_at'>,
  next: { uptimeS: number; bytesIn: number; bytesOut: number; endedAtMs: number | null },
  relabel?: { user: string; citizenId: string | null },
): Promise<void> {
  const patch = {
    uptime_s: Math.max(cur.uptime_s, next.uptimeS),
    bytes_in: Math.max(Number(cur.bytes_in), next.bytesIn),
    bytes_out: Math.max(Number(cur.bytes_out), next.bytesOut),
    ended_at: cur.ended_at ?? next.endedAtMs,
  };
  await updateUsageSession(trx, id, patch);
  if (relabel !== undefined) await relabelUsageSession(trx, id, relabel.user.slice(0, 64), relabel.citizenId);
}
