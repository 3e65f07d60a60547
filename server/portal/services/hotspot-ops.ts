/**
 * What staff do with a hotspot every day (issue 14, the Mikhmon side of the console): push its user profile (rate
 * limit, one device per hotspot user) to the router, see who is online and kick a session. On Node the server talks
 * to the router through `ctx.provisioner`; where it cannot (Workers) the same work is queued for the on-premises
 * collector, and the answer says so.
 */
import { AppError } from '../../../core/errors.ts';
import type { HotspotProfileSpec } from '../../../core/hotspot.ts';
import type { ProvisionJobPayload } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import { findPortalHotspot, updatePortalHotspot, type PortalHotspotRow } from '../queries/hotspots.ts';
import { insertProvisionJobs } from '../queries/jobs.ts';
import { findUsageSession } from '../queries/usage.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../../services/audit/record-audit.ts';
import { JOB_TTL_MS, PROVISION_DEADLINE_MS, queuedJobRow } from './grant-access.ts';

export interface RouterAction {
  /** Done on the router now. */
  done: boolean;
  /** Queued for the on-premises collector (this server cannot reach routers). */
  queued: boolean;
  /** Why the router refused or could not be reached, in its words; null when it went through. */
  error: string | null;
}

async function queueJob(ctx: ServiceCtx, deviceId: string, job: ProvisionJobPayload): Promise<void> {
  const now = ctx.clock.nowMs();
  await insertProvisionJobs(ctx.db, [
    await queuedJobRow(ctx, { deviceId, job, createdAt: now, ttlMs: JOB_TTL_MS }),
  ]);
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

/** The profile the router should hold for this hotspot: its name, rate limit, and one device per hotspot user. */
export function profileOf(h: PortalHotspotRow): HotspotProfileSpec {
  if (h.user_profile === null) throw new AppError('validation_failed', 'this hotspot has no user profile name: set one (e.g. "warga") before pushing it', { reason: 'hotspot.no_profile' });
  return { name: h.user_profile, ...(h.rate_limit === null ? {} : { rateLimit: h.rate_limit }), sharedUsers: 1 };
}

/** Sends the hotspot's user profile to its router (or queues it) and records when it arrived or why not. */
export async function pushHotspotProfile(ctx: ServiceCtx, hotspotId: string): Promise<RouterAction & { profile: HotspotProfileSpec; pushedAt: string | null }> {
  const h = await findPortalHotspot(ctx.db, hotspotId);
  if (h === undefined) throw new AppError('not_found', 'no such hotspot');
  const profile = profileOf(h);
  let result: RouterAction;
  if (ctx.provisioner === null) {
    await queueJob(ctx, h.device_id, { kind: 'upsert_profile', profile });
    result = { done: false, queued: true, error: null };
  } else {
    try {
      await ctx.provisioner.upsertProfile({ deviceId: h.device_id }, profile, { deadlineMs: PROVISION_DEADLINE_MS });
      result = { done: true, queued: false, error: null };
    } catch (err) {
      result = { done: false, queued: false, error: errorText(err) };
    }
  }
  const at = isoAt(ctx.clock.nowMs());
  if (result.done) await updatePortalHotspot(ctx.db, h.id, { profile_pushed_at: at, profile_push_error: null });
  else if (result.error !== null) await updatePortalHotspot(ctx.db, h.id, { profile_push_error: result.error });
  await recordAudit(ctx, ctx.db, { action: 'push_profile', entity: 'portal_hotspot', entityId: h.id, detail: { done: result.done, queued: result.queued } });
  return { ...result, profile, pushedAt: result.done ? at : (h.profile_pushed_at ?? null) };
}

/** Ends one open hotspot session at its router (by its hotspot user and address), like Mikhmon's "kick". */
export async function kickHotspotSession(ctx: ServiceCtx, sessionId: string): Promise<RouterAction & { kicked: number }> {
  const s = await findUsageSession(ctx.db, sessionId);
  if (s === undefined) throw new AppError('not_found', 'no such session');
  if (s.ended_at !== null) throw new AppError('conflict', 'this session has already ended', { reason: 'session.ended' });
  const h = await findPortalHotspot(ctx.db, s.hotspot_id);
  if (h === undefined) throw new AppError('not_found', 'the hotspot of this session is gone');
  const match = { user: s.hotspot_user, address: s.address };
  let out: RouterAction & { kicked: number };
  if (ctx.provisioner === null) {
    await queueJob(ctx, h.device_id, { kind: 'kick_active', match });
    out = { done: false, queued: true, error: null, kicked: 0 };
  } else {
    try {
      const r = await ctx.provisioner.kickActive({ deviceId: h.device_id }, match, { deadlineMs: PROVISION_DEADLINE_MS });
      out = { done: true, queued: false, error: null, kicked: r.kicked };
    } catch (err) {
      out = { done: false, queued: false, error: errorText(err), kicked: 0 };
    }
  }
  await recordAudit(ctx, ctx.db, { action: 'kick', entity: 'portal_usage_session', entityId: s.id, detail: { done: out.done, queued: out.queued, kicked: out.kicked } });
  return out;
}
