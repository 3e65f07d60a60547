/**
 * Roll-ups and retention, run periodically by whoever runs the collectors (the Node entry every minute; on Workers a
 * cron trigger would call the same function). Each level has a watermark in `meta`: raw -> 5 min -> 1 h -> 1 day
 * (days start at midnight WIB, UTC+7). Only finished buckets are rolled up, so every bucket is written once and a
 * late run catches up. Then rows older than the retention setting are deleted.
 */
import { DAY_MS, DEFAULT_RETENTION, FIVE_MIN_MS, HOUR_MS, rollUp, type RetentionSetting, type RollupRow } from '../../../core/samples/index.ts';
import { getMeta, purgeBefore, purgeRollupsBefore, rawSamplesBetween, rollupsBetween, setMeta, upsertRollups } from '../../db/monitoring.ts';
import type { Executor, SamplesRawTable, SamplesRollupTable } from '../../db/types.ts';
import { maintainPartitions, PARTITIONED } from '../../db/partitions.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';

const WIB_OFFSET_MS = -7 * HOUR_MS;
/** At most this much source time per level per run, so a long-stopped server catches up in steps. */
const MAX_SPAN_MS = 2 * DAY_MS;

function rawToRow(r: SamplesRawTable): RollupRow {
  const hasRate = r.in_bps !== null || r.out_bps !== null;
  return {
    seriesKey: r.device_id,
    bucketStartMs: Number(r.t_ms),
    bucketMs: 0,
    samples: 1,
    rateSamples: hasRate ? 1 : 0,
    clientSamples: r.clients === null ? 0 : 1,
    inBpsAvg: r.in_bps,
    inBpsMax: r.in_bps,
    outBpsAvg: r.out_bps,
    outBpsMax: r.out_bps,
    clientsAvg: r.clients,
    clientsMax: r.clients,
    inBytes: BigInt(Math.round(Number(r.in_bytes ?? 0))),
    outBytes: BigInt(Math.round(Number(r.out_bytes ?? 0))),
  };
}

function storedToRow(r: SamplesRollupTable): RollupRow {
  return {
    seriesKey: r.device_id,
    bucketStartMs: Number(r.t_ms),
    bucketMs: Number(r.bucket_ms),
    samples: r.samples,
    rateSamples: r.rate_samples,
    clientSamples: r.client_samples,
    inBpsAvg: r.in_bps_avg,
    inBpsMax: r.in_bps_max,
    outBpsAvg: r.out_bps_avg,
    outBpsMax: r.out_bps_max,
    clientsAvg: r.clients_avg,
    clientsMax: r.clients_max,
    inBytes: BigInt(Math.round(Number(r.in_bytes))),
    outBytes: BigInt(Math.round(Number(r.out_bytes))),
  };
}

function rowToStored(r: RollupRow): SamplesRollupTable {
  return {
    device_id: r.seriesKey,
    bucket_ms: r.bucketMs,
    t_ms: r.bucketStartMs,
    samples: r.samples,
    rate_samples: r.rateSamples,
    client_samples: r.clientSamples,
    in_bps_avg: r.inBpsAvg,
    in_bps_max: r.inBpsMax,
    out_bps_avg: r.outBpsAvg,
    out_bps_max: r.outBpsMax,
    clients_avg: r.clientsAvg,
    clients_max: r.clientsMax,
    in_bytes: Number(r.inBytes),
    out_bytes: Number(r.outBytes),
  };
}

const LEVELS = [
  { key: 'rollup:5m', bucketMs: FIVE_MIN_MS, offsetMs: 0, source: 'raw' as const },
  { key: 'rollup:1h', bucketMs: HOUR_MS, offsetMs: 0, source: FIVE_MIN_MS },
  { key: 'rollup:1d', bucketMs: DAY_MS, offsetMs: WIB_OFFSET_MS, source: HOUR_MS },
];

export async function runRollups(ctx: ServiceCtx, options: { retention?: RetentionSetting } = {}): Promise<{ written: number }> {
  const now = ctx.clock.nowMs();
  let written = 0;
  for (const level of LEVELS) {
    const done = Math.floor((now - level.offsetMs) / level.bucketMs) * level.bucketMs + level.offsetMs;
    const mark = await getMeta(ctx.db, level.key);
    let from = mark === null ? done - MAX_SPAN_MS : Number(mark);
    from = Math.floor((from - level.offsetMs) / level.bucketMs) * level.bucketMs + level.offsetMs;
    const to = Math.min(done, from + MAX_SPAN_MS);
    if (!(to > from)) continue;
    const source =
      level.source === 'raw'
        ? (await rawSamplesBetween(ctx.db, from, to)).map(rawToRow)
        : (await rollupsBetween(ctx.db, level.source, from, to)).map(storedToRow);
    const rows = rollUp(source, level.bucketMs, { offsetMs: level.offsetMs }).map(rowToStored);
    await inTransaction(ctx, async (trx) => {
      await upsertRollups(trx, rows, ctx.clock.nowMs());
      // A late batch stored meanwhile may have moved the watermark back (rewindRollups): leave it there.
      const now = await getMeta(trx, level.key);
      if (now === null || Number(now) >= Number(mark ?? now)) await setMeta(trx, level.key, String(to));
    });
    written += rows.length;
  }
  const r = options.retention ?? DEFAULT_RETENTION;
  if (ctx.dialect === 'postgres') {
    // Partitioned (issue 17): partitions ahead are made and whole partitions past retention dropped, no row deletes.
    await maintainPartitions(ctx.db, PARTITIONED.samples_raw, now, r.rawDays * DAY_MS);
    await maintainPartitions(ctx.db, PARTITIONED.polls, now, r.rawDays * DAY_MS);
    await maintainPartitions(ctx.db, PARTITIONED.rollup_5m, now, r.fiveMinDays * DAY_MS, 8 * DAY_MS);
    await maintainPartitions(ctx.db, PARTITIONED.rollup_1h, now, r.hourlyDays * DAY_MS, 32 * DAY_MS);
  } else {
    await purgeBefore(ctx.db, 'samples_raw', now - r.rawDays * DAY_MS);
    await purgeBefore(ctx.db, 'polls', now - r.rawDays * DAY_MS);
    await purgeRollupsBefore(ctx.db, FIVE_MIN_MS, now - r.fiveMinDays * DAY_MS);
    await purgeRollupsBefore(ctx.db, HOUR_MS, now - r.hourlyDays * DAY_MS);
  }
  if (r.dailyDays !== null) await purgeRollupsBefore(ctx.db, DAY_MS, now - r.dailyDays * DAY_MS);
  return { written };
}

/**
 * Issue 11: samples stored behind a roll-up watermark (a standalone collector's outbox delivering after an outage,
 * a batch kept for a retry) would never be rolled up; moving each level's watermark back to the bucket holding the
 * oldest of them makes the next run roll those buckets again (roll-ups are upserts, recomputed whole from below).
 */
export async function rewindRollups(db: Executor, oldestMs: number): Promise<void> {
  for (const level of LEVELS) {
    const mark = await getMeta(db, level.key);
    if (mark === null) continue;
    const bucket = Math.floor((oldestMs - level.offsetMs) / level.bucketMs) * level.bucketMs + level.offsetMs;
    if (bucket < Number(mark)) await setMeta(db, level.key, String(bucket));
  }
}
