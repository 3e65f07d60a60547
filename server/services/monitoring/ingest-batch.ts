/**
 * Stores what a collector reports (in-process or over POST /api/v1/ingest). Idempotent twice over: a batch id seen
 * before is acknowledged without a write, and within a batch each poll is keyed by (device, time), so a batch that
 * was half-delivered and resent stores nothing twice.
 * Per device (issue 11): results and events of a device that does not exist (deleted while its poll was on the way,
 * or never known), or that is no longer watched (disabled, monitor off: a collector's list lags behind) are dropped
 * and counted, in the answer and on the collector's row (`dropped_items`,
 * `dropped_events`), and never refuse the rest of the batch: one deleted device must not stop storage for all.
 */
import { incidentIdOf, type IngestBatch, type StateEvent } from '../../../core/ingest.ts';
import type { InterfaceSample, PollResult, PollSuccess } from '../../../core/observations.ts';
import { countsInTotals, MAX_STORED_INTERFACES } from '../../../core/interface-roles.ts';
import type { InterfaceNow, TrafficSelection } from '../../../core/interface-roles.ts';
import { rateSample, rolesOf } from '../../../core/samples/rates.ts';
import type { RateSample } from '../../../core/samples/rates.ts';
import { trafficSelections, watchedDeviceIds } from '../../db/devices.ts';
import { devicesInMaintenanceAt } from '../../db/webhooks.ts';
import {
  batchSeen,
  closeIncident,
  endOpenIncidentsOnRecovery,
  findDeviceStatus,
  insertBatch,
  insertNewPolls,
  insertRawSamples,
  insertReboot,
  listDeviceStatuses,
  openIncident,
  touchCollector,
  upsertDeviceStatus,
  upsertDeviceStatuses,
  upsertTransition,
} from '../../db/monitoring.ts';
import type { DeviceStatusTable, DialectName, Executor, SamplesRawTable } from '../../db/types.ts';
import { inTransaction } from '../../db/tx.ts';
import { recordHotspotActive } from '../../portal/services/accounting.ts';
import { rewindRollups } from './rollups.ts';
import type { ServiceCtx } from '../../deps.ts';

export interface IngestOutcome {
  duplicate: boolean;
  polls: number;
  events: number;
  /** Dropped because their device does not exist (deleted or unknown): counts, and up to 100 of the device ids. */
  dropped: { items: number; events: number; devices: string[] };
  /** Incident events that are new, to notify about after the write landed. */
  incidentEvents: StateEvent[];
}

interface StoredCounters {
  atMs: number;
  uptimeS: number | null;
  interfaces: { index: number; name: string; in: string | null; out: string | null; bits: 32 | 64; speed: number | null }[];
}

function countersOf(p: PollSuccess): string {
  const c: StoredCounters = {
    atMs: p.startedAtMs,
    uptimeS: p.system.uptimeS,
    interfaces: p.interfaces.map((i) => ({
      index: i.index,
      name: i.name,
      in: i.inOctets === null ? null : i.inOctets.toString(),
      out: i.outOctets === null ? null : i.outOctets.toString(),
      bits: i.counterBits,
      speed: i.speedBps,
    })),
  };
  return JSON.stringify(c);
}

/** Rebuilds the previous good poll, enough for rateSample, from its stored counters. */
function previousPoll(deviceId: string, json: string | null): PollSuccess | null {
  if (json === null) return null;
  const c = JSON.parse(json) as StoredCounters;
  const interfaces: InterfaceSample[] = c.interfaces.map((i) => ({
    index: i.index,
    name: i.name,
    operUp: null,
    inOctets: i.in === null ? null : BigInt(i.in),
    outOctets: i.out === null ? null : BigInt(i.out),
    counterBits: i.bits,
    speedBps: i.speed,
  }));
  return {
    ok: true,
    deviceId,
    startedAtMs: c.atMs,
    durationMs: 0,
    system: { uptimeS: c.uptimeS, descr: null, objectId: null, name: null, version: null, cpuLoadPct: null, memFreeBytes: null },
    interfaces,
    ssids: [],
    stations: [],
    hotspotActive: [],
    clients: null,
  };
}

