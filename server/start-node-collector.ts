/**
 * Part of the Node entry (with start-node.ts): the collectors running inside the server process. The only server
 * file besides start-node.ts that imports collectors/. Devices come from the database (re-read when the inventory
 * changes); results go through the same ingest service as POST /api/v1/ingest, so both paths store alike.
 */
import type { DeviceTarget } from '../core/observations.ts';
import type { DeviceDiscoverer } from '../core/discovery.ts';
import type { HotspotProvisioner } from '../core/hotspot.ts';
import { createRouterOsHotspotProvisioner } from '../collectors/hotspot-provisioner.ts';
import { createPoller } from '../collectors/poller.ts';
import type { PollFn } from '../collectors/scheduler/scheduler.ts';
import { DEFAULT_STATE_CONFIG, incidentIdOf, type DeviceState } from '../collectors/state/step.ts';
import { createInProcessSink } from '../collectors/sinks/in-process-sink.ts';
import type { DeadLetterSink } from '../collectors/sinks/dead-letters.ts';
import { createCollectorPipeline, type CollectorPipeline } from '../collectors/pipeline.ts';
import { AppError } from '../core/errors.ts';
import { discoverSnmpDevice, pollSnmpDevice } from '../collectors/drivers/index.ts';
import { snmpOptionsOf } from '../collectors/poller.ts';
import { createSnmpClient } from '../collectors/snmp/index.ts';
import { createRouterOsPool, pollRouterOsDevice } from '../collectors/routeros/index.ts';
import { findDevice, listPolledDevices, inventoryVersion } from './db/devices.ts';
import { listDeviceStatuses } from './db/monitoring.ts';
import { incidentRows } from './db/incidents.ts';
import type { ServiceCtx } from './deps.ts';
import { toDeviceTarget } from './services/devices/device-rules.ts';
import { ingestBatch } from './services/monitoring/ingest-batch.ts';
import { notifyIncidents } from './services/monitoring/webhooks.ts';

export interface InProcessCollector {
  /** Re-reads the devices now (tests call it instead of waiting for the next check). */
  reload(): Promise<void>;
  /** The pipeline (scheduler, states, batcher) this collector runs: its stats, and `observe` for every poll result. */
  readonly pipeline: CollectorPipeline;
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

/** Failures of the in-process ingest that no retry can cure: the batch itself was refused. */
export function isPermanentIngestError(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'validation_failed' || error.code === 'bad_request' || error.code === 'payload_too_large');
}

export async function startInProcessCollector(
  ctx: ServiceCtx,
  options: { reloadEveryMs?: number; poll?: PollFn; snmpTimeoutMs?: number; deadLetters?: DeadLetterSink | null; batchRetryMs?: number } = {},
): Promise<InProcessCollector> {
  const snmp = createSnmpClient({ timeoutMs: options.snmpTimeoutMs ?? 1500, retries: 1, maxInFlight: 256 });
  // Hotspot routers usually present self-signed certificates on API-SSL.
  const pool = createRouterOsPool({ commandTimeoutMs: 5000, maxSessionsPerRouter: 2, tlsOptions: { rejectUnauthorized: false } });
  const poll =
    options.poll ??
    createPoller({
      snmp: (t) => pollSnmpDevice(snmp, t, snmpOptionsOf(t)),
      routeros: (t) => pollRouterOsDevice(pool, t),
    });

  const deliver = async (batch: Parameters<typeof ingestBatch>[1]): Promise<void> => {
    const out = await ingestBatch(ctx, batch);
    if (out.incidentEvents.length > 0) {
      notifyIncidents(ctx, out.incidentEvents).catch((err: unknown) => ctx.log.warn('webhook delivery failed', { error: String(err) }));
    }
  };
  const pipeline = createCollectorPipeline({
    collectorId: 'in-process',
    poll,
    sink: createInProcessSink(deliver),
    deadLetters: options.deadLetters ?? null,
    isPermanent: isPermanentIngestError,
    initialStates: await restoreStates(ctx),
    batch: { maxItems: 500, maxDelayMs: 1000, retryMs: options.batchRetryMs ?? 5000 },
    scheduler: { maxConcurrent: 256 },
    onError: (what, err) =>
      ctx.log.error(what === 'sink' ? 'storing poll results failed; newer results go on, this batch is retried or set aside' : 'poll result handler failed', { error: String(err) }),
  });

  let version = '';
  const reload = async (): Promise<void> => {
    const v = await inventoryVersion(ctx.db);
    if (v === version) return;
    version = v;
    // Inventory-only devices (no polling settings, or monitor off) and disabled ones are not polled.
    const targets: DeviceTarget[] = await Promise.all((await listPolledDevices(ctx.db)).map((r) => toDeviceTarget(ctx.secrets, r)));
    pipeline.applyTargets(targets);
  };
  const guarded = (name: string, fn: () => Promise<unknown>) => (): void => {
    fn().catch((err: unknown) => ctx.log.error(`${name} failed`, { error: String(err) }));
  };
  await reload();
  const reloadTimer = setInterval(guarded('device reload', reload), options.reloadEveryMs ?? 2000);
  reloadTimer.unref();
  ctx.log.info('in-process collector started', { devices: pipeline.stats().devices });

  return {
    reload,
    pipeline,
    stop: async () => {
      clearInterval(reloadTimer);
      await pipeline.stop({ pollDeadlineMs: 5000 });
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
        return { ok: true, vendor: r.vendor, model: r.model, version: r.version, hardwareRevision: r.hardwareRevision, sysName: r.system.name, sysDescr: r.system.descr, uptimeS: r.system.uptimeS };
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
