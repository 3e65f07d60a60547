/** Maintenance windows as the console shows them: with device and site names, their state now, and ending one early. */
import { AppError } from '../../../core/errors.ts';
import type { MaintenanceOut } from '../../../core/schemas/monitoring.ts';
import { isoAt } from '../../../core/time.ts';
import { entityNames, findMaintenance, listMaintenance, setMaintenanceEnd } from '../../db/webhooks.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';

function stateAt(startsMs: number, endsMs: number, nowMs: number): MaintenanceOut['state'] {
  if (nowMs < startsMs) return 'upcoming';
  return nowMs < endsMs ? 'active' : 'past';
}

export async function maintenanceWindows(ctx: ServiceCtx, q: { state: 'active' | 'upcoming' | 'past' | 'all' }): Promise<{ items: MaintenanceOut[] }> {
  const now = ctx.clock.nowMs();
  const [rows, names] = await Promise.all([listMaintenance(ctx.db), entityNames(ctx.db)]);
  const deviceName = names.devices;
  const siteName = names.sites;
  const items = rows
    .map((m): MaintenanceOut => ({
      id: m.id,
      deviceId: m.device_id,
      deviceName: m.device_id === null ? null : (deviceName.get(m.device_id) ?? null),
      siteId: m.site_id,
      siteName: m.site_id === null ? null : (siteName.get(m.site_id) ?? null),
      startsAt: isoAt(Number(m.starts_ms)),
      endsAt: isoAt(Number(m.ends_ms)),
      reason: m.reason,
      state: stateAt(Number(m.starts_ms), Number(m.ends_ms), now),
      createdAt: m.created_at,
    }))
    .filter((m) => q.state === 'all' || m.state === q.state)
    // Active first, then upcoming, then the most recent past.
    .sort((a, b) => ['active', 'upcoming', 'past'].indexOf(a.state) - ['active', 'upcoming', 'past'].indexOf(b.state) || (a.state === 'past' ? b.endsAt.localeCompare(a.endsAt) : a.startsAt.localeCompare(b.startsAt)));
  return { items };
}

/** Ends a window now: an active one stops muting from this moment; one not started yet is cancelled (it never mutes). */
export async function endMaintenance(ctx: ServiceCtx, id: string): Promise<MaintenanceOut> {
  const now = ctx.clock.nowMs();
  const row = await findMaintenance(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no maintenance window ${id}`);
  const starts = Number(row.starts_ms);
  const ends = Number(row.ends_ms);
  if (ends <= now) throw new AppError('conflict', `maintenance window ${id} already ended at ${isoAt(ends)}`);
  const newEnds = Math.max(starts, now);
  await inTransaction(ctx, async (trx) => {
    await setMaintenanceEnd(trx, id, newEnds);
    await recordAudit(ctx, trx, { action: starts > now ? 'cancel' : 'end', entity: 'maintenance', entityId: id });
  });
  return (await maintenanceWindows(ctx, { state: 'all' })).items.find((m) => m.id === id)!;
}
