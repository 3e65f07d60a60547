/**
 * Every database test runs on each engine: embedded SQLite and the real Postgres on 127.0.0.1:5432 (database
 * `test`). Each Postgres handle gets a schema of its own, so test files can run side by side.
 */
import pg from 'pg';
import { openPostgres, openSqlite } from '../../server/db/connect-node.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { DbHandle } from '../../server/db/types.ts';

export const PG_URL = process.env.JANGKAU_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export async function openTestDb(dialect: TestDialect, options: { file?: string } = {}): Promise<DbHandle> {
  if (dialect === 'sqlite') {
    const h = openSqlite(options.file ?? ':memory:');
    await migrateToLatest(h.db, 'sqlite');
    return h;
  }
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (cause) {
    throw new Error(`Postgres is not reachable at ${PG_URL}; start it (see README "Tests") - ${String(cause)}`);
  }
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const h = openPostgres(PG_URL, { schema, max: 4 });
  await migrateToLatest(h.db, 'postgres');
  return {
    db: h.db,
    dialect: 'postgres',
    close: async () => {
      await h.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}
