/**
 * Every grant makes its own hotspot user on the router (fresh counters, bound to one MAC). Once the grant has ended,
 * the user is removed - directly through the provisioner, or as a queued job for the on-premises collector - so the
 * routers do not fill up. Call it on a schedule (every few minutes); it does a bounded amount of work per call.
 */
import type { ProvisionJobPayload } from '../../../core/schemas/portal.ts';
import { insertProvisionJobs } from '../queries/jobs.ts';
import { dropEndedClientAddresses, listGrantsToSweep, markGrantUserRemoved } from '../queries/usage.ts';
import type { ServiceCtx } from '../../deps.ts';
import { JOB_TTL_MS, queuedJobRow } from './grant-access.ts';

/** Grace after a grant's end before its user goes (a session running to its limit is never cut short by us). */
export const SWEEP_GRACE_MS = 10 * 60_000;

export async function sweepHotspotUsers(ctx: ServiceCtx, options: { limit?: number } = {}): Promise<{ removed: number; queued: number; failed: number }> {
  const now = ctx.clock.nowMs();
  // Issue 10 (UU PDP): ended grants and sessions keep no client address (within one sweep period of their end).
  await dropEndedClientAddresses(ctx.db, now);
  const grants = await listGrantsToSweep(ctx.db, now - SWEEP_GRACE_MS, options.limit ?? 200);
  let removed = 0;
  let queued = 0;
  let failed = 0;
  for (const g of grants) {
    if (ctx.provisioner === null) {
      const job: ProvisionJobPayload = { kind: 'remove_user', name: g.hotspot_user };
      await insertProvisionJobs(ctx.db, [await queuedJobRow(ctx, { deviceId: g.device_id, job, createdAt: now, ttlMs: JOB_TTL_MS * 6 })]);
      await markGrantUserRemoved(ctx.db, g.id);
      queued++;
      continue;
    }
    try {
      await ctx.provisioner.removeUser({ deviceId: g.device_id }, g.hotspot_user, { deadlineMs: 5000 });
      await markGrantUserRemoved(ctx.db, g.id);
      removed++;
    } catch (err) {
      // A router that cannot be reached now is tried again on the next sweep.
      ctx.log.warn('removing an ended hotspot user failed', { deviceId: g.device_id, error: err instanceof Error ? err.message : String(err) });
      failed++;
    }
  }
  return { removed, queued, failed };
}
