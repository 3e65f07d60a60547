/**
 * Retention: how long each resolution is kept, and the arithmetic that shows what it costs. The server's storage
 * deletes rows older than these ages (SQL is the server's); the numbers here are the contract.
 */
export interface RetentionSetting {
  /** Per-poll rate rows. */
  rawDays: number;
  fiveMinDays: number;
  hourlyDays: number;
  /** null: kept forever. */
  dailyDays: number | null;
}

export const DEFAULT_RETENTION: RetentionSetting = { rawDays: 7, fiveMinDays: 35, hourlyDays: 400, dailyDays: null };

export interface StorageEstimate {
  rows: { raw: number; fiveMin: number; hourly: number; daily: number };
  bytes: { raw: number; fiveMin: number; hourly: number; daily: number; total: number };
}

/**
 * Rows and bytes held in steady state after `years` of running. `seriesPerDevice` is 1 when only device totals are
 * stored, more with per-interface series; `bytesPerRow` includes the primary-key index (about 2x the payload).
 */
export function estimateStorage(input: {
  devices: number;
  pollIntervalS: number;
  seriesPerDevice: number;
  years: number;
  retention?: RetentionSetting;
  rawBytesPerRow?: number;
  rollupBytesPerRow?: number;
}): StorageEstimate {
  const r = input.retention ?? DEFAULT_RETENTION;
  const series = input.devices * input.seriesPerDevice;
  const ranDays = input.years * 365;
  const keep = (days: number | null): number => (days === null ? ranDays : Math.min(days, ranDays));
  const rows = {
    raw: series * (86_400 / input.pollIntervalS) * keep(r.rawDays),
    fiveMin: series * 288 * keep(r.fiveMinDays),
    hourly: series * 24 * keep(r.hourlyDays),
    daily: series * keep(r.dailyDays),
  };
  const rawB = input.rawBytesPerRow ?? 60;
  const rollB = input.rollupBytesPerRow ?? 110;
  const bytes = { raw: rows.raw * rawB, fiveMin: rows.fiveMin * rollB, hourly: rows.hourly * rollB, daily: rows.daily * rollB, total: 0 };
  bytes.total = bytes.raw + bytes.fiveMin + bytes.hourly + bytes.daily;
  return { rows, bytes };
}
