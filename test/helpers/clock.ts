/**
 * The time tests run at. Nothing in a test may depend on the hour it happens to run: apps are built on an injected
 * clock (core/time.ts), and that clock starts at `testStartMs()`.
 *
 * - `JANGKAU_TEST_NOW` (an ISO instant, e.g. `2026-12-05T16:59:30Z`) pins that start for a whole run, so any suite can
 *   be replayed at any hour: `JANGKAU_TEST_NOW=2026-12-05T17:00:30Z npx vitest run test/portal`.
 * - `DAY_EDGES` are the two instants every test that touches days, months or windows runs at inside `npm test` (one
 *   `describe.each` each, so it costs two small runs, not two runs of the suite): 23:59:30 and 00:00:30 in Cilegon
 *   (WIB, UTC+7) around the latest local midnight before the run (or before `JANGKAU_TEST_NOW`).
 */

export const WIB_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The instant test clocks start at: `JANGKAU_TEST_NOW` when set (refused when unreadable), else the real time. */
export function testStartMs(): number {
  const pinned = process.env.JANGKAU_TEST_NOW;
  if (pinned === undefined || pinned === '') return Date.now();
  const ms = Date.parse(pinned);
  if (!Number.isFinite(ms)) throw new Error(`JANGKAU_TEST_NOW is not an ISO instant: ${pinned}`);
  return ms;
}

/** The latest midnight in Cilegon (WIB) at or before `ms`. */
export function wibMidnightBefore(ms: number): number {
  return Math.floor((ms + WIB_OFFSET_MS) / DAY_MS) * DAY_MS - WIB_OFFSET_MS;
}

/** The calendar day in Cilegon of an instant, as the server counts days (YYYY-MM-DD). */
export function wibDay(ms: number): string {
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

export interface DayEdge {
  /** For test names: "23:59:30 WIB" or "00:00:30 WIB". */
  label: string;
  ms: number;
}

function dayEdges(): DayEdge[] {
  const midnight = wibMidnightBefore(testStartMs());
  return [
    { label: '23:59:30 WIB', ms: midnight - 30_000 },
    { label: '00:00:30 WIB', ms: midnight + 30_000 },
  ];
}

/** 30 s before and 30 s after the latest WIB midnight: every day-, month- or window-sensitive test runs at both. */
export const DAY_EDGES: readonly DayEdge[] = dayEdges();

/** A clock that stands still at `ms` unless moved (for code that reads the time and must not see it pass). */
export function pinnedClock(ms: number): { nowMs(): number; set(ms: number): void; advance(ms: number): void } {
  let now = ms;
  return {
    nowMs: () => now,
    set: (v: number) => void (now = v),
    advance: (d: number) => void (now += d),
  };
}
