import { AppError } from '../../../core/errors.ts';
import { deviceAvailability, groupAvailability, timeToRestore, type DeviceStatus, type StatusTransition } from '../../../core/availability.ts';
import { fleetRows, incidentsOfDevices, transitionsOf } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';

export interface AvailabilityScope {
  deviceId?: string | undefined;
  siteId?: string | undefined;
  wardCode?: string | undefined;
  provider?: string | undefined;
  /** A region of any level (issue 17); the devices are then limited by the ward set passed alongside. */
  region?: string | undefined;
}

export interface AvailabilityOut {
  scope: AvailabilityScope;
  from: string;
  to: string;
  /** 0..100 over the time the devices were observed; null when none was. */
  percent: number | null;
  /** Length of the period asked for, s. */
  periodS: number;
  /**
   * The window actually observed: from the first instant any device's state was known, to the end of the period
   * (or now). null when nothing was observed. A device watched for two minutes says two minutes, not 30 days.
   */
  observedFrom: string | null;
  observedWindowS: number;
  upS: number;
  downS: number;
  observedS: number;
  unknownS: number;
  devices: number;
  devicesWithData: number;
  incidents: number;
  openIncidents: number;
  mttrS: number | null;
}

/** Device ids in a scope (one device, a site, a ward, a provider, a set of wards, or every device). */
async function devicesIn(ctx: ServiceCtx, scope: AvailabilityScope, wardCodes: ReadonlySet<string> | null): Promise<string[]> {
  const rows = await fleetRows(ctx.db);
  return rows
    .filter(
      (r) =>
        (scope.deviceId === undefined || r.id === scope.deviceId) &&
        (scope.siteId === undefined || r.site_id === scope.siteId) &&
        (scope.wardCode === undefined || r.ward_code === scope.wardCode) &&
        (scope.provider === undefined || r.provider === scope.provider) &&
        (wardCodes === null || (r.ward_code !== null && wardCodes.has(r.ward_code))),
    )
    .map((r) => r.id);
}

/** The state transitions and incidents of some devices up to the end of a period, read once for many groups. */
export interface AvailabilityInputs {
  byDevice: Map<string, StatusTransition[]>;
  incidents: { device_id: string; started_ms: number | string; ended_ms: number | string | null }[];
}

export async function loadAvailabilityInputs(ctx: ServiceCtx, ids: readonly string[], period: { fromMs: number; toMs: number }): Promise<AvailabilityInputs> {
  const transitions = await transitionsOf(ctx.db, ids, period.toMs);
  const byDevice = new Map<string, StatusTransition[]>();
  for (const t of transitions) {
    const list = byDevice.get(t.device_id) ?? [];
    list.push({ atMs: Number(t.at_ms), status: t.status as DeviceStatus });
    byDevice.set(t.device_id, list);
  }
  const incidents = (await incidentsOfDevices(ctx.db, ids, period.toMs)).filter((i) => i.ended_ms === null || Number(i.ended_ms) > period.fromMs);
  return { byDevice, incidents };
}

export type AvailabilityFigures = Omit<AvailabilityOut, 'scope' | 'from' | 'to'>;

/** Availability of a group of devices over the period, from inputs read for them (or for more). */
export function availabilityOf(ids: readonly string[], inputs: AvailabilityInputs, period: { fromMs: number; toMs: number }, nowMs: number): AvailabilityFigures {
  const per = ids.map((id) => deviceAvailability(inputs.byDevice.get(id) ?? [], period, { nowMs }));
  const g = groupAvailability(per);
  const mine = new Set(ids);
  const incidents = inputs.incidents.filter((i) => mine.has(i.device_id));
  const ttr = timeToRestore(
    incidents.map((i) => ({ startedAtMs: Number(i.started_ms), endedAtMs: i.ended_ms === null ? null : Number(i.ended_ms) })),
    period,
  );
  return {
    percent: g.percent,
    periodS: (period.toMs - period.fromMs) / 1000,
    observedFrom: g.firstKnownMs === null ? null : new Date(g.firstKnownMs).toISOString(),
    observedWindowS: g.firstKnownMs === null ? 0 : (Math.min(period.toMs, Math.max(period.fromMs, nowMs)) - g.firstKnownMs) / 1000,
    upS: (g.upMs + g.degradedMs) / 1000,
    downS: g.downMs / 1000,
    observedS: g.coveredMs / 1000,
    unknownS: g.unknownMs / 1000,
    devices: g.devices,
    devicesWithData: g.devicesWithData,
    incidents: incidents.length,
    openIncidents: ttr.open,
    mttrS: ttr.meanMs === null ? null : ttr.meanMs / 1000,
  };
}

export function assertPeriod(period: { fromMs: number; toMs: number }): void {
  if (!(period.toMs > period.fromMs)) throw new AppError('validation_failed', '`to` must be after `from`');
}

/**
 * Availability over [from, to) from state transitions; MTTR from incidents restored in the period. `wardCodes`
 * limits the devices to those wards (a region, or a caller's kabupaten/kota); null for no limit.
 */
export async function availability(ctx: ServiceCtx, scope: AvailabilityScope, period: { fromMs: number; toMs: number }, wardCodes: ReadonlySet<string> | null = null): Promise<AvailabilityOut> {
  assertPeriod(period);
  const ids = await devicesIn(ctx, scope, wardCodes);
  if (scope.deviceId !== undefined && ids.length === 0) throw new AppError('not_found', `no device ${scope.deviceId}`);
  const inputs = await loadAvailabilityInputs(ctx, ids, period);
  return { scope, from: new Date(period.fromMs).toISOString(), to: new Date(period.toMs).toISOString(), ...availabilityOf(ids, inputs, period, ctx.clock.nowMs()) };
}
