/**
 * The up/down state machine of one device: pure `stepDeviceState(state, pollResult, config) -> { state, events }`.
 *
 * - unknown -> up after `upFromUnknownAfter` good polls (default 1: a new device shows up on its first answer);
 *   unknown/up/degraded -> down after `downAfter` consecutive failed polls (default 3);
 *   down -> up after `upAfter` consecutive good polls (default 2). One good poll in a failing run resets the count,
 *   one failed poll in a recovering run resets that count (flap damping).
 * - degraded: the device answers but one of `requiredInterfaces` (names, e.g. the WAN port or the radio) is not
 *   oper-up. It counts as available in availability (core/availability.ts). Up <-> degraded switch on the poll that
 *   shows it (no damping): the device is reachable either way, this only tells which part is missing.
 * - An incident opens when the device goes down, starting at the FIRST failed poll of the failing run, with that
 *   poll's error as cause; it closes when the device comes back, ending at the FIRST good poll of the recovering run.
 *   Status transitions carry the same backdated time in `atMs` (and the rule's firing time in `detectedAtMs`), so
 *   availability counts the whole outage.
 * - Reboot: uptime went back between two good polls (even with an outage between them) -> a 'reboot' event.
 * - Polls older than the last one seen (out of order) are ignored.
 */
import type { DeviceStatus } from '../../core/availability.ts';
import { incidentIdOf, type StateEvent } from '../../core/ingest.ts';
import type { PollError, PollResult } from '../../core/observations.ts';
import { isReboot } from '../../core/samples/reboot.ts';

export interface StateConfig {
  downAfter: number;
  upAfter: number;
  upFromUnknownAfter: number;
  /** Interface names that must be oper-up for 'up'; otherwise a good poll gives 'degraded'. Empty: never degraded. */
  requiredInterfaces: readonly string[];
  rebootToleranceS: number;
}

export const DEFAULT_STATE_CONFIG: StateConfig = {
  downAfter: 3,
  upAfter: 2,
  upFromUnknownAfter: 1,
  requiredInterfaces: [],
  rebootToleranceS: 2,
};

export interface OpenIncident {
  incidentId: string;
  startedAtMs: number;
  detectedAtMs: number;
  cause: PollError;
}

export interface DeviceState {
  deviceId: string;
  status: DeviceStatus;
  /** Effective time of the last status change; null while unknown since the start. */
  sinceMs: number | null;
  /** Length and start of the current run of failed (or good) polls. */
  failures: number;
  failRunStartMs: number | null;
  failRunCause: PollError | null;
  successes: number;
  goodRunStartMs: number | null;
  lastPollAtMs: number | null;
  lastError: PollError | null;
  lastUptime: { uptimeS: number; atMs: number } | null;
  openIncident: OpenIncident | null;
}

export function initialDeviceState(deviceId: string): DeviceState {
  return {
    deviceId,
    status: 'unknown',
    sinceMs: null,
    failures: 0,
    failRunStartMs: null,
    failRunCause: null,
    successes: 0,
    goodRunStartMs: null,
    lastPollAtMs: null,
    lastError: null,
    lastUptime: null,
    openIncident: null,
  };
}

export { incidentIdOf };

export interface StepResult {
  state: DeviceState;
  events: StateEvent[];
}

function goodStatus(result: PollResult & { ok: true }, config: StateConfig): 'up' | 'degraded' {
  if (config.requiredInterfaces.length === 0) return 'up';
  for (const name of config.requiredInterfaces) {
    const iface = result.interfaces.find((i) => i.name === name);
    if (iface === undefined || iface.operUp !== true) return 'degraded';
  }
  return 'up';
}

export function stepDeviceState(state: DeviceState, result: PollResult, config: StateConfig = DEFAULT_STATE_CONFIG): StepResult {
  const atMs = result.startedAtMs;
  if (state.lastPollAtMs !== null && atMs < state.lastPollAtMs) return { state, events: [] };
  const events: StateEvent[] = [];
  const next: DeviceState = { ...state, lastPollAtMs: atMs };
  const deviceId = state.deviceId;

  const change = (to: DeviceStatus, effectiveMs: number): void => {
    if (to === next.status) return;
    events.push({ type: 'status_changed', deviceId, atMs: effectiveMs, detectedAtMs: atMs, from: next.status, to });
    next.status = to;
    next.sinceMs = effectiveMs;
  };

  if (!result.ok) {
    next.lastError = result.error;
    next.successes = 0;
    next.goodRunStartMs = null;
    if (next.failures === 0) {
      next.failRunStartMs = atMs;
      next.failRunCause = result.error;
    }
    next.failures += 1;
    if (next.status !== 'down' && next.failures >= Math.max(1, config.downAfter)) {
      const startedAtMs = next.failRunStartMs ?? atMs;
      const cause = next.failRunCause ?? result.error;
      change('down', startedAtMs);
      if (next.openIncident === null) {
        const incidentId = incidentIdOf(deviceId, startedAtMs);
        next.openIncident = { incidentId, startedAtMs, detectedAtMs: atMs, cause };
        events.push({ type: 'incident_opened', deviceId, incidentId, startedAtMs, detectedAtMs: atMs, cause });
      }
    }
    return { state: next, events };
  }

  // A good poll.
  next.failures = 0;
  next.failRunStartMs = null;
  next.failRunCause = null;
  if (next.successes === 0) next.goodRunStartMs = atMs;
  next.successes += 1;

  const uptimeS = result.system.uptimeS;
  if (uptimeS !== null) {
    const reading = { uptimeS, atMs };
    if (state.lastUptime !== null && isReboot(state.lastUptime, reading, { toleranceS: config.rebootToleranceS })) {
      events.push({
        type: 'reboot',
        deviceId,
        atMs,
        bootedAtMs: Math.max(0, Math.round(atMs - uptimeS * 1000)),
        previousUptimeS: state.lastUptime.uptimeS,
        uptimeS,
      });
    }
    next.lastUptime = reading;
  }

  const target = goodStatus(result, config);
  if (next.status === 'up' || next.status === 'degraded') {
    change(target, atMs);
  } else {
    const needed = next.status === 'down' ? config.upAfter : config.upFromUnknownAfter;
    if (next.successes >= Math.max(1, needed)) {
      const restoredAtMs = next.goodRunStartMs ?? atMs;
      change(target, restoredAtMs);
      const open = next.openIncident;
      if (open !== null) {
        events.push({
          type: 'incident_closed',
          deviceId,
          incidentId: open.incidentId,
          startedAtMs: open.startedAtMs,
          endedAtMs: restoredAtMs,
          detectedAtMs: atMs,
          cause: open.cause,
        });
        next.openIncident = null;
      }
    }
  }
  return { state: next, events };
}
