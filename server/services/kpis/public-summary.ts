/**
 * The public programme summary (no sign-in): counts and percentages only, no names of people, no addresses, no
 * device addresses. A ward's `status` is the traffic light of its live points against the programme's target
 * (10 per kelurahan); `coveredPct` is the share of its residents covered by the live layer (area share when its
 * residents are unknown). `availabilityTodayPct` covers every device since the city's midnight (WIB); null when
 * none reported today. `pointsLive` counts sites in status live, `pointsWorking` those of them with a device up now
 * (what a citizen cares about), `pointsTotal` every site not retired.
 *
 * Anyone may call it, so the answer is kept for SUMMARY_TTL_MS per database: a flood of anonymous requests costs
 * one computation every 30 s, not one each.
 */
import { deviceAvailability, groupAvailability, type DeviceStatus, type StatusTransition } from '../../../core/availability.ts';
import type { KpiStatus } from '../../../core/traffic-light.ts';
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
  wards: Array<{ code: string; name: string; coveredPct: number | null; livePoints: number; status: KpiStatus }>;
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
  return {
    asOf: new Date(now).toISOString(),
    pointsLive: inputs.sites.filter((s) => s.status === 'live').length,
    pointsWorking: new Set(fleet.filter((d) => d.site_id !== null && d.enabled === 1 && (d.status === 'up' || d.status === 'degraded')).map((d) => d.site_id)).size,
    pointsTotal: inputs.sites.filter((s) => s.status !== 'retired').length,
    availabilityTodayPct: today === null ? null : Math.round(today * 100) / 100,
    residentsCoveredPct: city.residents !== null && city.residents > 0 && city.residentsCovered !== null ? Math.round((10_000 * city.residentsCovered) / city.residents) / 100 : null,
    wards: inputs.wards.map((w) => {
      const fig = inputs.figures.items.find((f) => f.code === w.code);
      const live = kpisOfWard(inputs, w.code).find((k) => k.key === 'livePoints')!;
      return { code: w.code, name: w.name, coveredPct: fig?.residentsCoveredPct ?? fig?.coveredPct ?? null, livePoints: live.value ?? 0, status: live.status };
    }),
  };
}
