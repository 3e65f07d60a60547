/**
 * Gives a signed-in citizen access at a hotspot, within the city's fair-use rules: a daily time and data allowance,
 * a maximum of devices at once, and the site's rate-limit profile. A fresh hotspot user (fresh router counters) is
 * made per grant, bound to the device's MAC, and provisioned through the HotspotProvisioner - or, where this runtime
 * cannot reach routers, queued for the on-premises collector.
 */
import type { HotspotRouterRef, HotspotUserSpec } from '../../../core/hotspot.ts';
import type { ProvisionJobPayload } from '../../../core/schemas/portal.ts';
import { newId, newSecretToken } from '../../crypto/random.ts';
import { insertProvisionJobs, listJobsOfFlow, type ProvisionJobRow } from '../queries/jobs.ts';
import { type IdentifiedHotspotRow, type PortalHotspotRow } from '../queries/hotspots.ts';
import { findCitizenOfDevice, findGrant, findLiveGrantOfDevice, insertGrant, listLiveDeviceKeys, setGrantClientAddress, usageOfCitizen, type GrantRow } from '../queries/usage.ts';
import { inTransaction } from '../../db/tx.ts';
import type { Executor } from '../../db/types.ts';
import { hotspotUsesRadius } from '../../db/radius.ts';
import type { ServiceCtx } from '../../deps.ts';
import { chapResponse, hexToBytes } from '../pure/chap.ts';
import { loginUrlFor } from '../pure/hotspot-vars.ts';
import type { Key } from '../pure/i18n.ts';
import { portalHash } from '../pure/portal-keys.ts';
import { saveFlow, type LoadedFlow } from './flow.ts';

export type GrantOutcome =
  // `granted`: a grant was written before the refusal (the router failed), so its budget stays spent.
  | { kind: 'refused'; key: Key; vars?: Record<string, string | number>; granted?: boolean }
  | { kind: 'handoff'; action: string; fields: Record<string, string> }
  | { kind: 'success'; dst: string | null; timeS: number; bytes: number }
  | { kind: 'waiting' };

export const PROVISION_DEADLINE_MS = 4000;
export const JOB_TTL_MS = 10 * 60_000;
export const DEVICE_PURPOSE = 'portal-device';
const PASSWORD_PURPOSE = 'portal-hotspot-password';
export const JOB_PURPOSE = 'portal-job';

/** A provisioning job for the on-premises collector, queued and sealed (its payload may carry a password). */
export async function queuedJobRow(ctx: ServiceCtx, o: { deviceId: string; job: ProvisionJobPayload; flowId?: string | null; createdAt: number; ttlMs: number }): Promise<ProvisionJobRow> {
  return {
    id: newId(),
    device_id: o.deviceId,
    kind: o.job.kind,
    payload_sealed: await ctx.secrets.seal(JSON.stringify(o.job), JOB_PURPOSE),
    status: 'queued',
    attempts: 0,
    flow_id: o.flowId ?? null,
    created_at: o.createdAt,
    claimed_at: null,
    claimed_by: null,
    finished_at: null,
    error: null,
    expires_at: o.createdAt + o.ttlMs,
  };
}
const GRANT_PASSWORD_PURPOSE = 'portal-grant-password';

/** The sealed password of a grant given at a RADIUS hotspot (PAP/CHAP there need the password itself). Issue 16. */
export function sealGrantPassword(ctx: Pick<ServiceCtx, 'secrets'>, grantId: string, password: string): Promise<string> {
  return ctx.secrets.seal(password, `${GRANT_PASSWORD_PURPOSE}:${grantId}`);
}

export function openGrantPassword(ctx: Pick<ServiceCtx, 'secrets'>, grantId: string, sealed: string): Promise<string> {
  return ctx.secrets.open(sealed, `${GRANT_PASSWORD_PURPOSE}:${grantId}`);
}
const WIB_OFFSET_MS = 7 * 3_600_000;

