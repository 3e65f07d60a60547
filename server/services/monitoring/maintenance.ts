/** Maintenance windows as the console shows them: with device and site names, their state now, and ending one early. */
import { AppError } from '../../../core/errors.ts';
import type { MaintenanceOut } from '../../../core/schemas/monitoring.ts';
import { isoAt } from '../../../core/time.ts';
import { devicesOfWindow, entityNames, findMaintenance, insertMaintenance, listMaintenance, openWindowsOf, setMaintenanceEnd, windowsAround } from '../../db/webhooks.ts';
import { downWithoutIncident, openIncident, pauseOpenIncidentsOf } from '../../db/monitoring.ts';
import { findDevice } from '../../db/devices.ts';
import { findSite } from '../../db/sites.ts';
import { newId } from '../../crypto/random.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { notifyIncidentEvents } from '../alerts/dispatch.ts';
import type { StateEvent } from '../../../core/ingest.ts';

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

// --- Issue 11: a device or a site in maintenance is neither up nor down --------------------------------------------
//
// While a window covers a device (its own, or its site's): its open incident is paused (ended with end_reason
// `maintenance` at the window's start), no new incident opens (ingest keeps one reported inside the window ended at
// birth, db/monitoring + ingest-batch), and the window's time is unknown time (db/monitoring transitionsOf lays the
// windows over the transitions, so every availability figure leaves it out of the denominator). When the window ends
// on a device still down, an incident opens from the window's end and ends when the device is back up.

export type MaintenanceTarget = { deviceId: string } | { siteId: string };

const ENDED_LOOKBACK_MS = 15 * 60_000;

async function targetExists(ctx: ServiceCtx, target: MaintenanceTarget): Promise<void> {
  if ('deviceId' in target) {
    if ((await findDevice(ctx.db, target.deviceId)) === undefined) throw new AppError('not_found', `no device ${target.deviceId}`);
  } else if ((await findSite(ctx.db, target.siteId)) === undefined) throw new AppError('not_found', `no site ${target.siteId}`);
}

/**
 * Puts a device or a site in maintenance from `startsAt` (default now; not more than a minute in the past, so history
 * is not rewritten) until `endsAt`, with the stated reason. Replaces any window of that device or site not yet over.
 */
export async function setMaintenanceOf(ctx: ServiceCtx, target: MaintenanceTarget, body: { startsAt?: string | undefined; endsAt: string; reason: string }): Promise<MaintenanceOut> {
  await targetExists(ctx, target);
  const now = ctx.clock.nowMs();
  const starts = body.startsAt === undefined ? now : Date.parse(body.startsAt);
  const ends = Date.parse(body.endsAt);
  if (starts < now - 60_000) throw new AppError('validation_failed', 'a maintenance window cannot begin in the past', { details: [{ path: 'body.startsAt', message: 'startsAt is in the past' }] });
  if (!(ends > starts)) throw new AppError('validation_failed', 'endsAt must be after startsAt', { details: [{ path: 'body.endsAt', message: 'endsAt must be after startsAt' }] });
  const id = newId();
  await inTransaction(ctx, async (trx) => {
    for (const w of await openWindowsOf(trx, target, now)) await setMaintenanceEnd(trx, w.id, Math.max(Number(w.starts_ms), now));
    await insertMaintenance(trx, {
      id,
      device_id: 'deviceId' in target ? target.deviceId : null,
      site_id: 'siteId' in target ? target.siteId : null,
      starts_ms: starts,
      ends_ms: ends,
      reason: body.reason,
      created_at: isoAt(now),
    });
    if (starts <= now) await pauseOpenIncidentsOf(trx, await devicesOfWindow(trx, { device_id: 'deviceId' in target ? target.deviceId : null, site_id: 'siteId' in target ? target.siteId : null }), starts, 'maintenance');
    await recordAudit(ctx, trx, { action: 'maintenance-set', entity: 'deviceId' in target ? 'device' : 'site', entityId: 'deviceId' in target ? target.deviceId : target.siteId, detail: { windowId: id } });
  });
  return (await maintenanceWindows(ctx, { state: 'all' })).items.find((m) => m.id === id)!;
}

/**
 * Ends a device's or a site's maintenance now: the active window ends, upcoming ones are cancelled (kept in the
 * history, zero long). A device still down gets its incident at once (from now), as the sweep would.
 */
export async function clearMaintenanceOf(ctx: ServiceCtx, target: MaintenanceTarget): Promise<{ ended: number; incidentsOpened: number }> {
  await targetExists(ctx, target);
  const now = ctx.clock.nowMs();
  let ended = 0;
  await inTransaction(ctx, async (trx) => {
    for (const w of await openWindowsOf(trx, target, now)) {
      await setMaintenanceEnd(trx, w.id, Math.max(Number(w.starts_ms), now));
      ended++;
    }
    if (ended > 0) await recordAudit(ctx, trx, { action: 'maintenance-clear', entity: 'deviceId' in target ? 'device' : 'site', entityId: 'deviceId' in target ? target.deviceId : target.siteId });
  });
  const { incidentsOpened } = await sweepMaintenance(ctx);
  return { ended, incidentsOpened };
}

/**
 * The background job (server/jobs/table.ts, every minute): pauses the open incidents of devices whose window has begun,
 * and opens an incident for a device still down when its window ended (within the last 15 minutes, and no other
 * window covers it now), and tells the alert channels of that incident's start like any other (the window ended at
 * its start, so it is not muted). Idempotent: a second run finds nothing to do.
 */
export async function sweepMaintenance(ctx: ServiceCtx): Promise<{ paused: number; incidentsOpened: number }> {
  const now = ctx.clock.nowMs();
  const { active, ended } = await windowsAround(ctx.db, now - ENDED_LOOKBACK_MS, now);
  let paused = 0;
  const covered = new Set<string>();
  for (const w of active) {
    const ids = await devicesOfWindow(ctx.db, w);
    for (const id of ids) covered.add(id);
    paused += await pauseOpenIncidentsOf(ctx.db, ids, Number(w.starts_ms), 'maintenance');
  }
  const opened: StateEvent[] = [];
  for (const w of ended) {
    const ids = (await devicesOfWindow(ctx.db, w)).filter((id) => !covered.has(id));
    for (const d of await downWithoutIncident(ctx.db, ids)) {
      const incident = {
        id: newId(),
        device_id: d.device_id,
        started_ms: Number(w.ends_ms),
        detected_ms: now,
        ended_ms: null,
        cause_kind: d.last_error_kind ?? 'timeout',
        cause_message: `still down when the maintenance window ended${w.reason === null ? '' : ` (${w.reason.slice(0, 200)})`}${d.last_error_message === null ? '' : `: ${d.last_error_message.slice(0, 250)}`}`,
      };
      await openIncident(ctx.db, incident);
      opened.push({
        type: 'incident_opened', deviceId: incident.device_id, incidentId: incident.id, startedAtMs: incident.started_ms, detectedAtMs: now,
        cause: { kind: incident.cause_kind as Extract<StateEvent, { type: 'incident_opened' }>['cause']['kind'], message: incident.cause_message },
      });
    }
  }
  // The incident is stored whatever becomes of its alerts: a channel that fails is recorded in alert_deliveries.
  if (opened.length > 0) {
    await notifyIncidentEvents(ctx, opened).catch((err: unknown) => ctx.log.warn('alerts for incidents opened after maintenance failed', { error: String(err) }));
  }
  return { paused, incidentsOpened: opened.length };
}
