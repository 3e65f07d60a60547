/**
 * Issue 17: raw samples in day partitions against the same rows in one plain table, on the local Postgres, in the
 * same process and minutes. Measures what a stored row costs on disk (indexes included) for the size of a year at
 * 100,000 devices, the retention step (DELETE of the oldest day vs DROP of its partition), and reading one device's
 * last day. Scaled down: DEVICES devices polled every 60 s for DAYS days (set JANGKAU_BENCH_DEVICES to change).
 *
 *   npx tsx bench/partitioned-history.ts
 */
import pg from 'pg';
import { estimateStorage } from '../core/samples/retention.ts';

const PG_URL = process.env.JANGKAU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DEVICES = Number(process.env.JANGKAU_BENCH_DEVICES ?? 250);
const DAYS = 8;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

async function median(n: number, f: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < n; i += 1) xs.push((await timed(f))[1]);
  xs.sort((a, b) => a - b);
  return xs[Math.floor(n / 2)]!;
}

async function main(): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  const schema = `bench_part_${Date.now().toString(36)}`;
  await c.query(`create schema ${schema}; set search_path to ${schema}`);
  try {
    const cols = `device_id text not null, t_ms bigint not null, interval_ms bigint not null, in_bps double precision, out_bps double precision,
      clients integer, in_bytes bigint, out_bytes bigint`;
    await c.query(`create table plain (${cols}, primary key (device_id, t_ms))`);
    await c.query(`create table parted (${cols}, primary key (device_id, t_ms)) partition by range (t_ms)`);
    for (let d = 0; d < DAYS; d += 1) {
      const name = `parted_p${new Date(T0 + d * DAY).toISOString().slice(0, 10).replace(/-/g, '')}`;
      await c.query(`create table ${name} partition of parted for values from (${T0 + d * DAY}) to (${T0 + (d + 1) * DAY})`);
    }
    const fill = (table: string): string => `insert into ${table}
      select 'dev-' || lpad(dv::text, 6, '0'), ${T0}::bigint + m * 60000, 60000, 1000 + (m % 97) * 11.5, 500 + (m % 89) * 7.25, (m % 23), 7500 + m % 1000, 3750 + m % 500
      from generate_series(1, ${DEVICES}) dv, generate_series(0, ${(DAYS * DAY) / 60_000 - 1}) m`;
    const [, plainFillMs] = await timed(() => c.query(fill('plain')));
    const [, partFillMs] = await timed(() => c.query(fill('parted')));
    await c.query('analyze plain; analyze parted');
    const rows = DEVICES * (DAYS * DAY) / 60_000;
    const size = async (sql: string): Promise<number> => Number((await c.query<{ b: string }>(sql)).rows[0]!.b);
    const plainBytes = await size(`select pg_total_relation_size('plain') as b`);
    const partBytes = await size(`select sum(pg_total_relation_size(inhrelid)) as b from pg_inherits where inhparent = 'parted'::regclass`);

    // Reading one device's last day (the series API's raw range), warm, median of 9.
    const lastDay = `where device_id = 'dev-000042' and t_ms >= ${T0 + (DAYS - 1) * DAY} and t_ms < ${T0 + DAYS * DAY}`;
    const plainReadMs = await median(9, () => c.query(`select * from plain ${lastDay}`));
    const partReadMs = await median(9, () => c.query(`select * from parted ${lastDay}`));
    // Reading every device's last hour (the roll-up job's source), warm, median of 5.
    const lastHour = `where t_ms >= ${T0 + DAYS * DAY - 3_600_000} and t_ms < ${T0 + DAYS * DAY}`;
    const plainHourMs = await median(5, () => c.query(`select count(*), sum(in_bps) from plain ${lastHour}`));
    const partHourMs = await median(5, () => c.query(`select count(*), sum(in_bps) from parted ${lastHour}`));
    // Retention: the oldest day goes.
    const [, deleteMs] = await timed(() => c.query(`delete from plain where t_ms < ${T0 + DAY}`));
    const [, dropMs] = await timed(() => c.query(`drop table parted_p${new Date(T0).toISOString().slice(0, 10).replace(/-/g, '')}`));

    const rawBytesPerRow = partBytes / rows;
    const year = estimateStorage({ devices: 100_000, pollIntervalS: 60, seriesPerDevice: 1, years: 1, rawBytesPerRow, rollupBytesPerRow: 110 });
    const gb = (b: number): string => (b / 1e9).toFixed(1);
    const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' / ');
    const out = [
      `Run: ${new Date().toISOString()}, Node ${process.version}, ${(await c.query<{ v: string }>('select version() as v')).rows[0]!.v.split(' on ')[0]}, load average ${load}`,
      `Scale: ${DEVICES} devices x 60 s x ${DAYS} days = ${rows.toLocaleString('en')} raw rows in each table`,
      `| step | plain table | day partitions | plain / partitioned |`,
      `|---|---|---|---|`,
      `| fill (INSERT ... SELECT) | ${plainFillMs.toFixed(0)} ms | ${partFillMs.toFixed(0)} ms | ${(plainFillMs / partFillMs).toFixed(2)}x |`,
      `| size on disk, indexes included | ${gb(plainBytes)} GB (${(plainBytes / rows).toFixed(1)} B/row) | ${gb(partBytes)} GB (${rawBytesPerRow.toFixed(1)} B/row) | ${(plainBytes / partBytes).toFixed(2)}x |`,
      `| one device's last day (median of 9) | ${plainReadMs.toFixed(2)} ms | ${partReadMs.toFixed(2)} ms | ${(plainReadMs / partReadMs).toFixed(2)}x |`,
      `| every device's last hour (median of 5) | ${plainHourMs.toFixed(1)} ms | ${partHourMs.toFixed(1)} ms | ${(plainHourMs / partHourMs).toFixed(2)}x |`,
      `| retention: the oldest day | DELETE ${deleteMs.toFixed(0)} ms | DROP partition ${dropMs.toFixed(1)} ms | ${(deleteMs / dropMs).toFixed(0)}x |`,
      ``,
      `A year at 100,000 devices, 60 s polls, device totals (1 series each), default retention (raw 7 d, 5-min 35 d, hourly 400 d, daily forever),`,
      `raw rows at the measured ${rawBytesPerRow.toFixed(1)} B/row, roll-up rows at 110 B/row: raw ${gb(year.bytes.raw)} GB (${(year.rows.raw / 1e9).toFixed(2)} G rows),`,
      `5-min ${gb(year.bytes.fiveMin)} GB, hourly ${gb(year.bytes.hourly)} GB, daily ${gb(year.bytes.daily)} GB; total ${gb(year.bytes.total)} GB held in steady state.`,
    ].join('\n');
    console.log(out);
  } finally {
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  }
}

await main();
