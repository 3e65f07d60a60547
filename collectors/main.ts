/**
 * The standalone collector: `npm run collector -- --config collector.json`.
 * Wires scheduler -> poller (SNMP + RouterOS) -> state machine -> batcher -> HTTP sink with on-disk outbox -> the
 * server's POST /api/v1/ingest. Devices come from the config file or from GET /api/v1/collector/targets.
 * Stops gracefully on SIGINT/SIGTERM: polls in flight get 10 s, the last batch goes to the outbox, states are saved.
 * Logs are JSON lines on stderr and never hold a secret.
 */
import { pathToFileURL } from 'node:url';
import { collectorTargetsResponse } from '../core/ingest.ts';
import { openWithToken } from '../core/token-seal.ts';
import type { DeviceTarget } from '../core/observations.ts';
import { loadCollectorConfig } from './config.ts';
import type { CollectorConfig } from './config.ts';
import { createPoller, snmpOptionsOf } from './poller.ts';
import type { PollFn, Scheduler } from './scheduler/scheduler.ts';
import { loadStates, saveStates } from './state/state-file.ts';
import { createCollectorPipeline } from './pipeline.ts';
import type { CollectorPipeline } from './pipeline.ts';
import { createHttpSink } from './sinks/http-sink.ts';
import type { HttpSink } from './sinks/http-sink.ts';
import { pollSnmpDevice } from './drivers/index.ts';
import { createSnmpClient } from './snmp/index.ts';
import { createRouterOsPool, pollRouterOsDevice } from './routeros/index.ts';

export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

