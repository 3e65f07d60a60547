/**
 * The public programme summary (no sign-in): counts and percentages only, no names of people, no addresses, no
 * device addresses. A ward's `coveredPct` is the share of its residents covered by the live layer and its `status`
 * the traffic light of that same figure (so a ward is never green at 0 %), or `no-data` with a `reason` when nothing
 * was measured (no access point, never polled, residents unknown: never red, never 0 %). `livePoints` and
 * `livePointsStatus` give the programme's target of 10 per kelurahan. `availabilityTodayPct` covers every device
 * since the city's midnight (WIB); null when none reported today. `pointsLive` counts sites in status live,
 * `pointsWorking` those of them with a device up now (what a citizen cares about), `pointsTotal` every site not
 * retired. `residentsCoveredPct` is null (with `residentsCoveredReason`) when nothing was measured and `partial` when
 * some wards have no residents figure.
 *
 * Anyone may call it, so the answer is kept for SUMMARY_TTL_MS per database: a flood of anonymous requests costs
 * one computation every 30 s, not one each.
 */
import { deviceAvailability, groupAvailability, type DeviceStatus, type StatusTransition } from '../../../core/availability.ts';
import type { KpiNoDataReason, KpiStatus } from '../../../core/traffic-light.ts';
import { fleetRows, transitionsOf } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';
import { cityMidnightMs } from './city-day.ts';
import { kpisOfWard, loadKpiInputs } from './ward-kpis.ts';

export interface PublicSummary {
  asOf: string;
  pointsLive: number;
  pointsWorking: number;
  pointsTotal: number;
  availabilityTodayPct: number | null;
  residentsCoveredPct: number | null;
  residentsCoveredReason?: KpiNoDataReason;
  /** The city figure leaves out wards without a residents figure. */
  partial: boolean;
  wards: Array<{
    code: string; name: string; coveredPct: number | null; status: KpiStatus; reason?: KpiNoDataReason;
    livePoints: number | null; livePointsStatus: KpiStatus;
  }>;
}

export const SUMMARY_TTL_MS = 30_000;
const cache = new WeakMap<object, { atMs: number; value: Promise<PublicSummary> }>();

export async function publicSummary(ctx: ServiceCtx): Promise<PublicSummary> {
  const now = ctx.clock.nowMs();
  const hit = cache.get(ctx.db);
  if (hit !== undefined && now - hit.atMs >= 0 && now - hit.atMs < SUMMARY_TTL_MS) return hit.value;
  const value = computeSummary(ctx);
  cache.set(ctx.db, { atMs: now, value });
  value.catch(() => cache.delete(ctx.db));
  return value;
}

async function computeSummary(ctx: ServiceCtx): Promise<PublicSummary> {
  const inputs = await loadKpiInputs(ctx);
  const now = inputs.nowMs;
  const from = cityMidnightMs(now);
  const fleet = await fleetRows(ctx.db);
  const byDevice = new Map<string, StatusTransition[]>();
  for (const t of await transitionsOf(ctx.db, fleet.map((d) => d.id), now)) {
    const list = byDevice.get(t.device_id) ?? [];
    list.push({ atMs: Number(t.at_ms), status: t.status as DeviceStatus });
    byDevice.set(t.device_id, list);
  }
  const today = from < now ? groupAvailability(fleet.map((d) => deviceAvailability(byDevice.get(d.id) ?? [], { fromMs: from, toMs: now }, { nowMs: now }))).percent : null;
  const city = inputs.figures.city;
  const devices = inputs.coverage.devices;
  const liveSites = new Set(inputs.sites.filter((s) => s.status === 'live').map((s) => s.id));
  const cityReason: KpiNoDataReason | null = devices.total === 0 ? 'no-devices' : devices.unverified === devices.total ? 'never-polled' : city.residents > 0 ? null : 'residents-unknown';
  return {
    asOf: new Date(now).toISOString(),
    pointsLive: inputs.sites.filter((s) => s.status === 'live').length,
    // Of the live sites (as the doc above says): a planned site whose test device answers is not "working" for the public.
    pointsWorking: new Set(fleet.filter((d) => d.site_id !== null && liveSites.has(d.site_id) && d.enabled === 1 && (d.status === 'up' || d.status === 'degraded')).map((d) => d.site_id)).size,
    pointsTotal: inputs.sites.filter((s) => s.status !== 'retired').length,
    availabilityTodayPct: today === null ? null : Math.round(today * 100) / 100,
    residentsCoveredPct: cityReason === null ? Math.round((10_000 * city.residentsCovered) / city.residents) / 100 : null,
    ...(cityReason === null ? {} : { residentsCoveredReason: cityReason }),
    partial: city.partial,
    wards: inputs.wards.map((w) => {
      const kpis = kpisOfWard(inputs, w.code);
      const live = kpis.find((k) => k.key === 'livePoints')!;
      const covered = kpis.find((k) => k.key === 'residentsCoveredPct')!;
      return {
        code: w.code, name: w.name, coveredPct: covered.value, status: covered.status, ...(covered.reason === undefined ? {} : { reason: covered.reason }),
        livePoints: live.value, livePointsStatus: live.status,
      };
    }),
  };
}
