/**
 * Issue 17, history that stays fast on Postgres: polls and raw samples partitioned by day, roll-ups by level and
 * time; partitions made ahead and on demand for a late row; retention drops whole partitions; rows that existed
 * before the migration are kept. Postgres only (SQLite and D1 keep deleting rows).
 */
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/db/connect-node.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { MIGRATIONS } from '../../server/db/migrations/index.ts';
import { insertNewPolls, insertRawSamples } from '../../server/db/monitoring.ts';
import { listPartitions, maintainPartitions, PARTITIONED } from '../../server/db/partitions.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { silentLogger } from '../../server/log.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { runRollups } from '../../server/services/monitoring/rollups.ts';
import { createSecretBox } from '../../server/crypto/secret-box.ts';
import { openTestDb, PG_URL } from '../helpers/db.ts';

const DAY = 86_400_000;
const MIN = 60_000;
/** A fixed instant (2026-03-02T00:00Z), never the wall clock: partitions follow the injected time. */
const T0 = Date.UTC(2026, 2, 2);

async function count(db: DbHandle['db'], table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return r.rows[0]!.n;
}

describe('partitioned history on Postgres', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await openTestDb('postgres');
  });
  afterAll(async () => h.close());

  it('makes polls, raw samples and roll-ups partitioned tables (roll-ups by level, then by time)', async () => {
    const r = await sql<{ name: string; strategy: string }>`
      select c.relname as name, p.partstrat as strategy from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
      join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() order by 1`.execute(h.db);
    expect(r.rows).toEqual([
      { name: 'polls', strategy: 'r' },
      { name: 'samples_raw', strategy: 'r' },
      { name: 'samples_rollup', strategy: 'l' },
      { name: 'samples_rollup_1h', strategy: 'r' },
      { name: 'samples_rollup_5m', strategy: 'r' },
    ]);
  });

  it('stores polls over ten days in day partitions made on demand, once per (device, time), and drops whole days past retention', async () => {
    const rows = [];
    for (let d = 0; d < 10; d += 1) for (let m = 0; m < 3; m += 1) rows.push({ device_id: 'dev-a', at_ms: T0 + d * DAY + m * 20 * MIN, ok: 1, duration_ms: 3, error_kind: null, error_message: null });
    const fresh = await insertNewPolls(h.db, 'postgres', rows, T0 + 10 * DAY);
    expect(fresh.size).toBe(30);
    // A resent batch stores nothing twice, whatever partition the rows fall in.
    expect((await insertNewPolls(h.db, 'postgres', rows.slice(0, 7), T0 + 10 * DAY)).size).toBe(0);
    expect(await count(h.db, 'polls')).toBe(30);
    const days = (await listPartitions(h.db, PARTITIONED.polls)).filter((p) => p.start >= T0 && p.start < T0 + 10 * DAY);
    expect(days).toHaveLength(10);

    // On day 10 with 7 days kept: days 0-2 end at or before the cut and go whole; days ahead are made.
    const now = T0 + 10 * DAY + 6 * 3_600_000;
    const m = await maintainPartitions(h.db, PARTITIONED.polls, now, 7 * DAY);
    expect(m.dropped).toEqual(expect.arrayContaining(['polls_p20260302', 'polls_p20260303', 'polls_p20260304']));
    expect(m.dropped).not.toContain('polls_p20260305');
    expect(m.created).toEqual(expect.arrayContaining(['polls_p20260313', 'polls_p20260314']));
    expect(await count(h.db, 'polls')).toBe(21);
    // Running it again changes nothing.
    expect(await maintainPartitions(h.db, PARTITIONED.polls, now, 7 * DAY)).toEqual({ created: [], dropped: [] });
  });

  it('makes the next month’s hourly roll-up partition from the pinned clock at a month (and year) boundary', async () => {
    // One hour before the year ends, by the caller's clock (not the machine's): December and the January ahead.
    const newYearsEve = Date.UTC(2027, 11, 31, 23);
    const m = await maintainPartitions(h.db, PARTITIONED.rollup_1h, newYearsEve, null, 2 * DAY);
    expect(m).toEqual({ created: ['samples_rollup_1h_p20271201', 'samples_rollup_1h_p20280101'], dropped: [] });
    const ahead = (await listPartitions(h.db, PARTITIONED.rollup_1h)).find((p) => p.name === 'samples_rollup_1h_p20280101');
    expect(ahead).toMatchObject({ start: Date.UTC(2028, 0, 1), end: Date.UTC(2028, 1, 1) });
    // The same clock again: both are known, nothing is made twice.
    expect(await maintainPartitions(h.db, PARTITIONED.rollup_1h, newYearsEve, null, 2 * DAY)).toEqual({ created: [], dropped: [] });
  });

  it('rolls up into level partitions and keeps each level as long as its retention, dropping by partition', async () => {
    const samples = [];
    for (let i = 0; i < 120; i += 1) samples.push({ device_id: 'dev-b', t_ms: T0 + 40 * DAY + i * MIN, interval_ms: MIN, in_bps: 1000, out_bps: 500, clients: i % 5, in_bytes: 7500, out_bytes: 3750 });
    await insertRawSamples(h.db, 'postgres', samples, T0 + 40 * DAY);
    const secrets = await createSecretBox(new Uint8Array(32).fill(1));
    const at = (nowMs: number) =>
      systemServiceCtx({ clock: { nowMs: () => nowMs }, secrets, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 }, log: silentLogger }, h, { requestId: 'partition-test' });
    const { written } = await runRollups(at(T0 + 40 * DAY + 3 * 3_600_000));
    expect(written).toBeGreaterThanOrEqual(24 + 2);
    expect(await count(h.db, 'samples_rollup_5m')).toBe(24);
    expect(await count(h.db, 'samples_rollup_1h')).toBe(2);
    // 36 days later the 5-minute roll-ups (35 days) and raw samples (7 days) are gone, the hourly ones (400 days) stay.
    await runRollups(at(T0 + 40 * DAY + 36 * DAY + 8 * DAY));
    expect(await count(h.db, 'samples_raw')).toBe(0);
    expect(await count(h.db, 'samples_rollup_5m')).toBe(0);
    expect(await count(h.db, 'samples_rollup_1h')).toBe(2);
    const weeks = await listPartitions(h.db, PARTITIONED.rollup_5m);
    expect(weeks.every((p) => p.end > T0 + 84 * DAY - 35 * DAY)).toBe(true);
  });
});

