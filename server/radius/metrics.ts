/**
 * RADIUS figures of one server process, per minute: requests, accepts, rejects, accounting, Status-Server,
 * duplicates, drops by reason and a response-time histogram. Flushed to radius_stats (minute, node) so the console
 * shows them whichever process runs the server (inside `npm start` or on its own next to a collector).
 */
import { upsertRadiusStats, type RadiusStatsRow } from '../db/radius.ts';
import type { Executor } from '../db/types.ts';

/** Upper bounds of the response-time buckets, in microseconds (the last one is open). */
export const LATENCY_BUCKETS_US = [250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 500_000, 2_000_000, Number.POSITIVE_INFINITY] as const;

export type Counter = 'auth_requests' | 'accepts' | 'rejects' | 'acct_requests' | 'acct_responses' | 'status_requests' | 'duplicates';

interface Bucket {
  counts: Record<Counter, number>;
  dropped: number;
  drops: Record<string, number>;
  rtCount: number;
  rtSumUs: number;
  rtMaxUs: number;
  hist: number[];
}

function emptyBucket(): Bucket {
  return {
    counts: { auth_requests: 0, accepts: 0, rejects: 0, acct_requests: 0, acct_responses: 0, status_requests: 0, duplicates: 0 },
    dropped: 0,
    drops: {},
    rtCount: 0,
    rtSumUs: 0,
    rtMaxUs: 0,
    hist: LATENCY_BUCKETS_US.map(() => 0),
  };
}

export class RadiusMetrics {
  private readonly buckets = new Map<number, Bucket>();
  /** Totals since start (tests and the process's own log line). */
  readonly totals = emptyBucket();

  constructor(private readonly nowMs: () => number) {}

  private bucket(): Bucket {
    const minute = Math.floor(this.nowMs() / 60_000) * 60_000;
    let b = this.buckets.get(minute);
    if (b === undefined) {
      b = emptyBucket();
      this.buckets.set(minute, b);
    }
    return b;
  }

  count(c: Counter): void {
    this.bucket().counts[c]++;
    this.totals.counts[c]++;
  }

  drop(reason: string): void {
    for (const b of [this.bucket(), this.totals]) {
      b.dropped++;
      b.drops[reason] = (b.drops[reason] ?? 0) + 1;
    }
  }

  latency(us: number): void {
    const i = LATENCY_BUCKETS_US.findIndex((ub) => us <= ub);
    for (const b of [this.bucket(), this.totals]) {
      b.rtCount++;
      b.rtSumUs += us;
      if (us > b.rtMaxUs) b.rtMaxUs = us;
      b.hist[i] = (b.hist[i] as number) + 1;
    }
  }

  /** Writes the minutes seen so far (the same rows again: idempotent) and forgets finished minutes once written. */
  async flush(db: Executor, node: string): Promise<void> {
    const current = Math.floor(this.nowMs() / 60_000) * 60_000;
    const rows: RadiusStatsRow[] = [];
    for (const [minute, b] of this.buckets) {
      rows.push({
        minute_ms: minute,
        node,
        ...b.counts,
        dropped: b.dropped,
        drops: JSON.stringify(b.drops),
        rt_count: b.rtCount,
        rt_sum_us: Math.round(b.rtSumUs),
        rt_max_us: Math.round(b.rtMaxUs),
        rt_hist: JSON.stringify(b.hist),
      });
    }
    if (rows.length === 0) return;
    await upsertRadiusStats(db, rows);
    for (const minute of [...this.buckets.keys()]) if (minute < current) this.buckets.delete(minute);
  }
}

/** The smallest bucket bound under which `q` of the samples fall (an upper bound of the quantile), or null. */
export function quantileUpperBoundUs(hist: readonly number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const want = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i] as number;
    if (seen >= want) return LATENCY_BUCKETS_US[i] as number;
  }
  return null;
}
