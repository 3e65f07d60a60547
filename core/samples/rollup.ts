/**
 * Roll-ups: 5-minute -> hourly -> daily buckets, pure. One row shape serves every level, so the hourly roll-up is
 * computed from 5-minute rows and the daily from hourly rows with the same function:
 * averages weighted by the number of raw samples behind them, maxima of maxima, sums of bytes.
 */
import type { RateSample } from './rates.ts';

export const FIVE_MIN_MS = 5 * 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface RollupRow {
  /** Series key: a device id (device totals) or `${deviceId}#${ifIndex}`. */
  seriesKey: string;
  bucketStartMs: number;
  bucketMs: number;
  /** Raw samples behind this row (weights of the averages). */
  samples: number;
  /** Samples that had a traffic rate / a client count (each average has its own weight). */
  rateSamples: number;
  clientSamples: number;
  inBpsAvg: number | null;
  inBpsMax: number | null;
  outBpsAvg: number | null;
  outBpsMax: number | null;
  clientsAvg: number | null;
  clientsMax: number | null;
  inBytes: bigint;
  outBytes: bigint;
}

/** A raw rate sample as a one-sample row (bucketMs 0), ready to roll up. */
export function rowOfSample(sample: RateSample, options: { seriesKey?: string } = {}): RollupRow {
  const hasRate = sample.inBps !== null || sample.outBps !== null;
  return {
    seriesKey: options.seriesKey ?? sample.deviceId,
    bucketStartMs: sample.atMs,
    bucketMs: 0,
    samples: 1,
    rateSamples: hasRate ? 1 : 0,
    clientSamples: sample.clients === null ? 0 : 1,
    inBpsAvg: sample.inBps,
    inBpsMax: sample.inBps,
    outBpsAvg: sample.outBps,
    outBpsMax: sample.outBps,
    clientsAvg: sample.clients,
    clientsMax: sample.clients,
    inBytes: sample.inBytes ?? 0n,
    outBytes: sample.outBytes ?? 0n,
  };
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Rolls rows up into buckets of `bucketMs` (aligned to the epoch plus `offsetMs`; e.g. offsetMs = -7 h gives days
 * starting at midnight WIB, UTC+7). Rows go into the bucket holding their bucketStartMs; output sorted by series, time.
 */
export function rollUp(rows: readonly RollupRow[], bucketMs: number, options: { offsetMs?: number } = {}): RollupRow[] {
  if (!(bucketMs > 0)) throw new RangeError('bucketMs must be positive');
  const offsetMs = options.offsetMs ?? 0;
  const acc = new Map<string, { row: RollupRow; inSum: number; outSum: number; clientSum: number }>();
  for (const r of rows) {
    const start = Math.floor((r.bucketStartMs - offsetMs) / bucketMs) * bucketMs + offsetMs;
    const key = `${r.seriesKey}\u0000${start}`;
    let a = acc.get(key);
    if (a === undefined) {
      a = {
        row: { seriesKey: r.seriesKey, bucketStartMs: start, bucketMs, samples: 0, rateSamples: 0, clientSamples: 0, inBpsAvg: null, inBpsMax: null, outBpsAvg: null, outBpsMax: null, clientsAvg: null, clientsMax: null, inBytes: 0n, outBytes: 0n },
        inSum: 0,
        outSum: 0,
        clientSum: 0,
      };
      acc.set(key, a);
    }
    const o = a.row;
    o.samples += r.samples;
    o.inBytes += r.inBytes;
    o.outBytes += r.outBytes;
    if (r.rateSamples > 0) {
      o.rateSamples += r.rateSamples;
      a.inSum += (r.inBpsAvg ?? 0) * r.rateSamples;
      a.outSum += (r.outBpsAvg ?? 0) * r.rateSamples;
      o.inBpsMax = maxOf(o.inBpsMax, r.inBpsMax);
      o.outBpsMax = maxOf(o.outBpsMax, r.outBpsMax);
    }
    if (r.clientSamples > 0) {
      o.clientSamples += r.clientSamples;
      a.clientSum += (r.clientsAvg ?? 0) * r.clientSamples;
      o.clientsMax = maxOf(o.clientsMax, r.clientsMax);
    }
  }
  const out: RollupRow[] = [];
  for (const { row, inSum, outSum, clientSum } of acc.values()) {
    if (row.rateSamples > 0) {
      row.inBpsAvg = row.inBpsMax === null ? null : inSum / row.rateSamples;
      row.outBpsAvg = row.outBpsMax === null ? null : outSum / row.rateSamples;
    }
    if (row.clientSamples > 0) row.clientsAvg = clientSum / row.clientSamples;
    out.push(row);
  }
  return out.sort((x, y) => (x.seriesKey < y.seriesKey ? -1 : x.seriesKey > y.seriesKey ? 1 : x.bucketStartMs - y.bucketStartMs));
}
