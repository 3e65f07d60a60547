/**
 * One poll function for the scheduler, built from the protocol pollers (injected, so this file imports neither
 * collectors/snmp nor collectors/routeros; main.ts and the server pass them in).
 *
 * Which protocol: a device with RouterOS API settings is polled over the API (it knows hotspot users); when that
 * poll fails and the device also has SNMP settings, SNMP is tried before the device counts as failed (a router whose
 * API is busy is still up). A device with only SNMP settings is polled over SNMP. Neither: a 'config' failure.
 * The protocol pollers take no AbortSignal; an abort answers at once with a failure and their late result is dropped.
 */
import type { DeviceTarget, PollFailure, PollResult } from '../core/observations.ts';
import type { PollFn } from './scheduler/scheduler.ts';

export type ProtocolPollFn = (target: DeviceTarget) => Promise<PollResult>;

export interface PollerDeps {
  snmp?: ProtocolPollFn;
  routeros?: ProtocolPollFn;
  nowMs?: () => number;
}

function failure(target: DeviceTarget, startedAtMs: number, nowMs: number, kind: PollFailure['error']['kind'], message: string): PollFailure {
  return { ok: false, deviceId: target.deviceId, startedAtMs, durationMs: Math.max(0, nowMs - startedAtMs), error: { kind, message } };
}

function abortable(work: Promise<PollResult>, signal: AbortSignal, onAbort: () => PollResult): Promise<PollResult> {
  if (signal.aborted) return Promise.resolve(onAbort());
  return new Promise((resolve) => {
    const listener = (): void => resolve(onAbort());
    signal.addEventListener('abort', listener, { once: true });
    work.then(
      (r) => {
        signal.removeEventListener('abort', listener);
        resolve(r);
      },
      () => {
        signal.removeEventListener('abort', listener);
        resolve(onAbort());
      },
    );
  });
}

/** Marks which protocol answered a good poll (see PollSuccess.protocol). */
function tagged(result: PollResult, protocol: 'snmp' | 'routeros'): PollResult {
  return result.ok ? { ...result, protocol } : result;
}

export function createPoller(deps: PollerDeps): PollFn {
  const nowMs = deps.nowMs ?? ((): number => Date.now());
  const safe = async (fn: ProtocolPollFn, target: DeviceTarget, startedAtMs: number): Promise<PollResult> => {
    try {
      return await fn(target);
    } catch (error) {
      return failure(target, startedAtMs, nowMs(), 'internal', `poller threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (target: DeviceTarget, signal: AbortSignal): Promise<PollResult> => {
    const startedAtMs = nowMs();
    const work = (async (): Promise<PollResult> => {
      if (target.routeros !== null && deps.routeros !== undefined) {
        const viaApi = tagged(await safe(deps.routeros, target, startedAtMs), 'routeros');
        if (viaApi.ok || target.snmp === null || deps.snmp === undefined || signal.aborted) return viaApi;
        const viaSnmp = tagged(await safe(deps.snmp, target, startedAtMs), 'snmp');
        return viaSnmp.ok ? viaSnmp : viaApi;
      }
      if (target.snmp !== null && deps.snmp !== undefined) return tagged(await safe(deps.snmp, target, startedAtMs), 'snmp');
      return failure(target, startedAtMs, nowMs(), 'config', 'device has neither SNMP nor RouterOS API settings this collector can use');
    })();
    return abortable(work, signal, () => failure(target, startedAtMs, nowMs(), 'timeout', 'poll aborted'));
  };
}

/** Issue 11: a device's own SNMP timeout and retries (from its target), for pollSnmpDevice; none: the client's. */
export function snmpOptionsOf(target: DeviceTarget): { timeoutMs?: number; retries?: number } | undefined {
  const s = target.snmp;
  if (s === null || (s.timeoutMs === undefined && s.retries === undefined)) return undefined;
  return { ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }), ...(s.retries === undefined ? {} : { retries: s.retries }) };
}