describe('the migration keeps the rows that were there', () => {
  it('copies polls, raw samples and roll-ups of an existing database into their partitions', async () => {
    const schema = `t_part_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const h = openPostgres(PG_URL, { schema, max: 2 });
    try {
      // Every migration before this one, as a database made before issue 17 would have them.
      await h.db.schema.createTable('schema_migrations').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('applied_at', 'text', (c) => c.notNull()).execute();
      for (const name of Object.keys(MIGRATIONS).sort()) {
        if (name === '0017-partitioned-history') continue;
        await MIGRATIONS[name]!.up(h.db);
        await h.db.insertInto('schema_migrations' as never).values({ name, applied_at: 'x' } as never).execute();
      }
      await sql`insert into polls (device_id, at_ms, ok, duration_ms) values ('d', ${T0}, 1, 2), ('d', ${T0 + 3 * DAY}, 0, 2)`.execute(h.db);
      await sql`insert into samples_raw (device_id, t_ms, interval_ms) values ('d', ${T0}, 60000)`.execute(h.db);
      await sql`insert into samples_rollup (device_id, bucket_ms, t_ms, samples, rate_samples, client_samples, in_bytes, out_bytes)
        values ('d', 300000, ${T0}, 1, 1, 1, 0, 0), ('d', 3600000, ${T0}, 1, 1, 1, 0, 0), ('d', 86400000, ${T0}, 1, 1, 1, 0, 0)`.execute(h.db);
      expect(await migrateToLatest(h.db, 'postgres')).toEqual(['0017-partitioned-history']);
      expect(await count(h.db, 'polls')).toBe(2);
      expect(await count(h.db, 'polls_p20260302')).toBe(1);
      expect(await count(h.db, 'polls_p20260305')).toBe(1);
      expect(await count(h.db, 'samples_raw')).toBe(1);
      expect(await count(h.db, 'samples_rollup_5m')).toBe(1);
      expect(await count(h.db, 'samples_rollup_1h')).toBe(1);
      expect(await count(h.db, 'samples_rollup_1d')).toBe(1);
    } finally {
      await h.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
  });
});
