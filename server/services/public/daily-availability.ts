/**
 * Availability per hotspot (site) per city day, from the status transitions (core/availability.ts): up and degraded
 * count as available, down not, unknown time is left out; a day nobody observed is null ("no data"), never 0 or
 * 100. A day not over yet counts up to now. Feeds the public status page (90 bars) and the open-data file.
 */
import { deviceAvailability, groupAvailability, type DeviceStatus, type StatusTransition } from '../../../core/availability.ts';
import { fleetRows, transitionsOf } from '../../db/monitoring.ts';
import type { ServiceCtx } from '../../deps.ts';
import { CITY_UTC_OFFSET_MS, cityDay } from '../kpis/city-day.ts';

const DAY_MS = 86_400_000;

export interface DayAvailability {
  day: string;
  siteId: string;
  /** 0..100, or null when nothing was observed that day. */
  availabilityPct: number | null;
  /** Hours of the day whose state is known. */
  observedH: number;
}

/** Midnight (city time) of a YYYY-MM-DD, as epoch ms. */
export function cityDayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - CITY_UTC_OFFSET_MS;
}

export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${fromDay}T00:00:00Z`); t <= Date.parse(`${toDay}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export async function dailyAvailability(ctx: ServiceCtx, q: { fromDay: string; toDay: string; siteId?: string }): Promise<DayAvailability[]> {
  const nowMs = ctx.clock.nowMs();
  const today = cityDay(nowMs);
  const toDay = q.toDay > today ? today : q.toDay;
  if (toDay < q.fromDay) return [];
  const fleet = (await fleetRows(ctx.db)).filter((d) => d.site_id !== null && (q.siteId === undefined || d.site_id === q.siteId));
  const untilMs = Math.min(nowMs, cityDayStartMs(toDay) + DAY_MS);
  const byDevice = new Map<string, StatusTransition[]>();
  for (const t of await transitionsOf(ctx.db, fleet.map((d) => d.id), untilMs)) {
    const list = byDevice.get(t.device_id) ?? [];
    list.push({ atMs: Number(t.at_ms), status: t.status as DeviceStatus });
    byDevice.set(t.device_id, list);
  }
  const bySite = new Map<string, string[]>();
  for (const d of fleet) bySite.set(d.site_id!, [...(bySite.get(d.site_id!) ?? []), d.id]);
  if (q.siteId !== undefined && !bySite.has(q.siteId)) bySite.set(q.siteId, []);
  const out: DayAvailability[] = [];
  for (const day of daysBetween(q.fromDay, toDay)) {
    const fromMs = cityDayStartMs(day);
    const period = { fromMs, toMs: Math.min(nowMs, fromMs + DAY_MS) };
    if (period.toMs <= period.fromMs) continue;
    for (const [siteId, ids] of bySite) {
      const g = groupAvailability(ids.map((id) => deviceAvailability(byDevice.get(id) ?? [], period, { nowMs })));
      out.push({
        day, siteId,
        availabilityPct: g.percent === null ? null : Math.round(g.percent * 100) / 100,
        observedH: Math.round((g.coveredMs / Math.max(1, ids.length) / 3_600_000) * 100) / 100,
      });
    }
  }
  return out;
}
