/**
 * NAS clients: which gateways may talk RADIUS to Jangkau, with what shared secret (sealed at rest, bound to the
 * client's id), for which portal hotspot (its fair-use rules), in which vendor's dialect. Staff manage them over the
 * API; the UDP server keeps an opened copy keyed by source address and reloads it when the table changes.
 */
import { AppError } from '../../core/errors.ts';
import type { RadiusClientBody, RadiusClientOut, radiusClientPatch } from '../../core/schemas/radius.ts';
import { isoAt } from '../../core/time.ts';
import type { z } from 'zod';
import { newId } from '../crypto/random.ts';
import { findPortalHotspot } from '../portal/queries/hotspots.ts';
import { deleteRadiusClient, findRadiusClient, insertRadiusClient, listRadiusClients, updateRadiusClient, type RadiusClientRow } from '../db/radius.ts';
import type { ServiceCtx } from '../deps.ts';
import { recordAudit } from '../services/audit/record-audit.ts';
import { NAS_VENDOR_IDS, type NasVendor } from '../../core/schemas/radius.ts';

export const clientSecretPurpose = (id: string): string => `radius-client-secret:${id}`;

export function toClientOut(r: RadiusClientRow): RadiusClientOut {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    secretSet: r.secret_sealed !== '',
    vendor: (NAS_VENDOR_IDS as readonly string[]).includes(r.vendor) ? (r.vendor as NasVendor) : 'standard',
    hotspotId: r.hotspot_id,
    requireMessageAuthenticator: r.require_ma === 1,
    macAuthDays: r.mac_auth_days,
    idleTimeoutS: r.idle_timeout_s,
    interimS: r.interim_s,
    coaPort: r.coa_port,
    enabled: r.enabled === 1,
    lastSeenAt: r.last_seen_ms === null ? null : isoAt(Number(r.last_seen_ms)),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** IPv4-mapped IPv6 and letter case do not make a second client. */
export function canonicalAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped === null ? a : (mapped[1] as string);
}

async function hotspotMustExist(ctx: ServiceCtx, hotspotId: string): Promise<void> {
  if ((await findPortalHotspot(ctx.db, hotspotId)) === undefined) throw new AppError('validation_failed', 'no such portal hotspot: register the hotspot first (POST /api/v1/portal/hotspots)');
}

function conflict(cause: unknown): AppError {
  return new AppError('conflict', 'a NAS client with this address exists already', { cause });
}

export async function createRadiusClient(ctx: ServiceCtx, body: RadiusClientBody): Promise<RadiusClientOut> {
  await hotspotMustExist(ctx, body.hotspotId);
  const id = newId();
  const now = isoAt(ctx.clock.nowMs());
  const row: RadiusClientRow = {
    id,
    name: body.name,
    address: canonicalAddress(body.address),
    secret_sealed: await ctx.secrets.seal(body.secret, clientSecretPurpose(id)),
    vendor: body.vendor,
    hotspot_id: body.hotspotId,
    require_ma: body.requireMessageAuthenticator ? 1 : 0,
    mac_auth_days: body.macAuthDays,
    idle_timeout_s: body.idleTimeoutS,
    interim_s: body.interimS,
    coa_port: body.coaPort,
    enabled: body.enabled ? 1 : 0,
    last_seen_ms: null,
    created_at: now,
    updated_at: now,
  };
  try {
    await insertRadiusClient(ctx.db, row);
  } catch (cause) {
    throw conflict(cause);
  }
  await recordAudit(ctx, ctx.db, { action: 'create', entity: 'radius_client', entityId: id, detail: { vendor: body.vendor, requireMessageAuthenticator: body.requireMessageAuthenticator } });
  return toClientOut(row);
}

export async function patchRadiusClient(ctx: ServiceCtx, id: string, body: z.infer<typeof radiusClientPatch>): Promise<RadiusClientOut> {
  const cur = await findRadiusClient(ctx.db, id);
  if (cur === undefined) throw new AppError('not_found', 'no such NAS client');
  const patch: Partial<RadiusClientRow> = { updated_at: isoAt(ctx.clock.nowMs()) };
  if (body.name !== undefined) patch.name = body.name;
  if (body.address !== undefined) patch.address = canonicalAddress(body.address);
  if (body.secret !== undefined) patch.secret_sealed = await ctx.secrets.seal(body.secret, clientSecretPurpose(id));
  if (body.vendor !== undefined) patch.vendor = body.vendor;
  if (body.requireMessageAuthenticator !== undefined) patch.require_ma = body.requireMessageAuthenticator ? 1 : 0;
  if (body.macAuthDays !== undefined) patch.mac_auth_days = body.macAuthDays;
  if (body.idleTimeoutS !== undefined) patch.idle_timeout_s = body.idleTimeoutS;
  if (body.interimS !== undefined) patch.interim_s = body.interimS;
  if (body.coaPort !== undefined) patch.coa_port = body.coaPort;
  if (body.enabled !== undefined) patch.enabled = body.enabled ? 1 : 0;
  try {
    await updateRadiusClient(ctx.db, id, patch);
  } catch (cause) {
    throw conflict(cause);
  }
  // Field names only: never the secret.
  await recordAudit(ctx, ctx.db, { action: 'update', entity: 'radius_client', entityId: id, detail: { fields: Object.keys(body) } });
  return toClientOut({ ...cur, ...patch });
}

export async function removeRadiusClient(ctx: ServiceCtx, id: string): Promise<void> {
  if ((await deleteRadiusClient(ctx.db, id)) === 0) throw new AppError('not_found', 'no such NAS client');
  await recordAudit(ctx, ctx.db, { action: 'delete', entity: 'radius_client', entityId: id });
}

export async function listClients(ctx: ServiceCtx): Promise<{ items: RadiusClientOut[] }> {
  return { items: (await listRadiusClients(ctx.db)).map(toClientOut) };
}
