/**
 * Traffic lights for programme KPIs: green, orange, red, and no-data (grey). Pure: thresholds, the status rule, the
 * reasons a KPI can have no data, and the check that thresholds are in the right order.
 *
 * Rule, per KPI:
 * - higher is better (live points, residents covered, availability, Mbps): green when value >= green,
 *   red when value < red, orange in between. Needs red <= green.
 * - lower is better (time to restore, incidents, budget overrun): green when value <= green, red when value > red,
 *   orange in between. Needs red >= green.
 * - no data (value null): `no-data`, shown grey, always with a reason (KPI_NO_DATA_REASONS). Missing data is neither
 *   failure nor success: a KPI nobody could measure is never red and never green.
 */
import { AppError, type ErrorDetail } from './errors.ts';

export const KPI_STATUSES = ['green', 'orange', 'red', 'no-data'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

/** Why a KPI has no value: a stable code (the console translates it) with the English sentence the API sends. */
export const KPI_NO_DATA_REASONS = {
  'no-sites': 'no site is recorded in the city yet',
  'no-live-site': 'no site in this ward is live yet',
  'no-devices': 'no access point is recorded here yet',
  'never-polled': 'the access points here were never polled, or none reported in the period',
  'residents-unknown': "the ward's residents are unknown: import them",
  'no-bandwidth-stated': 'no live site states its contracted bandwidth',
  'no-rates': 'no device reported rx/tx rates in the last 24 h',
  'no-rollout-items': 'no rollout items in this programme',
  'no-budget': 'no budget recorded on the items',
  'no-speed-tests': 'no citizen ran a speed test here in the last 7 days',
} as const;
export type KpiNoDataReason = keyof typeof KPI_NO_DATA_REASONS;

export type KpiDirection = 'higher' | 'lower';

export interface KpiDefinition {
  key: string;
  label: string;
  unit: string;
  /** The programme's target (shown beside the value). */
  target: number | null;
  direction: KpiDirection;
  scope: 'ward' | 'provider' | 'programme';
  /** Default thresholds. */
  green: number;
  red: number;
}

export interface KpiThreshold {
  green: number;
  red: number;
}

/** The programme: 10 points per kelurahan, 50 Mbps each, SLA 98 %. */
export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  { key: 'livePoints', label: 'Live Wi-Fi points', unit: 'points', target: 10, direction: 'higher', scope: 'ward', green: 10, red: 5 },
  { key: 'residentsCoveredPct', label: 'Residents covered (live)', unit: '%', target: 80, direction: 'higher', scope: 'ward', green: 80, red: 50 },
  { key: 'availabilityPct', label: 'Availability, last 7 days', unit: '%', target: 98, direction: 'higher', scope: 'ward', green: 98, red: 95 },
  { key: 'contractedMbps', label: 'Contracted bandwidth (lowest live point)', unit: 'Mbps', target: 50, direction: 'higher', scope: 'ward', green: 50, red: 25 },
  { key: 'measuredMbps', label: 'Measured peak throughput, last 24 h (mean per AP)', unit: 'Mbps', target: 50, direction: 'higher', scope: 'ward', green: 50, red: 20 },
  { key: 'timeToRestoreH', label: 'Mean time to restore, last 7 days', unit: 'h', target: 4, direction: 'lower', scope: 'ward', green: 4, red: 24 },
  // Issue 14: what citizens measured from the portal's success page (median of their speed tests).
  { key: 'citizenDownMbps', label: 'Citizen download speed, last 7 days (median of speed tests)', unit: 'Mbps', target: 10, direction: 'higher', scope: 'ward', green: 10, red: 3 },
  { key: 'citizenLatencyMs', label: 'Citizen latency, last 7 days (median of speed tests)', unit: 'ms', target: 50, direction: 'lower', scope: 'ward', green: 50, red: 150 },
  { key: 'providerAvailabilityPct', label: 'Availability, last 7 days', unit: '%', target: 98, direction: 'higher', scope: 'provider', green: 98, red: 95 },
  { key: 'providerIncidents', label: 'Incidents, last 7 days', unit: 'incidents', target: 0, direction: 'lower', scope: 'provider', green: 2, red: 10 },
  { key: 'providerTimeToRestoreH', label: 'Mean time to restore, last 7 days', unit: 'h', target: 4, direction: 'lower', scope: 'provider', green: 4, red: 24 },
  { key: 'progressVsSchedulePts', label: 'Progress minus schedule', unit: 'pp', target: 0, direction: 'higher', scope: 'programme', green: 0, red: -20 },
  { key: 'budgetOverrunPts', label: 'Budget used minus progress', unit: 'pp', target: 0, direction: 'lower', scope: 'programme', green: 10, red: 25 },
];

export function kpiDefinition(key: string): KpiDefinition | undefined {
  return KPI_DEFINITIONS.find((d) => d.key === key);
}

/** Green, orange or red for a value; null (no data) is no-data, never red. */
export function kpiStatus(value: number | null, direction: KpiDirection, threshold: KpiThreshold): KpiStatus {
  if (value === null || !Number.isFinite(value)) return 'no-data';
  if (direction === 'higher') {
    if (value >= threshold.green) return 'green';
    if (value < threshold.red) return 'red';
    return 'orange';
  }
  if (value <= threshold.green) return 'green';
  if (value > threshold.red) return 'red';
  return 'orange';
}

/** Problems with a threshold for a KPI (wrong order, not finite); empty when it is fine. */
export function thresholdProblems(key: string, threshold: KpiThreshold): ErrorDetail[] {
  const def = kpiDefinition(key);
  if (def === undefined) return [{ path: key, message: `unknown KPI "${key}"; known: ${KPI_DEFINITIONS.map((d) => d.key).join(', ')}` }];
  const out: ErrorDetail[] = [];
  if (!Number.isFinite(threshold.green) || !Number.isFinite(threshold.red)) out.push({ path: key, message: 'green and red must be finite numbers' });
  else if (def.direction === 'higher' && threshold.red > threshold.green) {
    out.push({ path: key, message: `${def.label}: higher is better, so red (${threshold.red}) must not be above green (${threshold.green})` });
  } else if (def.direction === 'lower' && threshold.red < threshold.green) {
    out.push({ path: key, message: `${def.label}: lower is better, so red (${threshold.red}) must not be below green (${threshold.green})` });
  }
  return out;
}

/** Throws validation_failed naming every KPI whose thresholds are wrong. */
export function assertThresholds(thresholds: Readonly<Record<string, KpiThreshold>>): void {
  const details = Object.entries(thresholds).flatMap(([key, t]) => thresholdProblems(key, t));
  if (details.length > 0) throw new AppError('validation_failed', `thresholds rejected: ${details.map((d) => d.message).join('; ')}`, { details });
}