function emptyStatus(deviceId: string, atMs: number): DeviceStatusTable {
  return {
    device_id: deviceId,
    status: 'unknown',
    since_ms: atMs,
    last_poll_ms: null,
    last_ok_ms: null,
    last_error_kind: null,
    last_error_message: null,
    last_error_ms: null,
    uptime_s: null,
    clients: null,
    in_bps: null,
    out_bps: null,
    sys_name: null,
    sys_descr: null,
    version: null,
    ssids: null,
    last_counters: null,
    interfaces: null,
  };
}

/** The poll's interfaces with role, whether they count, and the interval's rates (issue 11), as stored. */
function interfacesNow(p: PollSuccess, rate: RateSample | null, selection: TrafficSelection | null): string {
  const roles = rolesOf(p.interfaces);
  const rates = new Map((rate?.interfaces ?? []).map((r) => [r.index, r]));
  const out: InterfaceNow[] = p.interfaces.slice(0, MAX_STORED_INTERFACES).map((i, n) => {
    const role = roles[n] as InterfaceNow['role'];
    const r = rates.get(i.index);
    return {
      index: i.index,
      name: i.name,
      role,
      counted: countsInTotals({ name: i.name, role }, selection),
      operUp: i.operUp,
      speedBps: i.speedBps,
      rxBps: r?.inBps ?? null,
      txBps: r?.outBps ?? null,
    };
  });
  return JSON.stringify(out);
}

async function applyPolls(
  db: Executor,
  dialect: DialectName,
  polls: PollResult[],
  fresh: Set<string>,
  selections: ReadonlyMap<string, TrafficSelection>,
  nowMs: number,
): Promise<void> {
  const byDevice = new Map<string, PollResult[]>();
  for (const p of polls) {
    if (!fresh.has(`${p.deviceId}@${p.startedAtMs}`)) continue;
    const list = byDevice.get(p.deviceId) ?? [];
    list.push(p);
    byDevice.set(p.deviceId, list);
  }
  const samples: SamplesRawTable[] = [];
  const known = new Map((await listDeviceStatuses(db, [...byDevice.keys()])).map((s) => [s.device_id, s]));
  const changed: DeviceStatusTable[] = [];
  for (const [deviceId, list] of byDevice) {
    list.sort((a, b) => a.startedAtMs - b.startedAtMs);
    const st = known.get(deviceId) ?? emptyStatus(deviceId, list[0]!.startedAtMs);
    for (const p of list) {
      // A poll older than the newest one seen still counts as a poll, but does not move the "now" figures back.
      const newest = st.last_poll_ms === null || p.startedAtMs >= st.last_poll_ms;
      if (newest) st.last_poll_ms = p.startedAtMs;
      if (!p.ok) {
        if (newest) {
          st.last_error_kind = p.error.kind;
          st.last_error_message = p.error.message.slice(0, 500);
          st.last_error_ms = p.startedAtMs;
        }
        continue;
      }
      const prev = previousPoll(deviceId, st.last_counters);
      const selection = selections.get(deviceId) ?? null;
      const rate = prev !== null && p.startedAtMs > prev.startedAtMs ? rateSample(prev, p, selection) : null;
      const clients = rate?.clients ?? p.clients ?? (p.ssids.length > 0 ? p.ssids.reduce((a, s) => a + s.clients, 0) : p.stations.length > 0 ? p.stations.length : null);
      samples.push({
        device_id: deviceId,
        t_ms: p.startedAtMs,
        interval_ms: rate?.intervalMs ?? 0,
        in_bps: rate?.inBps ?? null,
        out_bps: rate?.outBps ?? null,
        clients,
        in_bytes: rate?.inBytes == null ? null : Number(rate.inBytes),
        out_bytes: rate?.outBytes == null ? null : Number(rate.outBytes),
      });
      if (!newest) continue;
      st.last_ok_ms = p.startedAtMs;
      st.uptime_s = p.system.uptimeS;
      st.clients = clients;
      st.in_bps = rate?.inBps ?? st.in_bps;
      st.out_bps = rate?.outBps ?? st.out_bps;
      st.sys_name = p.system.name ?? st.sys_name;
      st.sys_descr = p.system.descr?.slice(0, 500) ?? st.sys_descr;
      st.version = p.system.version ?? st.version;
      st.ssids = p.ssids.length > 0 ? JSON.stringify(p.ssids.slice(0, 64)) : st.ssids;
      st.last_counters = countersOf(p);
      st.interfaces = interfacesNow(p, rate, selection);
    }
    changed.push(st);
  }
  await upsertDeviceStatuses(db, dialect, changed);
  await insertRawSamples(db, dialect, samples, nowMs);
  if (samples.length > 0) await rewindRollups(db, Math.min(...samples.map((x) => x.t_ms)));
}

