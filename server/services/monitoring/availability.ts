import { AppError } from '../../../core/errors.ts';
import { deviceAvailability, groupAvailability, timeToRestore, type DeviceStatus, type StatusTransition } from '../../../core/availability.ts';
import { fleetRows, incidentsOfDevices, transitionsOf } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';

export interface AvailabilityScope {
  deviceId?: string | undefined;
  siteId?: string | undefined;
  wardCode?: string | undefined;
  provider?: string | undefined;
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

/** Device ids in a scope (one device, a site, a ward, a provider, or every device). */
async function devicesIn(ctx: ServiceCtx, scope: AvailabilityScope): Promise<string[]> {
  const rows = await fleetRows(ctx.db);
  return rows
    .filter(
      (r) =>
        (scope.deviceId === undefined || r.id === scope.deviceId) &&
        (scope.siteId === undefined || r.site_id === scope.siteId) &&
        (scope.wardCode === undefined || r.ward_code === scope.wardCode) &&
        (scope.provider === undefined || r.provider === scope.provider),
    )
    .map((r) => r.id);
}

/** Availability over [from, to) from state transitions; MTTR from incidents restored in the period. */
export async function availability(ctx: ServiceCtx, scope: AvailabilityScope, period: { fromMs: number; toMs: number }): Promise<AvailabilityOut> {
  if (!(period.toMs > period.fromMs)) throw new AppError('validation_failed', '`to` must be after `from`');
  const ids = await devicesIn(ctx, scope);
  if (scope.deviceId !== undefined && ids.length === 0) throw new AppError('not_found', `no device ${scope.deviceId}`);
  const transitions = await transitionsOf(ctx.db, ids, period.toMs);
  const byDevice = new Map<string, StatusTransition[]>();
  for (const t of transitions) {
    const list = byDevice.get(t.device_id) ?? [];
    list.push({ atMs: Number(t.at_ms), status: t.status as DeviceStatus });
    byDevice.set(t.device_id, list);
  }
  const nowMs = ctx.clock.nowMs();
  const per = ids.map((id) => deviceAvailability(byDevice.get(id) ?? [], period, { nowMs }));
  const g = groupAvailability(per);
  const incidents = (await incidentsOfDevices(ctx.db, ids, period.toMs)).filter((i) => i.ended_ms === null || Number(i.ended_ms) > period.fromMs);
  const ttr = timeToRestore(
    incidents.map((i) => ({ startedAtMs: Number(i.started_ms), endedAtMs: i.ended_ms === null ? null : Number(i.ended_ms) })),
    period,
  );
  return {
    scope,
    from: new Date(period.fromMs).toISOString(),
    to: new Date(period.toMs).toISOString(),
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
