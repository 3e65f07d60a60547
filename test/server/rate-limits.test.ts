import { afterEach, describe, expect, it } from 'vitest';
import { hitRateLimit, peekRateLimit, purgeDayCounters, purgeStaleRateLimits, releaseRateLimit, reserveRateLimit } from '../../server/db/rate-limits.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { DIALECTS, openTestDb } from '../helpers/db.ts';

// The reserve-then-check counter (issue 10) written as one raw upsert (issue 14): the same counts on each engine.
describe.each(DIALECTS)('rate-limit counters on %s', (dialect) => {
  let h: DbHandle | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('counts within a window, restarts in the next, and gives exactly the limit to simultaneous attempts', async () => {
    h = await openTestDb(dialect);
    const db = h.db;
    const windowMs = 60_000;
    const t0 = 1_800_000_000_000;
    // The window begins at the first attempt, not at a clock boundary: t0 + 59_999 and t0 + 60_000 lie in one window
    // (an aligned window would have reset there), and it ends a full window after the first attempt.
    expect(await hitRateLimit(db, 'k', windowMs, t0 + 59_999)).toEqual({ hits: 1, windowStart: t0 + 59_999 });
    expect(await hitRateLimit(db, 'k', windowMs, t0 + 60_000)).toEqual({ hits: 2, windowStart: t0 + 59_999 });
    expect(await hitRateLimit(db, 'k', windowMs, t0 + 119_998)).toEqual({ hits: 3, windowStart: t0 + 59_999 });
    expect(await peekRateLimit(db, 'k', windowMs, t0 + 119_998)).toBe(3);
    expect(await peekRateLimit(db, 'k', windowMs, t0 + 119_999)).toBe(0);
    expect(await hitRateLimit(db, 'k', windowMs, t0 + 119_999)).toEqual({ hits: 1, windowStart: t0 + 119_999 });
    // A per-day counter (window 1 ms at instant 0, keyed by the day) never restarts.
    for (let i = 1; i <= 3; i++) expect((await hitRateLimit(db, 'day:2026-12-06', 1, 0)).hits).toBe(i);
    // The purge of ended windows leaves day counters alone (their day's purge drops them), and drops the ended window.
    await hitRateLimit(db, 'ended', windowMs, t0);
    expect(await purgeStaleRateLimits(db, t0 + 1)).toBe(1);
    expect((await hitRateLimit(db, 'day:2026-12-06', 1, 0)).hits).toBe(4);
    expect(await purgeDayCounters(db, 'day:', '2026-12-07')).toBe(1);
    expect((await hitRateLimit(db, 'day:2026-12-06', 1, 0)).hits).toBe(1);
    const all = await Promise.all(Array.from({ length: 12 }, () => reserveRateLimit(db, 'burst', 5, windowMs, t0 + 10)));
    expect(all.filter((r) => r.allowed)).toHaveLength(5);
    expect(all.map((r) => r.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(all[0]!.retryAfterS).toBe(60);
    await releaseRateLimit(db, all[0]!);
    expect((await hitRateLimit(db, 'burst', windowMs, t0 + 20)).hits).toBe(12);
  });
});