/**
 * Stores the collector's events. Answers the ends of incidents the server itself opened (after a maintenance window)
 * that a recovery closed here: the collector knows nothing of those, so their end is told to the alert channels as
 * if it had sent it. A collector's own incident (its id from incidentIdOf) is left to the collector's own
 * incident_closed, in this batch or a later one: one alert either way.
 */
async function applyEvents(db: Executor, events: StateEvent[]): Promise<StateEvent[]> {
  const endedHere: StateEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'status_changed': {
        await upsertTransition(db, { device_id: e.deviceId, at_ms: e.atMs, status: e.to });
        const st = (await findDeviceStatus(db, e.deviceId)) ?? emptyStatus(e.deviceId, e.atMs);
        // The newest transition decides the status now; a late, older one only fills history.
        if (st.status === 'unknown' || e.atMs >= Number(st.since_ms)) {
          st.status = e.to;
          st.since_ms = e.atMs;
          await upsertDeviceStatus(db, st);
        }
        // Back up: an incident the server opened when a maintenance window ended on a down device ends here too.
        if (e.to === 'up' || e.to === 'degraded') {
          for (const inc of await endOpenIncidentsOnRecovery(db, e.deviceId, e.atMs)) {
            if (inc.id === incidentIdOf(inc.device_id, Number(inc.started_ms))) continue;
            endedHere.push({
              type: 'incident_closed',
              deviceId: inc.device_id,
              incidentId: inc.id,
              startedAtMs: Number(inc.started_ms),
              detectedAtMs: Number(inc.detected_ms),
              endedAtMs: e.atMs,
              cause: { kind: inc.cause_kind as Extract<StateEvent, { type: 'incident_closed' }>['cause']['kind'], message: inc.cause_message },
            });
          }
        }
        break;
      }
      case 'incident_opened': {
        // Issue 11: no incident opens inside a maintenance window. It is kept, ended at birth with the reason, so the
        // collector's later recovery of it (guarded on end_reason) cannot turn it into one.
        const paused = (await devicesInMaintenanceAt(db, [e.deviceId], e.detectedAtMs)).has(e.deviceId);
        await openIncident(db, {
          id: e.incidentId,
          device_id: e.deviceId,
          started_ms: e.startedAtMs,
          detected_ms: e.detectedAtMs,
          ended_ms: null,
          cause_kind: e.cause.kind,
          cause_message: e.cause.message.slice(0, 500),
          ...(paused ? { ended_ms: Math.max(e.startedAtMs, e.detectedAtMs), end_reason: 'maintenance' } : {}),
        });
        break;
      }
      case 'incident_closed':
        await closeIncident(db, {
          id: e.incidentId,
          device_id: e.deviceId,
          started_ms: e.startedAtMs,
          detected_ms: e.detectedAtMs,
          ended_ms: e.endedAtMs,
          cause_kind: e.cause.kind,
          cause_message: e.cause.message.slice(0, 500),
        });
        break;
      case 'reboot':
        await insertReboot(db, { device_id: e.deviceId, booted_at_ms: e.bootedAtMs, detected_ms: e.atMs, previous_uptime_s: e.previousUptimeS });
        break;
    }
  }
  return endedHere;
}

