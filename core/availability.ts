/**
 * Availability and time to restore, computed from a device's state transitions. Pure: no clock, no I/O.
 *
 * The rule (also in collectors/README.md):
 * - A device's status over time is a step function given by its transitions; before its first transition it is
 *   'unknown'. Time after `nowMs` (when given) is 'unknown' too: the future is not measured.
 * - 'up' and 'degraded' count as available, 'down' as unavailable, 'unknown' (never polled, collector stopped,
 *   device disabled) is left out of the denominator: percent = availableMs / (availableMs + downMs) * 100.
 * - A period with no known time has percent null ("no data"), never 100 and never 0. `firstKnownMs` says where the
 *   observed window starts, so a device watched for two minutes is reported as such, not as 30 days.
 * - Groups (site, ward, provider): the mean of device percentages weighted by each device's covered time, which is
 *   the same as sum(availableMs) / sum(coveredMs). A device with no data does not pull the group either way.
 */

export const DEVICE_STATUSES = ['unknown', 'up', 'degraded', 'down'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** From `atMs` on, the device is in `status` (until the next transition). */
export interface StatusTransition {
  atMs: number;
  status: DeviceStatus;
}

/** Half-open period [fromMs, toMs). */
export interface Period {
  fromMs: number;
  toMs: number;
}

export interface DeviceAvailability {
  periodMs: number;
  upMs: number;
  degradedMs: number;
  downMs: number;
  unknownMs: number;
  /** upMs + degradedMs + downMs: the denominator. */
  coveredMs: number;
  /** 0..100, or null when no time of the period is known. */
  percent: number | null;
  /** The first instant of the period whose status is known (null when none is): the window actually observed starts here. */
  firstKnownMs: number | null;
}

/**
 * Availability of one device over `period`. `transitions` may be in any order and may start before the period
 * (the last one at or before `fromMs` gives the status at the start). Transitions at the same instant: the last in
 * input order wins.
 */
export function deviceAvailability(
  transitions: readonly StatusTransition[],
  period: Period,
  options: { nowMs?: number } = {},
): DeviceAvailability {
  const fromMs = period.fromMs;
  const toMs = Math.max(period.fromMs, period.toMs);
  const knownUntilMs = options.nowMs === undefined ? toMs : Math.max(fromMs, Math.min(toMs, options.nowMs));
  const sorted = transitions
    .map((t, order) => ({ ...t, order }))
    .sort((a, b) => a.atMs - b.atMs || a.order - b.order);

  const totals: Record<DeviceStatus, number> = { unknown: 0, up: 0, degraded: 0, down: 0 };
  let status: DeviceStatus = 'unknown';
  let cursorMs = fromMs;
  let firstKnownMs: number | null = null;
  for (const t of sorted) {
    if (t.atMs <= fromMs) {
      status = t.status;
      continue;
    }
    if (t.atMs >= knownUntilMs) break;
    if (status !== 'unknown' && firstKnownMs === null && t.atMs > cursorMs) firstKnownMs = cursorMs;
    totals[status] += t.atMs - cursorMs;
    cursorMs = t.atMs;
    status = t.status;
  }
  if (status !== 'unknown' && firstKnownMs === null && knownUntilMs > cursorMs) firstKnownMs = cursorMs;
  totals[status] += knownUntilMs - cursorMs;
  totals.unknown += toMs - knownUntilMs;
  return summarise(totals, toMs - fromMs, firstKnownMs);
}

function summarise(totals: Record<DeviceStatus, number>, periodMs: number, firstKnownMs: number | null): DeviceAvailability {
  const coveredMs = totals.up + totals.degraded + totals.down;
  return {
    periodMs,
    upMs: totals.up,
    degradedMs: totals.degraded,
    downMs: totals.down,
    unknownMs: totals.unknown,
    coveredMs,
    percent: coveredMs === 0 ? null : ((totals.up + totals.degraded) / coveredMs) * 100,
    firstKnownMs: coveredMs === 0 ? null : firstKnownMs,
  };
}

export interface GroupAvailability extends DeviceAvailability {
  /** Devices with some covered time in the period. */
  devicesWithData: number;
  devices: number;
}

/** Availability of a group of devices: covered-time-weighted mean of the devices' percentages. */
export function groupAvailability(devices: readonly DeviceAvailability[]): GroupAvailability {
  const totals: Record<DeviceStatus, number> = { unknown: 0, up: 0, degraded: 0, down: 0 };
  let periodMs = 0;
  let devicesWithData = 0;
  let firstKnownMs: number | null = null;
  for (const d of devices) {
    totals.up += d.upMs;
    totals.degraded += d.degradedMs;
    totals.down += d.downMs;
    totals.unknown += d.unknownMs;
    periodMs += d.periodMs;
    if (d.coveredMs > 0) devicesWithData += 1;
    if (d.firstKnownMs !== null && (firstKnownMs === null || d.firstKnownMs < firstKnownMs)) firstKnownMs = d.firstKnownMs;
  }
  return { ...summarise(totals, periodMs, firstKnownMs), devicesWithData, devices: devices.length };
}

/** Groups devices by a key (site id, ward code, provider) and computes each group's availability. */
export function availabilityByGroup<T>(
  items: readonly T[],
  keyOf: (item: T) => string | null,
  availabilityOf: (item: T) => DeviceAvailability,
): Map<string, GroupAvailability> {
  const buckets = new Map<string, DeviceAvailability[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const list = buckets.get(key) ?? [];
    list.push(availabilityOf(item));
    buckets.set(key, list);
  }
  const out = new Map<string, GroupAvailability>();
  for (const [key, list] of buckets) out.set(key, groupAvailability(list));
  return out;
}

/** An outage as recorded by the state machine. `endedAtMs` null while still open. */
export interface IncidentSpan {
  startedAtMs: number;
  endedAtMs: number | null;
}

export interface TimeToRestore {
  /** Incidents that were restored (ended) inside the period. */
  restored: number;
  /** Incidents started before the period's end and still open at its end (or at nowMs). */
  open: number;
  meanMs: number | null;
  medianMs: number | null;
  maxMs: number | null;
}

/**
 * Time to restore (MTTR) over incidents restored within [fromMs, toMs): each one's full duration (start may lie
 * before the period). Open incidents are counted but not averaged: their duration is not known yet.
 */
export function timeToRestore(incidents: readonly IncidentSpan[], period: Period): TimeToRestore {
  const durations: number[] = [];
  let open = 0;
  for (const inc of incidents) {
    if (inc.endedAtMs === null || inc.endedAtMs >= period.toMs) {
      if (inc.startedAtMs < period.toMs) open += 1;
      continue;
    }
    if (inc.endedAtMs >= period.fromMs) durations.push(Math.max(0, inc.endedAtMs - inc.startedAtMs));
  }
  if (durations.length === 0) return { restored: 0, open, meanMs: null, medianMs: null, maxMs: null };
  durations.sort((a, b) => a - b);
  const mid = Math.floor(durations.length / 2);
  const medianMs = durations.length % 2 === 1 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2;
  const sum = durations.reduce((a, b) => a + b, 0);
  return { restored: durations.length, open, meanMs: sum / durations.length, medianMs, maxMs: durations[durations.length - 1]! };
}

/**
 * Issue 11: time inside maintenance windows is unknown time, as disabled time is (outside the denominator). Returns
 * the transitions with each window laid over them: `unknown` from its start, the status the transitions give at its
 * end from there on (nothing when it ends after `untilMs` or never), and no transition of the device's own inside it.
 * Windows may overlap or touch (they are merged); transitions may be in any order (same-instant ties as in
 * `deviceAvailability`). Pure.
 */
export function maskUnknownWindows(transitions: readonly StatusTransition[], windows: readonly Period[], untilMs = Number.POSITIVE_INFINITY): StatusTransition[] {
  if (windows.length === 0) return [...transitions];
  const merged: Period[] = [];
  for (const w of [...windows].filter((w) => w.toMs > w.fromMs).sort((a, b) => a.fromMs - b.fromMs)) {
    const last = merged.at(-1);
    if (last !== undefined && w.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, w.toMs);
    else merged.push({ ...w });
  }
  const sorted = transitions.map((t, order) => ({ ...t, order })).sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  const statusAt = (ms: number): DeviceStatus => {
    let s: DeviceStatus = 'unknown';
    for (const t of sorted) {
      if (t.atMs > ms) break;
      s = t.status;
    }
    return s;
  };
  const inside = (ms: number): boolean => merged.some((w) => ms >= w.fromMs && ms < w.toMs);
  const out: StatusTransition[] = sorted.filter((t) => !inside(t.atMs)).map(({ atMs, status }) => ({ atMs, status }));
  for (const w of merged) {
    out.push({ atMs: w.fromMs, status: 'unknown' });
    if (w.toMs < untilMs) out.push({ atMs: w.toMs, status: statusAt(w.toMs) });
  }
  // Stable by time; a window's own rows come after a device transition at the same instant, so they win.
  return out.map((t, order) => ({ ...t, order })).sort((a, b) => a.atMs - b.atMs || a.order - b.order).map(({ atMs, status }) => ({ atMs, status }));
}
