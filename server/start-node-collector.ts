/**
 * Part of the Node entry (with start-node.ts): the collectors running inside the server process. The only server
 * file besides start-node.ts that imports collectors/. Devices come from the database (re-read when the inventory
 * changes); results go through the same ingest service as POST /api/v1/ingest, so both paths store alike.
 */
import type { DeviceTarget } from '../core/observations.ts';
import type { StateEvent } from '../core/ingest.ts';
import type { DeviceDiscoverer } from '../core/discovery.ts';
import type { HotspotProvisioner } from '../core/hotspot.ts';
import { createRouterOsHotspotProvisioner } from '../collectors/hotspot-provisioner.ts';
import { createPoller } from '../collectors/poller.ts';
import { createScheduler, type PollFn } from '../collectors/scheduler/scheduler.ts';
import { createStateBook } from '../collectors/state/state-book.ts';
import { DEFAULT_STATE_CONFIG, incidentIdOf, type DeviceState } from '../collectors/state/step.ts';
import { createBatcher } from '../collectors/sinks/batcher.ts';
import { createInProcessSink } from '../collectors/sinks/in-process-sink.ts';
import { discoverSnmpDevice, pollSnmpDevice } from '../collectors/drivers/index.ts';
import { createSnmpClient } from '../collectors/snmp/index.ts';
import { createRouterOsPool, pollRouterOsDevice } from '../collectors/routeros/index.ts';
import { findDevice, listEnabledDevices, inventoryVersion } from './db/devices.ts';
import { sweepHotspotUsers } from './services/portal/sweep-users.ts';
import { purgePortalData } from './services/portal/citizen-data.ts';
import { snapshotKpis } from './services/kpis/snapshot.ts';
import { snapshotOpenData } from './services/open-data/datasets.ts';
import { listDeviceStatuses } from './db/monitoring.ts';
import { incidentRows } from './db/incidents.ts';
import type { ServiceCtx } from './deps.ts';
import { toDeviceTarget } from './services/devices/device-rules.ts';
import { ingestBatch } from './services/monitoring/ingest-batch.ts';
import { notifyIncidents } from './services/monitoring/webhooks.ts';
import { runRollups } from './services/monitoring/rollups.ts';

