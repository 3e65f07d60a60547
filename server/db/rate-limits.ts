import { sql } from 'kysely';
import type { Executor } from './types.ts';

/**
 * Window counters kept in the database, so every process and every Worker isolate sees the same count. A window
 * begins at the first attempt it counts and lasts `windowMs` from there: a budget is never reset by a wall-clock
 * boundary falling between two attempts (with windows aligned to the clock, 5 guesses at 04:14:59 and 5 more at
 * 04:15:00 both passed, and a test that crossed a quarter hour saw its budget reset mid-run).
 *
 * Every limit is reserve-then-check (issue 10): one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING) counts
 * this attempt and returns the new count, atomically on SQLite, Postgres and D1 alike. Sixty requests arriving at
 * once get the counts 1..60, so exactly `limit` of them go on; a check followed by a separate count would let all
 * sixty read "0 so far".
 */
export interface Reservation {
  key: string;
  allowed: boolean;
  hits: number;
  windowStart: number;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterS: number;
}

export async function hitRateLimit(db: Executor, key: string, windowMs: number, nowMs: number): Promise<{ hits: number; windowStart: number }> {
  // A row whose window began after this is still running.
  const runningAfter = nowMs - windowMs;
  // Issue 14: written as one raw statement (the same SQL on SQLite, Postgres and D1): Kysely's builder for the upsert
  // with its CASE cost more CPU than the statement itself, and a portal sign-in counts four budgets. SET reads the
  // row as it was before the update on every engine, so both CASEs see the old window.
  const r = await sql<{ hits: number | string; window_start: number | string }>`insert into rate_limits (key, window_start, hits) values (${key}, ${nowMs}, 1)
    on conflict (key) do update set
      hits = case when rate_limits.window_start > ${runningAfter} then rate_limits.hits + 1 else 1 end,
      window_start = case when rate_limits.window_start > ${runningAfter} then rate_limits.window_start else ${nowMs} end
    returning hits, window_start`.execute(db);
  const row = r.rows[0];
  if (row === undefined) throw new Error('rate limit upsert returned no row');
  return { hits: Number(row.hits), windowStart: Number(row.window_start) };
}

/** Counts one attempt and says whether it is within `limit` for the window. The count stays even when refused. */
export async function reserveRateLimit(db: Executor, key: string, limit: number, windowMs: number, nowMs: number): Promise<Reservation> {
  const { hits, windowStart } = await hitRateLimit(db, key, windowMs, nowMs);
  return { key, allowed: hits <= limit, hits, windowStart, retryAfterS: Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000)) };
}

/** Gives back one reserved attempt (the work it reserved did not happen, or succeeded and must not count). */
export async function releaseRateLimit(db: Executor, r: Pick<Reservation, 'key' | 'windowStart'>): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ hits: eb('hits', '-', 1) }))
    .where('key', '=', r.key)
    .where('window_start', '=', r.windowStart)
    .where('hits', '>', 0)
    .execute();
}

export async function peekRateLimit(db: Executor, key: string, windowMs: number, nowMs: number): Promise<number> {
  const row = await db.selectFrom('rate_limits').select(['hits', 'window_start']).where('key', '=', key).executeTakeFirst();
  return row !== undefined && Number(row.window_start) > nowMs - windowMs ? Number(row.hits) : 0;
}

export async function clearRateLimit(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

/**
 * Rows whose window ended long before `beforeMs`: they count nothing any more (windows here last at most a day: the
 * SMS cost counter's).
 */
export async function purgeStaleRateLimits(db: Executor, beforeMs: number): Promise<number> {
  // Counters keyed by their day (window_start 0: the SMS cost of a day and "staff were told") are not windows that
  // end: purgeDayCounters drops them by their day. Purged here, a day's SMS spending restarted from zero at every
  // 6-hourly purge and the cap warning went out again.
  const r = await db.deleteFrom('rate_limits').where('window_start', '<', beforeMs).where('window_start', '>', 0).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Issue 14: drops counters of a key prefix whose window began before `beforeMs` (per-flow counters of ended flows). */
export async function purgeRateLimitsBefore(db: Executor, prefix: string, beforeMs: number): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('key', 'like', `${prefix}%`).where('window_start', '<', beforeMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Issue 14: drops per-day counters (`<prefix><YYYY-MM-DD>`) of days before `day`. */
export async function purgeDayCounters(db: Executor, prefix: string, day: string): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('key', 'like', `${prefix}%`).where('key', '<', `${prefix}${day}`).executeTakeFirst();
  return Number(r.numDeletedRows);
}
