import type { Executor } from './types.ts';

/**
 * Fixed-window counter kept in the database, so every process and every Worker isolate sees the same count.
 * Returns the hits in the current window after this one.
 */
export async function hitRateLimit(db: Executor, key: string, windowMs: number, nowMs: number): Promise<{ hits: number; windowStart: number }> {
  const windowStart = nowMs - (nowMs % windowMs);
  await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        hits: eb
          .case()
          .when('rate_limits.window_start', '=', windowStart)
          .then(eb('rate_limits.hits', '+', 1))
          .else(1)
          .end(),
        window_start: windowStart,
      })),
    )
    .execute();
  const row = await db.selectFrom('rate_limits').select(['hits', 'window_start']).where('key', '=', key).executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowStart: Number(row.window_start) };
}

export async function peekRateLimit(db: Executor, key: string, windowMs: number, nowMs: number): Promise<number> {
  const windowStart = nowMs - (nowMs % windowMs);
  const row = await db.selectFrom('rate_limits').select(['hits', 'window_start']).where('key', '=', key).executeTakeFirst();
  return row !== undefined && Number(row.window_start) === windowStart ? Number(row.hits) : 0;
}

export async function clearRateLimit(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
