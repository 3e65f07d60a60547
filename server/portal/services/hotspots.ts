/** Which routers run a hotspot for the portal, and how the portal recognises one from the variables it posts. */
import { AppError } from '../../../core/errors.ts';
import type { HotspotBody, HotspotOut, PortalMethod } from '../../../core/schemas/portal.ts';
import { hotspotPatch } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import type { z } from 'zod';
import { newId } from '../../crypto/random.ts';
import {
  findHotspotPlace,
  findPortalHotspot,
  findPortalHotspotsByIdentity,
  insertPortalHotspot,
  listPortalHotspots,
  updatePortalHotspot,
  type PortalHotspotRow,
} from '../queries/hotspots.ts';
import type { ServiceCtx } from '../../deps.ts';
import { sameHotspotHost, type HotspotHandoff } from '../pure/hotspot-vars.ts';
import { recordAudit } from '../../services/audit/record-audit.ts';

export const HOTSPOT_ROLES = ['router', 'gateway'];

export function hotspotMethods(row: Pick<PortalHotspotRow, 'methods'>): PortalMethod[] {
  return JSON.parse(row.methods) as PortalMethod[];
}

export function toHotspotOut(r: PortalHotspotRow): HotspotOut {
  return {
    id: r.id,
    deviceId: r.device_id,
    identity: r.identity,
    serverName: r.server_name,
    serverAddress: r.server_address,
    loginMode: r.login_mode === 'direct' ? 'direct' : 'form',
    methods: hotspotMethods(r),
    userProfile: r.user_profile,
    rateLimit: r.rate_limit,
    termsSessionS: r.terms_session_s,
    signedSessionS: r.signed_session_s,
    dailyTimeS: r.daily_time_s,
    dailyBytes: Number(r.daily_bytes),
    maxDevices: r.max_devices,
    enabled: r.enabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ssid: r.ssid ?? null,
    profilePushedAt: r.profile_pushed_at ?? null,
    profilePushError: r.profile_push_error ?? null,
  };
}

/** The registered hotspot that posted this hand-off, or null (unknown routers are refused). */
export async function identifyHotspot(ctx: Pick<ServiceCtx, 'db'>, handoff: HotspotHandoff): Promise<PortalHotspotRow | null> {
  const candidates = await findPortalHotspotsByIdentity(ctx.db, handoff.identity);
  for (const h of candidates) {
    if (!sameHotspotHost(handoff.serverHost, h.server_address)) continue;
    if (h.server_name !== null && h.server_name !== handoff.serverName) continue;
    return h;
  }
  return null;
}

export async function createHotspot(ctx: ServiceCtx, body: HotspotBody): Promise<HotspotOut> {
  const place = await findHotspotPlace(ctx.db, body.deviceId);
  if (place === undefined) throw new AppError('validation_failed', 'no such device in the inventory');
  if (!HOTSPOT_ROLES.includes(place.role)) throw new AppError('validation_failed', 'a hotspot runs on a device with the role router or gateway');
  const now = isoAt(ctx.clock.nowMs());
  const row: PortalHotspotRow = {
    id: newId(),
    device_id: body.deviceId,
    identity: body.identity,
    server_name: body.serverName,
    server_address: body.serverAddress.toLowerCase(),
    login_mode: body.loginMode,
    methods: JSON.stringify([...new Set(body.methods)]),
    user_profile: body.userProfile,
    rate_limit: body.rateLimit,
    terms_session_s: body.termsSessionS,
    signed_session_s: body.signedSessionS,
    daily_time_s: body.dailyTimeS,
    daily_bytes: body.dailyBytes,
    max_devices: body.maxDevices,
    enabled: body.enabled ? 1 : 0,
    created_at: now,
    updated_at: now,
    ssid: body.ssid,
  };
  try {
    await insertPortalHotspot(ctx.db, row);
  } catch (cause) {
    throw new AppError('conflict', 'this device already has a hotspot configuration', { cause });
  }
  await recordAudit(ctx, ctx.db, { action: 'create', entity: 'portal_hotspot', entityId: row.id });
  return toHotspotOut(row);
}

export async function patchHotspot(ctx: ServiceCtx, id: string, body: z.infer<typeof hotspotPatch>): Promise<HotspotOut> {
  const cur = await findPortalHotspot(ctx.db, id);
  if (cur === undefined) throw new AppError('not_found', 'no such hotspot');
  const patch: Partial<PortalHotspotRow> = { updated_at: isoAt(ctx.clock.nowMs()) };
  if (body.identity !== undefined) patch.identity = body.identity;
  if (body.serverName !== undefined) patch.server_name = body.serverName;
  if (body.serverAddress !== undefined) patch.server_address = body.serverAddress.toLowerCase();
  if (body.loginMode !== undefined) patch.login_mode = body.loginMode;
  if (body.methods !== undefined) patch.methods = JSON.stringify([...new Set(body.methods)]);
  if (body.userProfile !== undefined) patch.user_profile = body.userProfile;
  if (body.rateLimit !== undefined) patch.rate_limit = body.rateLimit;
  if (body.termsSessionS !== undefined) patch.terms_session_s = body.termsSessionS;
  if (body.signedSessionS !== undefined) patch.signed_session_s = body.signedSessionS;
  if (body.dailyTimeS !== undefined) patch.daily_time_s = body.dailyTimeS;
  if (body.dailyBytes !== undefined) patch.daily_bytes = body.dailyBytes;
  if (body.maxDevices !== undefined) patch.max_devices = body.maxDevices;
  if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0;
  if (body.ssid !== undefined) patch.ssid = body.ssid;
  // A changed profile name or rate limit is no longer what the router holds: say so until it is pushed again.
  if (body.userProfile !== undefined || body.rateLimit !== undefined) patch.profile_pushed_at = null;
  await updatePortalHotspot(ctx.db, id, patch);
  await recordAudit(ctx, ctx.db, { action: 'update', entity: 'portal_hotspot', entityId: id, detail: { fields: Object.keys(body) } });
  return toHotspotOut({ ...cur, ...patch });
}

export async function listHotspotConfigs(ctx: ServiceCtx): Promise<{ items: HotspotOut[] }> {
  return { items: (await listPortalHotspots(ctx.db)).map(toHotspotOut) };
}
