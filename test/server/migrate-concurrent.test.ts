/**
 * Several servers (or a server and a standalone collector) may start at the same moment on one fresh Postgres.
 * The migrations must then run exactly once and every starter must come up: the ledger table itself used to be
 * made before the advisory lock, and two simultaneous CREATE TABLE IF NOT EXISTS fail on pg_type's unique index.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/db/connect-node.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { MIGRATIONS } from '../../server/db/migrations/index.ts';
import { PG_URL } from '../helpers/db.ts';

const schemas: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  await admin(async (c) => {
    for (const s of schemas) await c.query(`drop schema if exists ${s} cascade`);
  });
});

describe('migrations started by several processes at once on Postgres', () => {
  it('run once and every starter succeeds, round after round on fresh schemas', async () => {
    const total = Object.keys(MIGRATIONS).length;
    for (let round = 0; round < 3; round++) {
      const schema = `t_migr_${Date.now().toString(36)}_${round}`;
      schemas.push(schema);
      await admin((c) => c.query(`create schema ${schema}`));
      // Separate pools stand in for separate processes: each has its own connections and sessions.
      const handles = Array.from({ length: 4 }, () => openPostgres(PG_URL, { schema, max: 2 }));
      try {
        const results = await Promise.allSettled(handles.map((h) => migrateToLatest(h.db, 'postgres')));
        const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
        expect(failures).toEqual([]);
        const applied = results.map((r) => (r as PromiseFulfilledResult<string[]>).value.length).sort((x, y) => y - x);
        // Exactly one starter applied everything; the others found nothing left to do.
        expect(applied).toEqual([total, 0, 0, 0]);
        const ledger = await admin((c) => c.query(`select count(*)::int as n from ${schema}.schema_migrations`));
        expect(ledger.rows[0].n).toBe(total);
      } finally {
        await Promise.all(handles.map((h) => h.close()));
      }
    }
  }, 120_000);
});
