/**
 * Partitioned history on Postgres (issue 17): raw samples and polls by day, 5-minute roll-ups by week, hourly
 * roll-ups by month (daily roll-ups are kept forever, in one partition). Partitions are created ahead by the
 * maintenance job and, for a late row, on demand just before the insert; retention drops whole partitions instead
 * of deleting rows. Our own maintenance, not pg_partman: ARCHITECTURE.md says why.
 * SQLite and D1 are not partitioned: their retention deletes rows (server/db/monitoring.ts purge*).
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from './types.ts';

const DAY_MS = 86_400_000;

export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export type Span = 'day' | 'week' | 'month';

export interface PartitionedTable {
  /** The partitioned table rows are inserted into (for roll-ups: the level's own partition of samples_rollup). */
  table: string;
  /** The time column, integer milliseconds. */
  column: string;
  span: Span;
}

export const PARTITIONED: Record<'polls' | 'samples_raw' | 'rollup_5m' | 'rollup_1h', PartitionedTable> = {
  polls: { table: 'polls', column: 'at_ms', span: 'day' },
  samples_raw: { table: 'samples_raw', column: 't_ms', span: 'day' },
  rollup_5m: { table: 'samples_rollup_5m', column: 't_ms', span: 'week' },
  rollup_1h: { table: 'samples_rollup_1h', column: 't_ms', span: 'month' },
};

/** The start of the partition holding `t` (UTC days; weeks counted from the epoch; calendar months). */
export function partitionStart(span: Span, t: number): number {
  if (span === 'day') return Math.floor(t / DAY_MS) * DAY_MS;
  if (span === 'week') return Math.floor(t / (7 * DAY_MS)) * 7 * DAY_MS;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function partitionEnd(span: Span, start: number): number {
  if (span === 'day') return start + DAY_MS;
  if (span === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function partitionName(table: string, start: number): string {
  return `${table}_p${new Date(start).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** Partitions known to exist, per database handle (its adapter), re-checked after a while: another process may drop. */
const known = new WeakMap<object, Map<string, number>>();
const RECHECK_MS = 10 * 60_000;

function cacheOf(db: Executor): Map<string, number> {
  const key = db.getExecutor().adapter as object;
  let m = known.get(key);
  if (m === undefined) {
    m = new Map();
    known.set(key, m);
  }
  return m;
}

/** A stable 32-bit key for the advisory lock that serialises creating one partition across processes. */
function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * Makes sure a partition exists for every time in `times` (Postgres only). Creation takes a transaction-scoped
 * advisory lock on the partition's name, so two processes inserting the first row of a day do not race; outside a
 * transaction the lock ends with the statement. `nowMs` is the caller's clock (the service context's), against which a
 * partition known to exist is checked again after RECHECK_MS.
 */
export async function ensurePartitions(db: Executor, p: PartitionedTable, times: Iterable<number>, nowMs: number): Promise<string[]> {
  const cache = cacheOf(db);
  const now = nowMs;
  const starts = new Set<number>();
  for (const t of times) starts.add(partitionStart(p.span, Number(t)));
  const created: string[] = [];
  for (const start of starts) {
    const name = partitionName(p.table, start);
    const seen = cache.get(name);
    if (seen !== undefined && now - seen < RECHECK_MS) continue;
    const end = partitionEnd(p.span, start);
    // In a transaction the lock is held to its end, so a second process waits and then sees the partition.
    if (db.isTransaction) await sql`select pg_advisory_xact_lock(${lockKey(name)})`.execute(db);
    if (!(await partitionExists(db, name))) {
      try {
        await sql`create table if not exists ${sql.id(name)} partition of ${sql.id(p.table)} for values from (${sql.lit(start)}) to (${sql.lit(end)})`.execute(db);
      } catch (error) {
        // Outside a transaction two processes can still meet here; the loser finds the winner's partition.
        if (db.isTransaction || !(await partitionExists(db, name))) throw error;
      }
      created.push(name);
      // A partition made inside a transaction that may still roll back is not remembered.
      if (db.isTransaction) continue;
    }
    cache.set(name, now);
  }
  return created;
}

async function partitionExists(db: Executor, name: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = ${name} and n.nspname = current_schema()`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

export interface PartitionInfo {
  table: string;
  name: string;
  start: number;
  end: number;
  rows: number;
  bytes: number;
}

/** The time partitions of a table with their range, estimated rows and size on disk (indexes included). */
export async function listPartitions(db: Executor, p: PartitionedTable): Promise<PartitionInfo[]> {
  const r = await sql<{ name: string; rows: number; bytes: number }>`
    select c.relname as name, greatest(c.reltuples, 0)::bigint as rows, pg_total_relation_size(c.oid)::bigint as bytes
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class parent on parent.oid = i.inhparent
    join pg_namespace n on n.oid = parent.relnamespace
    where parent.relname = ${p.table} and n.nspname = current_schema()
    order by c.relname`.execute(db);
  const prefix = `${p.table}_p`;
  return r.rows
    .filter((row) => row.name.startsWith(prefix) && /^\d{8}$/.test(row.name.slice(prefix.length)))
    .map((row) => {
      const d = row.name.slice(prefix.length);
      const start = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
      return { table: p.table, name: row.name, start, end: partitionEnd(p.span, start), rows: Number(row.rows), bytes: Number(row.bytes) };
    });
}

export interface MaintenanceResult {
  created: string[];
  dropped: string[];
}

/**
 * Creates the partitions from the one holding `nowMs - behindMs` to the one holding `nowMs + aheadMs`, and drops every
 * partition that ends at or before the retention cut (`keepMs` before now; null keeps everything). A partition is
 * dropped only whole, so rows live up to one partition span past their retention.
 */
export async function maintainPartitions(db: Executor, p: PartitionedTable, nowMs: number, keepMs: number | null, aheadMs = 2 * DAY_MS): Promise<MaintenanceResult> {
  const times: number[] = [];
  for (let t = partitionStart(p.span, nowMs); t <= nowMs + aheadMs; t = partitionEnd(p.span, t)) times.push(t);
  const created = await ensurePartitions(db, p, times, nowMs);
  const dropped: string[] = [];
  if (keepMs !== null) {
    const cut = nowMs - keepMs;
    const cache = cacheOf(db);
    for (const part of await listPartitions(db, p)) {
      if (part.end > cut) continue;
      await sql`drop table if exists ${sql.id(part.name)}`.execute(db);
      cache.delete(part.name);
      dropped.push(part.name);
    }
  }
  return { created, dropped };
}