export async function ingestBatch(ctx: ServiceCtx, batch: IngestBatch): Promise<IngestOutcome> {
  const none = { items: 0, events: 0, devices: [] };
  if (await batchSeen(ctx.db, batch.batchId)) return { duplicate: true, polls: 0, events: 0, dropped: none, incidentEvents: [] };
  const now = ctx.clock.nowMs();
  const outcome = await inTransaction(ctx, async (trx) => {
    // Which devices exist is read inside the transaction, so a device deleted meanwhile is seen as gone (SQLite
    // serialises writers; on Postgres a delete committing in between leaves rows of a gone device, which the
    // lifecycle's delete sweeps, as it does for rows stored just before the delete).
    const ids = new Set<string>([...batch.items.map((i) => i.deviceId), ...batch.events.map((e) => e.deviceId)]);
    const known = await watchedDeviceIds(trx, [...ids]);
    const items = batch.items.filter((i) => known.has(i.deviceId));
    const events = batch.events.filter((e) => known.has(e.deviceId));
    const dropped = {
      items: batch.items.length - items.length,
      events: batch.events.length - events.length,
      devices: [...ids].filter((id) => !known.has(id)).slice(0, 100),
    };
    // A concurrent delivery of the same batch: the primary key on batch_id makes the second one fail and roll back.
    await insertBatch(trx, { batch_id: batch.batchId, collector_id: batch.collectorId, received_at_ms: now, items: items.length });
    await touchCollector(trx, batch.collectorId, now, batch.batchId, dropped);
    const fresh = await insertNewPolls(
      trx,
      ctx.dialect,
      items.map((p) => ({
        device_id: p.deviceId,
        at_ms: p.startedAtMs,
        ok: p.ok ? 1 : 0,
        duration_ms: p.durationMs,
        error_kind: p.ok ? null : p.error.kind,
        error_message: p.ok ? null : p.error.message.slice(0, 500),
      })),
      now,
    );
    const okDevices = [...new Set(items.filter((p) => p.ok).map((p) => p.deviceId))];
    await applyPolls(trx, ctx.dialect, items, fresh, await trafficSelections(trx, okDevices), now);
    const endedHere = await applyEvents(trx, events);
    return {
      duplicate: false,
      polls: fresh.size,
      events: events.length,
      dropped,
      incidentEvents: [...events.filter((e) => e.type === 'incident_opened' || e.type === 'incident_closed'), ...endedHere],
      fresh,
      items,
    };
  });
  if (outcome.dropped.items + outcome.dropped.events > 0) {
    ctx.log.info('ingest dropped results of devices that do not exist', { collectorId: batch.collectorId, batchId: batch.batchId, ...outcome.dropped, devices: outcome.dropped.devices.slice(0, 10) });
  }
  await recordHotspotSessions(ctx, outcome.items, outcome.fresh);
  return { duplicate: outcome.duplicate, polls: outcome.polls, events: outcome.events, dropped: outcome.dropped, incidentEvents: outcome.incidentEvents };
}

/**
 * Captive-portal accounting from the routers' hotspot-active lists: the newest good RouterOS poll of each device
 * that is a portal hotspot (others are skipped by recordHotspotActive). Only polls that carried the list count:
 * an SNMP fallback poll knows no hotspot users and must not end every session.
 */
async function recordHotspotSessions(ctx: ServiceCtx, items: PollResult[], fresh: Set<string>): Promise<void> {
  const newest = new Map<string, PollSuccess>();
  for (const p of items) {
    if (!p.ok || p.protocol !== 'routeros' || !fresh.has(`${p.deviceId}@${p.startedAtMs}`)) continue;
    const prev = newest.get(p.deviceId);
    if (prev === undefined || p.startedAtMs > prev.startedAtMs) newest.set(p.deviceId, p);
  }
  for (const p of newest.values()) await recordHotspotActive(ctx, p.deviceId, p.hotspotActive, p.startedAtMs);
}