/** The calendar day in Cilegon (WIB, UTC+7): daily allowances reset at local midnight. */
export function cityDay(ms: number): string {
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** RouterOS duration text, e.g. 3725 -> "1h2m5s". */
export function routerOsDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m${s % 60}s`;
}

const deviceKeys = new WeakMap<LoadedFlow, Promise<string>>();

/** Keyed hash of the device's MAC (or address): counts devices without keeping the MAC. Computed once per request. */
export function deviceKeyOf(ctx: Pick<ServiceCtx, 'secrets'>, flow: LoadedFlow): Promise<string> {
  let k = deviceKeys.get(flow);
  if (k === undefined) {
    const h = flow.data.handoff;
    k = portalHash(ctx.secrets, h.mac ?? `ip:${h.ip ?? flow.row.id}`, DEVICE_PURPOSE);
    deviceKeys.set(flow, k);
  }
  return k;
}

/** For a terms sign-in without a cookie: the citizen this device already signed in as today here, if any. */
export async function citizenOfDeviceToday(ctx: ServiceCtx, flow: LoadedFlow): Promise<string | undefined> {
  if (flow.data.handoff.mac === null || flow.hotspot === null) return undefined;
  return findCitizenOfDevice(ctx.db, await deviceKeyOf(ctx, flow), cityDay(ctx.clock.nowMs()), flow.hotspot.id);
}

/**
 * Rows a sign-in has prepared but not written (flow, citizen, consent, portal session): grantAccess writes them in
 * one transaction with the grant (issue 14: one commit per sign-in instead of five), or alone when it refuses
 * before writing a grant, so the flow still exists for the page that explains why.
 */
export interface PendingWrites {
  writes: Array<(db: Executor) => Promise<void>>;
  done: boolean;
  /** Set just before the writes go with a grant (the flow is then written as used, so it cannot grant again). */
  granting?: boolean;
}

export async function flushPending(ctx: ServiceCtx, pending: PendingWrites | undefined, last?: (db: Executor) => Promise<void>): Promise<void> {
  if (pending === undefined || pending.done) {
    if (last !== undefined) await last(ctx.db);
    return;
  }
  pending.done = true;
  await inTransaction(ctx, async (trx) => {
    for (const w of pending.writes) await w(trx);
    if (last !== undefined) await last(trx);
  });
}

export interface GrantRequest {
  citizenId: string;
  method: 'terms' | 'otp' | 'voucher' | 'session';
  /** The citizen was created by this sign-in: no devices, no usage yet (spares two look-ups). */
  isNew?: boolean;
  /** Extra caps (vouchers): the smaller of these and the hotspot's daily allowance applies. */
  capTimeS?: number;
  capBytes?: number;
  /** Prepared rows to write in the grant's transaction. */
  pending?: PendingWrites;
}

export async function grantAccess(ctx: ServiceCtx, flow: LoadedFlow, req: GrantRequest): Promise<GrantOutcome> {
  const outcome = await grantAccessInner(ctx, flow, req);
  // Refused before a grant was written: the prepared rows (the flow above all) are still needed.
  if (outcome.kind === 'refused' && req.pending !== undefined && !req.pending.done) await flushPending(ctx, req.pending);
  return outcome;
}

async function grantAccessInner(ctx: ServiceCtx, flow: LoadedFlow, req: GrantRequest): Promise<GrantOutcome> {
  const hotspot = flow.hotspot as PortalHotspotRow;
  const now = ctx.clock.nowMs();
  const day = cityDay(now);
  const deviceKey = await deviceKeyOf(ctx, flow);
  // A hotspot with a RADIUS client asks Jangkau for this user itself: nothing to provision, no router user to sweep.
  // Known already when the hotspot was identified in this request (the one-request sign-in); looked up otherwise.
  const known = (hotspot as Partial<IdentifiedHotspotRow>).via_radius;
  const viaRadius = typeof known === 'boolean' ? known : await hotspotUsesRadius(ctx.db, hotspot.id);

  const used = req.isNew === true ? { uptimeS: 0, bytes: 0 } : await usageOfCitizen(ctx.db, req.citizenId, { day });
  const remainingTimeS = hotspot.daily_time_s - used.uptimeS;
  if (remainingTimeS < 60) return { kind: 'refused', key: 'errQuotaTime' };
  const dailyBytes = Number(hotspot.daily_bytes);
  const remainingBytes = dailyBytes > 0 ? dailyBytes - used.bytes : Number.POSITIVE_INFINITY;
  if (remainingBytes <= 0) return { kind: 'refused', key: 'errQuotaData' };

  // Issue 10: this device of this citizen already has a running hotspot user here: hand that one out again (same
  // user, same limits, nothing extended) instead of making another user on the router for every sign-in.
  const reused = req.isNew === true ? null : await reusableGrant(ctx, { citizenId: req.citizenId, hotspotId: hotspot.id, deviceKey, viaRadius, nowMs: now });
  let grant: { id: string; user: string; password: string; timeS: number; limitUptimeS: number; limitBytes: number };
  if (reused !== null) {
    grant = reused;
    if (req.pending !== undefined) req.pending.granting = true;
    await flushPending(ctx, req.pending);
    if ((reused.row.client_address ?? null) !== flow.data.handoff.ip) await setGrantClientAddress(ctx.db, reused.id, flow.data.handoff.ip);
  } else {
    const live = req.isNew === true ? [] : await listLiveDeviceKeys(ctx.db, req.citizenId, now);
    if (!live.includes(deviceKey) && live.length >= hotspot.max_devices) return { kind: 'refused', key: 'errDevices', vars: { n: hotspot.max_devices } };

    const sessionS = req.method === 'terms' ? hotspot.terms_session_s : hotspot.signed_session_s;
    const timeS = Math.min(sessionS, remainingTimeS, req.capTimeS ?? Number.POSITIVE_INFINITY);
    if (timeS < 60) return { kind: 'refused', key: 'errQuotaTime' };
    const capBytes = req.capBytes !== undefined && req.capBytes > 0 ? req.capBytes : Number.POSITIVE_INFINITY;
    const bytes = Math.min(remainingBytes, capBytes);
    if (bytes <= 0) return { kind: 'refused', key: 'errQuotaData' };
    const limitBytes = Number.isFinite(bytes) ? Math.floor(bytes) : 0;

    const grantId = newId();
    const user = `jk-${grantId.slice(0, 20)}`;
    const password = newSecretToken().slice(0, 16);
    const grantRow: GrantRow = {
      // Sealed on every grant: RADIUS checks it, and a later sign-in of the same device hands the same user out again.
      password_sealed: await sealGrantPassword(ctx, grantId, password),
      id: grantId,
      citizen_id: req.citizenId,
      hotspot_id: hotspot.id,
      method: req.method,
      hotspot_user: user,
      device_key: deviceKey,
      day,
      granted_at: now,
      expires_at: now + timeS * 1000,
      limit_uptime_s: timeS,
      limit_bytes: limitBytes,
      user_removed: viaRadius ? 1 : 0,
      client_address: flow.data.handoff.ip,
    };
    if (req.pending !== undefined) req.pending.granting = true;
    // A one-request hand-off inserts its flow in the same transaction: with the grant named, as the speed test needs.
    flow.row.grant_id = grantId;
    flow.row.citizen_id = req.citizenId;
    await flushPending(ctx, req.pending, (db) => insertGrant(db, grantRow));
    grant = { id: grantId, user, password, timeS, limitUptimeS: timeS, limitBytes };
  }
  const { id: grantId, user, password, timeS, limitBytes } = grant;
  if (viaRadius) {
    flow.row.grant_id = grantId;
    flow.row.citizen_id = req.citizenId;
    return { kind: 'handoff', ...formHandoff(flow, hotspot, user, password) };
  }

  const spec: HotspotUserSpec = {
    name: user,
    password,
    // The user's whole allowance (the router counts its uptime from the first login, also for a reused user).
    limitUptime: routerOsDuration(grant.limitUptimeS),
    comment: 'jangkau portal',
    ...(hotspot.user_profile === null ? {} : { profile: hotspot.user_profile }),
    ...(limitBytes > 0 ? { limitBytesTotal: limitBytes } : {}),
    ...(flow.data.handoff.mac === null ? {} : { macAddress: flow.data.handoff.mac }),
  };
  const router: HotspotRouterRef = { deviceId: hotspot.device_id };
  const direct = hotspot.login_mode === 'direct' && flow.data.handoff.mac !== null && flow.data.handoff.ip !== null;

  if (ctx.provisioner === null) {
    flow.data.passwordSealed = await ctx.secrets.seal(password, PASSWORD_PURPOSE);
    const jobs: ProvisionJobPayload[] = [
      {
        kind: 'upsert_user',
        user: {
          name: spec.name,
          password,
          ...(spec.profile === undefined ? {} : { profile: spec.profile }),
          limitUptimeS: grant.limitUptimeS,
          ...(limitBytes > 0 ? { limitBytesTotal: limitBytes } : {}),
          ...(spec.macAddress === undefined ? {} : { macAddress: spec.macAddress }),
          comment: 'jangkau portal',
        },
      },
    ];
    if (direct) jobs.push({ kind: 'active_login', login: { user, password, mac: flow.data.handoff.mac as string, ip: flow.data.handoff.ip as string } });
    const rows: ProvisionJobRow[] = [];
    for (const [i, job] of jobs.entries()) rows.push(await queuedJobRow(ctx, { deviceId: hotspot.device_id, job, flowId: flow.row.id, createdAt: now + i, ttlMs: JOB_TTL_MS }));
    await insertProvisionJobs(ctx.db, rows);
    await saveFlow(ctx, flow, { state: 'waiting', citizen_id: req.citizenId, grant_id: grantId });
    return { kind: 'waiting' };
  }

  // The flow row is not written on this path: nothing reads it after a direct hand-off (spares one UPDATE).
  flow.row.grant_id = grantId;
  flow.row.citizen_id = req.citizenId;
  try {
    await ctx.provisioner.upsertUser(router, spec, { deadlineMs: PROVISION_DEADLINE_MS });
    if (direct) {
      await ctx.provisioner.activeLogin(router, { user, password, mac: flow.data.handoff.mac as string, ip: flow.data.handoff.ip as string }, { deadlineMs: PROVISION_DEADLINE_MS });
    }
  } catch (err) {
    ctx.log.warn('hotspot provisioning failed', { deviceId: hotspot.device_id, error: err instanceof Error ? err.message : String(err) });
    return { kind: 'refused', key: 'errRouter', granted: true };
  }
  return finishOutcome(ctx, flow, { timeS, bytes: limitBytes }, { user, password });
}

/** A running grant of this device whose hotspot user can be handed out again (at least a minute left). */
async function reusableGrant(
  ctx: ServiceCtx,
  q: { citizenId: string; hotspotId: string; deviceKey: string; viaRadius: boolean; nowMs: number },
): Promise<{ id: string; user: string; password: string; timeS: number; limitUptimeS: number; limitBytes: number; row: GrantRow } | null> {
  const row = await findLiveGrantOfDevice(ctx.db, { citizenId: q.citizenId, hotspotId: q.hotspotId, deviceKey: q.deviceKey, aliveAfterMs: q.nowMs + 60_000 });
  if (row === undefined || row.password_sealed === null || row.password_sealed === undefined) return null;
  // A router user the sweep already removed is gone; at a RADIUS hotspot there never was one (the grant itself counts).
  if (!q.viaRadius && Number(row.user_removed) !== 0) return null;
  return {
    id: row.id,
    user: row.hotspot_user,
    password: await openGrantPassword(ctx, row.id, row.password_sealed),
    timeS: Math.floor((Number(row.expires_at) - q.nowMs) / 1000),
    limitUptimeS: row.limit_uptime_s,
    limitBytes: Number(row.limit_bytes),
    row,
  };
}

/** The last step once the router knows the user: the browser form, or (direct login) the success page. */
export async function finishOutcome(
  ctx: ServiceCtx,
  flow: LoadedFlow,
  allowance: { timeS: number; bytes: number },
  known?: { user: string; password: string },
): Promise<GrantOutcome> {
  const hotspot = flow.hotspot as PortalHotspotRow;
  const h = flow.data.handoff;
  if (hotspot.login_mode === 'direct' && h.mac !== null && h.ip !== null) return { kind: 'success', dst: h.dst, ...allowance };
  const password = known?.password ?? (await ctx.secrets.open(flow.data.passwordSealed as string, PASSWORD_PURPOSE));
  const user = known?.user ?? `jk-${(flow.row.grant_id as string).slice(0, 20)}`;
  return { kind: 'handoff', ...formHandoff(flow, hotspot, user, password) };
}

/** The browser form that logs the client in at the hotspot (CHAP answer when the hotspot gave a challenge). */
function formHandoff(flow: LoadedFlow, hotspot: PortalHotspotRow, user: string, password: string): { action: string; fields: Record<string, string> } {
  const h = flow.data.handoff;
  const fields: Record<string, string> = {
    username: user,
    password: h.chapIdHex !== null && h.chapChallengeHex !== null ? chapResponse(hexToBytes(h.chapIdHex), password, hexToBytes(h.chapChallengeHex)) : password,
    popup: 'true',
  };
  if (h.dst !== null) fields.dst = h.dst;
  return { action: loginUrlFor(h, hotspot.server_address), fields };
}

/** After a queued provisioning: still waiting, failed, or ready for the hand-off. */
export async function queuedOutcome(ctx: ServiceCtx, flow: LoadedFlow, grant: { limit_uptime_s: number; limit_bytes: number }): Promise<GrantOutcome> {
  const jobs = await listJobsOfFlow(ctx.db, flow.row.id);
  if (jobs.some((j) => j.status === 'failed' || Number(j.expires_at) <= ctx.clock.nowMs())) return { kind: 'refused', key: 'errRouter' };
  if (jobs.length === 0 || jobs.some((j) => j.status !== 'done')) return { kind: 'waiting' };
  return finishOutcome(ctx, flow, { timeS: grant.limit_uptime_s, bytes: Number(grant.limit_bytes) });
}

/** A grant by its id (the wait page reads the grant its flow is waiting for). */
export function grantById(ctx: ServiceCtx, id: string): Promise<GrantRow | undefined> {
  return findGrant(ctx.db, id);
}
