import { AppError } from '../../../core/errors.ts';
import type { InterfaceNow, TrafficSelection } from '../../../core/interface-roles.ts';
import { toDeviceOut } from '../devices/device-rules.ts';
import { isoAt } from '../../../core/time.ts';
import { findDevice, isMonitored } from '../../db/devices.ts';
import { findDeviceStatus, fleetRows, recentPolls } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';
import { selectWards } from '../regions/region-filter.ts';
import { scopeOf } from '../regions/scope.ts';

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : isoAt(Number(ms)));

export interface DeviceStatusOut {
  deviceId: string;
  /** `unmonitored` (issue 11): inventory only, never polled; its last known figures stay, its state is not a fault. */
  state: 'up' | 'degraded' | 'down' | 'unknown' | 'unmonitored';
  since: string | null;
  lastPollAt: string | null;
  lastOkAt: string | null;
  lastError: { kind: string; message: string; at: string | null } | null;
  uptimeS: number | null;
  clients: number | null;
  rxBps: number | null;
  txBps: number | null;
  sysName: string | null;
  sysDescr: string | null;
  version: string | null;
  ssids: { ssid: string; radio: string | null; clients: number }[];
  enabled: boolean;
  interfaces: InterfaceNow[];
  trafficInterfaces: TrafficSelection | null;
}

export async function deviceStatus(ctx: ServiceCtx, id: string): Promise<DeviceStatusOut> {
  const dev = await findDevice(ctx.db, id);
  if (dev === undefined) throw new AppError('not_found', `no device ${id}`);
  const st = await findDeviceStatus(ctx.db, id);
  return {
    deviceId: id,
    state: !isMonitored(dev, st !== undefined) ? 'unmonitored' : dev.enabled !== 1 ? 'unknown' : ((st?.status as DeviceStatusOut['state']) ?? 'unknown'),
    since: iso(st?.since_ms),
    lastPollAt: iso(st?.last_poll_ms),
    lastOkAt: iso(st?.last_ok_ms),
    lastError: st?.last_error_kind == null ? null : { kind: st.last_error_kind, message: st.last_error_message ?? '', at: iso(st.last_error_ms) },
    uptimeS: st?.uptime_s ?? null,
    clients: st?.clients ?? null,
    rxBps: st?.in_bps ?? null,
    txBps: st?.out_bps ?? null,
    sysName: st?.sys_name ?? null,
    sysDescr: st?.sys_descr ?? null,
    version: st?.version ?? null,
    ssids: st?.ssids == null ? [] : (JSON.parse(st.ssids) as DeviceStatusOut['ssids']),
    enabled: dev.enabled === 1,
    interfaces: st?.interfaces == null ? [] : (JSON.parse(st.interfaces) as InterfaceNow[]),
    trafficInterfaces: toDeviceOut(dev, { community: false, routerosPassword: false }).trafficInterfaces,
  };
}

export async function fleetStatus(ctx: ServiceCtx): Promise<{
  items: {
    deviceId: string;
    name: string;
    role: string;
    siteId: string | null;
    siteName: string | null;
    lat: number | null;
    lon: number | null;
    wardCode: string | null;
    provider: string | null;
    state: string;
    since: string | null;
    lastPollAt: string | null;
    clients: number | null;
    lastErrorKind: string | null;
  }[];
  counts: Record<string, number>;
}> {
  // Staff limited to one kabupaten/kota (issue 17): its devices only, and the counts of those.
  const mine = scopeOf(ctx) === null ? null : (await selectWards(ctx, undefined)).wardCodes;
  const rows = (await fleetRows(ctx.db)).filter((r) => mine === null || (r.ward_code !== null && mine.has(r.ward_code)));
  const counts: Record<string, number> = { up: 0, degraded: 0, down: 0, unknown: 0, unmonitored: 0 };
  const items = rows.map((r) => {
    const state = !isMonitored(r, r.status !== null) ? 'unmonitored' : r.enabled === 1 ? (r.status ?? 'unknown') : 'unknown';
    counts[state] = (counts[state] ?? 0) + 1;
    return {
      deviceId: r.id,
      name: r.name,
      role: r.role,
      siteId: r.site_id,
      siteName: r.site_name,
      lat: r.lat,
      lon: r.lon,
      wardCode: r.ward_code,
      provider: r.provider,
      state,
      since: iso(r.since_ms),
      lastPollAt: iso(r.last_poll_ms),
      clients: r.clients,
      lastErrorKind: r.last_error_kind,
    };
  });
  return { items, counts };
}

export async function devicePolls(ctx: ServiceCtx, id: string, limit: number): Promise<{ items: { at: string; ok: boolean; durationMs: number; error: { kind: string; message: string } | null }[] }> {
  if ((await findDevice(ctx.db, id)) === undefined) throw new AppError('not_found', `no device ${id}`);
  const rows = await recentPolls(ctx.db, id, limit);
  return {
    items: rows.map((r) => ({
      at: isoAt(Number(r.at_ms)),
      ok: r.ok === 1,
      durationMs: r.duration_ms,
      error: r.ok === 1 ? null : { kind: r.error_kind ?? 'internal', message: r.error_message ?? '' },
    })),
  };
}
