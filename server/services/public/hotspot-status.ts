/**
 * A hotspot's public status (issue 15), as Uptime Kuma's status pages show it: the state now, 90 daily availability
 * bars (a day nobody observed is "no data", drawn apart, never 0 % or 100 %), the availability over those days, and
 * planned maintenance of the site or its devices that has not ended (times only: staff notes stay inside).
 */
import { AppError } from '../../../core/errors.ts';
import { maintenanceOfSite } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';
import { cityDay } from '../kpis/city-day.ts';
import { dailyAvailability } from './daily-availability.ts';
import { publicHotspots, type PublicHotspot } from './public-hotspots.ts';

export const STATUS_DAYS = 90;

export interface HotspotStatus {
  hotspot: PublicHotspot;
  days: Array<{ day: string; availabilityPct: number | null; observedH: number }>;
  /** Over the days observed, weighted by observed time; null when none was. */
  availabilityPct: number | null;
  maintenance: Array<{ startsAt: string; endsAt: string; active: boolean }>;
  asOf: string;
}

export async function hotspotStatus(ctx: ServiceCtx, id: string): Promise<HotspotStatus> {
  const hotspot = (await publicHotspots(ctx)).find((h) => h.id === id);
  if (hotspot === undefined) throw new AppError('not_found', 'no such hotspot');
  const nowMs = ctx.clock.nowMs();
  const toDay = cityDay(nowMs);
  const fromDay = cityDay(nowMs - (STATUS_DAYS - 1) * 86_400_000);
  const days = (await dailyAvailability(ctx, { fromDay, toDay, siteId: id })).map((d) => ({ day: d.day, availabilityPct: d.availabilityPct, observedH: d.observedH }));
  let up = 0;
  let seen = 0;
  for (const d of days) {
    if (d.availabilityPct === null) continue;
    up += (d.availabilityPct / 100) * d.observedH;
    seen += d.observedH;
  }
  const windows = await maintenanceOfSite(ctx.db, id, nowMs);
  return {
    hotspot,
    days,
    availabilityPct: seen === 0 ? null : Math.round((10_000 * up) / seen) / 100,
    maintenance: windows.map((w) => ({ startsAt: new Date(Number(w.starts_ms)).toISOString(), endsAt: new Date(Number(w.ends_ms)).toISOString(), active: Number(w.starts_ms) <= nowMs })),
    asOf: new Date(nowMs).toISOString(),
  };
}