const stderrLog: Log = (level, msg, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ at: new Date().toISOString(), level, msg, ...fields })}\n`);
};

export interface RunningCollector {
  scheduler: Scheduler;
  pipeline: CollectorPipeline;
  sink: HttpSink;
  /** Re-reads the target list (server source) now. */
  refreshTargets(): Promise<void>;
  stop(options?: { pollDeadlineMs?: number; drainMs?: number }): Promise<void>;
}

/** Builds the poll function from the real SNMP and RouterOS clients; returns it with a closer. */
function protocolPoller(config: CollectorConfig): { poll: PollFn; close: () => Promise<void> } {
  const snmp = createSnmpClient({ timeoutMs: config.snmp.timeoutMs, retries: config.snmp.retries, maxInFlight: config.snmp.maxInFlight });
  const pool = createRouterOsPool({ commandTimeoutMs: config.routeros.commandTimeoutMs, maxSessionsPerRouter: config.routeros.maxSessionsPerRouter });
  const poll = createPoller({
    snmp: (target) => pollSnmpDevice(snmp, target, snmpOptionsOf(target)),
    routeros: (target) => pollRouterOsDevice(pool, target),
  });
  return {
    poll,
    close: async () => {
      await Promise.allSettled([snmp.close(), pool.close()]);
    },
  };
}

export async function startCollector(
  config: CollectorConfig,
  deps: { poll?: PollFn; log?: Log; fetchFn?: typeof fetch } = {},
): Promise<RunningCollector> {
  const log = deps.log ?? stderrLog;
  const fetchFn = deps.fetchFn ?? fetch;
  const protocol = deps.poll === undefined ? protocolPoller(config) : null;
  const poll = deps.poll ?? protocol!.poll;

  const sink = await createHttpSink({
    serverUrl: config.serverUrl,
    token: config.token,
    outboxDir: config.outboxDir,
    fetchFn,
    onRetry: (entry, attempt, reason, delayMs) => log('warn', 'ingest retry', { batchId: entry.batchId, attempt, reason, delayMs }),
    onRejected: (entry, status, body) => log('error', 'ingest refused the batch; kept in outbox/rejected', { batchId: entry.batchId, status, body: body.slice(0, 300) }),
  });
  const left = await sink.pending();
  if (left > 0) log('info', 'sending batches left in the outbox', { batches: left });

  let statesDirty = false;
  const pipeline = createCollectorPipeline({
    collectorId: config.collectorId,
    poll,
    sink,
    // Refused batches already move to <outbox>/rejected/ inside the HTTP sink; the outbox write itself only fails
    // on disk trouble, which a later try may cure.
    initialStates: await loadStates(config.stateFile),
    state: config.state,
    batch: { maxItems: config.batch.maxItems, maxDelayMs: config.batch.maxDelayMs },
    scheduler: {
      maxConcurrent: config.scheduler.maxConcurrent,
      ...(config.scheduler.pollTimeoutMs === undefined ? {} : { pollTimeoutMs: config.scheduler.pollTimeoutMs }),
    },
    onError: (what, error) => log('error', what === 'sink' ? 'outbox write failed; batch kept in memory' : 'result handler failed', { error: String(error) }),
  });
  const { scheduler, book } = pipeline;
  pipeline.observe((result, events) => {
    if (events.length > 0 || result.ok === false) statesDirty = true;
    for (const e of events) if (e.type !== 'status_changed') log('info', e.type, { deviceId: e.deviceId });
  });

  /** How many devices this process polls now (the leases it holds, in lease mode). */
  let heldDevices = 0;
  function applyTargets(targets: readonly DeviceTarget[]): void {
    pipeline.applyTargets(targets);
    heldDevices = targets.length;
  }

  /** When the leases were last renewed: past their lifetime the server gives the devices to another collector. */
  let leasedAtMs = Date.now();
  let renewing = false;
  /**
   * The leased targets by device id and the server's `version` of the answer they came from: a renewal sends it back
   * and gets only the devices taken or changed since, plus the ids held (issue 17). Undefined: ask for the whole list.
   */
  const leased = new Map<string, DeviceTarget>();
  let leaseVersion: number | undefined;
  async function renewLeases(lease: { group: string; ttlS: number; changesOnly: boolean }): Promise<void> {
    if (renewing) return;
    renewing = true;
    try {
      const res = await fetchFn(new URL('/api/v1/collector/leases', config.serverUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${config.token}`, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ collectorId: config.collectorId, group: lease.group, ttlMs: Math.round(lease.ttlS * 1000), ...(leaseVersion === undefined ? {} : { since: leaseVersion }) }),
        signal: AbortSignal.timeout(Math.max(1000, lease.ttlS * 500)),
      });
      if (!res.ok) throw new Error(`leases refused: HTTP ${res.status}`);
      const body = (await res.json()) as { sealedTargets?: unknown; mode?: unknown; version?: unknown; ids?: unknown };
      const opened = typeof body.sealedTargets === 'string' ? (JSON.parse(await openWithToken(config.token, body.sealedTargets)) as unknown) : null;
      const parsed = collectorTargetsResponse.safeParse(opened);
      if (!parsed.success) throw new Error('lease answer malformed');
      const changes = body.mode === 'changes';
      if (changes && !(Array.isArray(body.ids) && body.ids.every((x) => typeof x === 'string'))) throw new Error('lease answer malformed: changes without ids');
      leasedAtMs = Date.now();
      const before = heldDevices;
      const fresh = new Map(parsed.data.targets.map((x) => [x.deviceId, x]));
      const ids = changes ? (body.ids as string[]) : [...fresh.keys()];
      // Unchanged: nothing to apply (the pipeline keeps its schedule); a device held without a target known here
      // (an answer lost in between) makes the next renewal ask for the whole list.
      const same = changes && fresh.size === 0 && ids.length === leased.size && ids.every((id) => leased.has(id));
      if (!same) {
        const next = ids.map((id) => fresh.get(id) ?? leased.get(id)).filter((x): x is DeviceTarget => x !== undefined);
        leased.clear();
        for (const x of next) leased.set(x.deviceId, x);
        applyTargets(next);
      }
      const complete = leased.size === ids.length;
      leaseVersion = lease.changesOnly && complete && typeof body.version === 'number' ? body.version : undefined;
      if (heldDevices !== before) log('info', 'leases', { group: lease.group, devices: heldDevices });
    } catch (error) {
      // Past the lease lifetime another collector owns these devices: stop polling them rather than poll twice.
      if (Date.now() - leasedAtMs >= lease.ttlS * 1000 && heldDevices > 0) {
        log('warn', 'leases lapsed; polling nothing until the server answers', { devices: heldDevices });
        leased.clear();
        leaseVersion = undefined;
        applyTargets([]);
      } else log('warn', 'lease renewal failed; keeping the devices until the leases lapse', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      renewing = false;
    }
  }

  async function refreshTargets(): Promise<void> {
    if (config.targets.source === 'file') {
      applyTargets(config.targets.devices);
      return;
    }
    if (config.targets.source === 'lease') {
      await renewLeases(config.targets);
      return;
    }
    try {
      const res = await fetchFn(new URL('/api/v1/collector/targets', config.serverUrl), {
        headers: { authorization: `Bearer ${config.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
      if (!res.ok) {
        log('warn', 'target list refused; keeping the current one', { status: res.status });
        return;
      }
      const body = (await res.json()) as { sealedTargets?: unknown };
      // Credentials arrive sealed to this collector's token (core/token-seal.ts).
      const opened = typeof body.sealedTargets === 'string' ? (JSON.parse(await openWithToken(config.token, body.sealedTargets)) as unknown) : body;
      const parsed = collectorTargetsResponse.safeParse(opened);
      if (!parsed.success) {
        log('warn', 'target list malformed; keeping the current one', { issues: parsed.error.issues.length });
        return;
      }
      applyTargets(parsed.data.targets);
      log('info', 'targets', { devices: pipeline.stats().devices });
    } catch (error) {
      log('warn', 'target list unreachable; keeping the current one', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  await refreshTargets();
  const refreshTimer =
    config.targets.source === 'server'
      ? setInterval(() => void refreshTargets(), config.targets.refreshS * 1000)
      : config.targets.source === 'lease'
        ? setInterval(() => void refreshTargets(), config.targets.renewS * 1000)
        : null;
  const saveTimer = setInterval(() => {
    if (!statesDirty) return;
    statesDirty = false;
    saveStates(config.stateFile, book.all()).catch((error: unknown) => log('warn', 'state snapshot failed', { error: String(error) }));
  }, 10_000);
  log('info', 'collector started', { collectorId: config.collectorId, devices: pipeline.stats().devices, targets: config.targets.source });

  let stopping: Promise<void> | null = null;
  return {
    scheduler,
    pipeline,
    sink,
    refreshTargets,
    stop(options: { pollDeadlineMs?: number; drainMs?: number } = {}): Promise<void> {
      stopping ??= (async (): Promise<void> => {
        if (refreshTimer !== null) clearInterval(refreshTimer);
        clearInterval(saveTimer);
        const outcome = await pipeline.stop({ pollDeadlineMs: options.pollDeadlineMs ?? 10_000 });
        await saveStates(config.stateFile, book.all()).catch((error: unknown) => log('warn', 'state snapshot failed', { error: String(error) }));
        const drained = await sink.drain({ timeoutMs: options.drainMs ?? 5000 });
        await sink.close();
        await protocol?.close();
        log('info', 'collector stopped', { ...outcome, outboxEmpty: drained });
      })();
      return stopping;
    },
  };
}

function configPathFrom(argv: readonly string[]): string | null {
  const i = argv.indexOf('--config');
  if (i >= 0) return argv[i + 1] ?? null;
  const eq = argv.find((a) => a.startsWith('--config='));
  return eq === undefined ? null : eq.slice('--config='.length);
}

async function main(): Promise<void> {
  const file = configPathFrom(process.argv.slice(2));
  if (file === null) {
    process.stderr.write('usage: npm run collector -- --config collector.json\n');
    process.exit(2);
  }
  let config: CollectorConfig;
  try {
    config = await loadCollectorConfig(file);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const running = await startCollector(config);
  const shutdown = (signal: string): void => {
    stderrLog('info', 'stopping', { signal });
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        stderrLog('error', 'stop failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error: unknown) => {
    stderrLog('error', 'collector failed to start', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
