/** Cilegon keeps Western Indonesia Time (WIB, UTC+7, no daylight saving): "today" and snapshot days follow it. */
export const CITY_UTC_OFFSET_MS = 7 * 3_600_000;

/** YYYY-MM-DD in the city's time. */
export function cityDay(ms: number): string {
  return new Date(ms + CITY_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** Epoch ms of the city's last midnight at or before `ms`. */
export function cityMidnightMs(ms: number): number {
  const local = ms + CITY_UTC_OFFSET_MS;
  return local - (((local % 86_400_000) + 86_400_000) % 86_400_000) - CITY_UTC_OFFSET_MS;
}
