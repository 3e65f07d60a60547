import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Frozen: issue 17, history that stays fast on Postgres. `polls` and `samples_raw` become tables partitioned by
 * range of their time (milliseconds; one partition a day), and `samples_rollup` a table partitioned by level
 * (`bucket_ms`): 5-minute roll-ups by range of week, hourly by range of month, daily in one partition (kept forever),
 * anything else in a default partition. Existing rows are copied into partitions made for them. The partitions
 * ahead are made by the maintenance job (server/db/partitions.ts). SQLite and D1 are left as they are.
 */
const DAY = 86_400_000;

function startOf(span: 'day' | 'week' | 'month', t: number): number {
  if (span === 'day') return Math.floor(t / DAY) * DAY;
  if (span === 'week') return Math.floor(t / (7 * DAY)) * 7 * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function endOf(span: 'day' | 'week' | 'month', start: number): number {
  if (span === 'day') return start + DAY;
  if (span === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function nameOf(table: string, start: number): string {
  return `${table}_p${new Date(start).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

async function partitionsFor(db: Kysely<any>, table: string, source: string, column: string, span: 'day' | 'week' | 'month', where = sql``): Promise<void> {
  const r = await sql<{ t: string }>`select distinct ${sql.ref(column)} as t from ${sql.table(source)} ${where}`.execute(db);
  const starts = new Set<number>(r.rows.map((x) => startOf(span, Number(x.t))));
  starts.add(startOf(span, Date.now()));
  for (const s of starts) {
    await sql`create table ${sql.id(nameOf(table, s))} partition of ${sql.table(table)} for values from (${sql.lit(s)}) to (${sql.lit(endOf(span, s))})`.execute(db);
  }
}

async function rangeByDay(db: Kysely<any>, table: string, column: string, pk: string[]): Promise<void> {
  const old = `${table}_unpartitioned`;
  await sql`alter table ${sql.table(table)} rename to ${sql.id(old)}`.execute(db);
  await sql`alter table ${sql.table(old)} rename constraint ${sql.id(`${table}_pk`)} to ${sql.id(`${old}_pk`)}`.execute(db);
  await sql`create table ${sql.table(table)} (like ${sql.table(old)} including defaults) partition by range (${sql.ref(column)})`.execute(db);
  await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_pk`)} primary key (${sql.join(pk.map((c) => sql.ref(c)))})`.execute(db);
  await partitionsFor(db, table, old, column, 'day');
  await sql`insert into ${sql.table(table)} select * from ${sql.table(old)}`.execute(db);
  await sql`drop table ${sql.table(old)}`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await rangeByDay(db, 'polls', 'at_ms', ['device_id', 'at_ms']);
  await rangeByDay(db, 'samples_raw', 't_ms', ['device_id', 't_ms']);

  const old = 'samples_rollup_unpartitioned';
  await sql`alter table samples_rollup rename to ${sql.id(old)}`.execute(db);
  await sql`alter table ${sql.table(old)} rename constraint samples_rollup_pk to ${sql.id(`${old}_pk`)}`.execute(db);
  await sql`create table samples_rollup (like ${sql.table(old)} including defaults) partition by list (bucket_ms)`.execute(db);
  await sql`alter table samples_rollup add constraint samples_rollup_pk primary key (device_id, bucket_ms, t_ms)`.execute(db);
  await sql`create table samples_rollup_5m partition of samples_rollup for values in (300000) partition by range (t_ms)`.execute(db);
  await sql`create table samples_rollup_1h partition of samples_rollup for values in (3600000) partition by range (t_ms)`.execute(db);
  await sql`create table samples_rollup_1d partition of samples_rollup for values in (86400000)`.execute(db);
  await sql`create table samples_rollup_other partition of samples_rollup default`.execute(db);
  await partitionsFor(db, 'samples_rollup_5m', old, 't_ms', 'week', sql`where bucket_ms = 300000`);
  await partitionsFor(db, 'samples_rollup_1h', old, 't_ms', 'month', sql`where bucket_ms = 3600000`);
  await sql`insert into samples_rollup select * from ${sql.table(old)}`.execute(db);
  await sql`drop table ${sql.table(old)}`.execute(db);
}
