/**
 * Issue 11, device lifecycle: a device that stops being watched (disabled, deleted, or made inventory only) has its
 * open incident closed now with the reason (`end_reason`), and from now on its status is `unknown`, which
 * availability leaves out of the denominator: disabled time is neither up nor down. Runs inside the caller's
 * transaction, beside the change itself. Re-enabling needs nothing here: the collector starts the device from
 * `unknown` and its first good poll makes it up.
 */
import type { Executor } from '../../db/types.ts';
import { closeOpenIncidentsOf, deleteDeviceStatuses, markStatusUnknown } from '../../db/monitoring.ts';

export type StopReason = 'disabled' | 'deleted' | 'unmonitored';

export async function stopWatching(db: Executor, deviceIds: readonly string[], reason: StopReason, nowMs: number): Promise<{ incidentsClosed: number }> {
  if (deviceIds.length === 0) return { incidentsClosed: 0 };
  const incidentsClosed = await closeOpenIncidentsOf(db, deviceIds, nowMs, reason);
  await markStatusUnknown(db, deviceIds, nowMs);
  // Inventory only or gone: no current figures either (a device without settings and without a status is `unmonitored`).
  if (reason !== 'disabled') await deleteDeviceStatuses(db, deviceIds);
  return { incidentsClosed };
}