export interface InProcessCollector {
  /** Re-reads the devices now (tests call it instead of waiting for the next check). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** Rebuilds each device's state from what the database remembers, so a restart neither reopens nor forgets an incident. */
async function restoreStates(ctx: ServiceCtx): Promise<DeviceState[]> {
  const statuses = await listDeviceStatuses(ctx.db);
  const open = (await incidentRows(ctx.db, { open: true, limit: 100_000, offset: 0 })).rows;
  const openByDevice = new Map(open.map((i) => [i.device_id, i]));
  return statuses.map((s) => {
    const inc = openByDevice.get(s.device_id);
    const status = s.status === 'up' || s.status === 'down' || s.status === 'degraded' ? s.status : 'unknown';
    return {
      deviceId: s.device_id,
      status,
      sinceMs: status === 'unknown' ? null : Number(s.since_ms),
      failures: status === 'down' ? DEFAULT_STATE_CONFIG.downAfter : 0,
      failRunStartMs: inc === undefined ? null : Number(inc.started_ms),
      failRunCause: inc === undefined ? null : { kind: inc.cause_kind as never, message: inc.cause_message },
      successes: status === 'up' ? DEFAULT_STATE_CONFIG.upAfter : 0,
      goodRunStartMs: null,
      lastPollAtMs: s.last_poll_ms === null ? null : Number(s.last_poll_ms),
      lastError: null,
      lastUptime: s.uptime_s === null || s.last_ok_ms === null ? null : { uptimeS: s.uptime_s, atMs: Number(s.last_ok_ms) },
      openIncident:
        inc === undefined
          ? null
          : {
              incidentId: inc.id ?? incidentIdOf(inc.device_id, Number(inc.started_ms)),
              startedAtMs: Number(inc.started_ms),
              detectedAtMs: Number(inc.detected_ms),
              cause: { kind: inc.cause_kind as never, message: inc.cause_message },
            },
    } satisfies DeviceState;
  });
}

export async function startInProcessCollector(
  ctx: ServiceCtx,
  options: { reloadEveryMs?: number; rollupEveryMs?: number; poll?: PollFn; snmpTimeoutMs?: number } = {},
): Promise<InProcessCollector> {
  const snmp = createSnmpClient({ timeoutMs: options.snmpTimeoutMs ?? 1500, retries: 1, maxInFlight: 256 });
  // Hotspot routers usually present self-signed certificates on API-SSL.
  const pool = createRouterOsPool({ commandTimeoutMs: 5000, maxSessionsPerRouter: 2, tlsOptions: { rejectUnauthorized: false } });
  const poll =
    options.poll ??
    createPoller({
      snmp: (t) => pollSnmpDevice(snmp, t),
      routeros: (t) => pollRouterOsDevice(pool, t),
    });
  const book = createStateBook();
  for (const s of await restoreStates(ctx)) book.set(s);

  const deliver = async (batch: Parameters<typeof ingestBatch>[1]): Promise<void> => {
    const out = await ingestBatch(ctx, batch);
    if (out.incidentEvents.length > 0) {
      notifyIncidents(ctx, out.incidentEvents).catch((err: unknown) => ctx.log.warn('webhook delivery failed', { error: String(err) }));
    }
  };
  const batcher = createBatcher({
    collectorId: 'in-process',
    sink: createInProcessSink(deliver),
    maxItems: 500,
    maxDelayMs: 1000,
    onError: (err) => ctx.log.error('storing poll results failed; kept for the next try', { error: String(err) }),
  });
  const scheduler = createScheduler({
    poll,
    maxConcurrent: 256,
    onResult: (result) => {
      const events: StateEvent[] = book.apply(result);
      batcher.add(result, events);
    },
    onError: (err) => ctx.log.error('poll result handler failed', { error: String(err) }),
  });

  const known = new Map<string, string>();
  let version = '';
  const reload = async (): Promise<void> => {
    const v = await inventoryVersion(ctx.db);
    if (v === version) return;
    version = v;
    const targets: DeviceTarget[] = await Promise.all((await listEnabledDevices(ctx.db)).map((r) => toDeviceTarget(ctx.secrets, r)));
    const seen = new Set<string>();
    for (const t of targets) {
      seen.add(t.deviceId);
      const key = JSON.stringify(t);
      if (known.get(t.deviceId) === key) continue;
      known.set(t.deviceId, key);
      scheduler.upsert(t);
    }
    for (const id of [...known.keys()]) {
      if (seen.has(id)) continue;
      known.delete(id);
      scheduler.remove(id);
      book.remove(id);
    }
  };
  const guarded = (name: string, fn: () => Promise<unknown>) => (): void => {
    fn().catch((err: unknown) => ctx.log.error(`${name} failed`, { error: String(err) }));
  };
  await reload();
  const reloadTimer = setInterval(guarded('device reload', reload), options.reloadEveryMs ?? 2000);
  const rollupTimer = setInterval(guarded('roll-up', () => runRollups(ctx)), options.rollupEveryMs ?? 60_000);
  reloadTimer.unref();
  rollupTimer.unref();
  ctx.log.info('in-process collector started', { devices: known.size });

  return {
    reload,
    stop: async () => {
      clearInterval(reloadTimer);
      clearInterval(rollupTimer);
      await scheduler.stop({ deadlineMs: 5000 });
      await batcher.flush();
      await Promise.allSettled([snmp.close(), pool.close()]);
    },
  };
}

/** Discovery over SNMP for the Node entry (POST /api/v1/devices/discover, and devices added without a vendor). */
export function createSnmpDiscoverer(): { discoverer: DeviceDiscoverer; close(): Promise<void> } {
  let client: ReturnType<typeof createSnmpClient> | null = null;
  return {
    discoverer: {
      discover: async (target, options) => {
        client ??= createSnmpClient({ timeoutMs: options.timeoutMs, retries: 1, maxInFlight: 64 });
        const r = await discoverSnmpDevice(client, { host: target.address, port: target.port, community: target.community, version: target.version }, { timeoutMs: options.timeoutMs });
        if (!r.ok) return r;
        return { ok: true, vendor: r.vendor, model: r.model, version: r.version, sysName: r.system.name, sysDescr: r.system.descr, uptimeS: r.system.uptimeS };
      },
    },
    close: async () => {
      await client?.close();
    },
  };
}

/** The hotspot provisioner for the captive portal: the server reaches the routers over the RouterOS API itself. */
export function createNodeProvisioner(ctx: Pick<ServiceCtx, 'db' | 'secrets'>): { provisioner: HotspotProvisioner; close(): Promise<void> } {
  // Hotspot routers usually present self-signed certificates on API-SSL.
  const pool = createRouterOsPool({ commandTimeoutMs: 5000, maxSessionsPerRouter: 2, tlsOptions: { rejectUnauthorized: false } });
  const provisioner = createRouterOsHotspotProvisioner({
    pool,
    resolveTarget: async (deviceId) => {
      const row = await findDevice(ctx.db, deviceId);
      if (row === undefined) throw new Error(`no device ${deviceId}`);
      return toDeviceTarget(ctx.secrets, row);
    },
  });
  return { provisioner, close: () => pool.close() };
}

/**
 * Periodic housekeeping of the Node entry: hotspot users of ended grants off the routers (5 min), the personal-data
 * retention purge (daily), and the KPI snapshot that trends are drawn from (hourly: it keeps one per city day, the
 * latest, so the day's last snapshot stands).
 */
export function startHousekeeping(ctx: ServiceCtx): { stop(): void } {
  const run = (name: string, fn: () => Promise<unknown>) => (): void => {
    fn().catch((err: unknown) => ctx.log.error(`${name} failed`, { error: String(err) }));
  };
  const sweep = setInterval(run('hotspot user sweep', () => sweepHotspotUsers(ctx)), 5 * 60_000);
  const purge = setInterval(run('personal data purge', () => purgePortalData(ctx)), 24 * 3_600_000);
  const kpis = setInterval(run('KPI snapshot', () => snapshotKpis(ctx)), 3_600_000);
  // Issue 15: the open-data snapshot of the day (hotspots, coverage), replaced hourly so the day's last one stands.
  const openData = setInterval(run('open-data snapshot', () => snapshotOpenData(ctx)), 3_600_000);
  openData.unref();
  sweep.unref();
  purge.unref();
  kpis.unref();
  return {
    stop: () => {
      clearInterval(sweep);
      clearInterval(purge);
      clearInterval(openData);
      clearInterval(kpis);
    },
  };
}
