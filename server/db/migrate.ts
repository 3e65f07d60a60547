import { sql, type Kysely } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { DialectName } from './types.ts';
import { MIGRATIONS } from './migrations/index.ts';

/**
 * Brings the schema to the newest migration, on SQLite, Postgres and D1 alike. Kysely's own Migrator reads
 * sqlite_master, which D1 refuses (SQLITE_AUTH), so this small runner keeps its own ledger table instead:
 * each migration runs once, in name order, in a transaction where the engine has them (not on D1), and Postgres
 * holds an advisory lock so two servers starting together do not race. Safe to call on every start.
 */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName = 'sqlite'): Promise<string[]> {
  const run = async (tx: Kysely<any>): Promise<string[]> => {
    // The lock comes first, before the ledger table is made: Postgres's CREATE TABLE IF NOT EXISTS is not safe
    // against a second process doing the same at the same moment (it fails on pg_type's unique index).
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(727274)`.execute(tx);
    await tx.schema
      .createTable('schema_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const done = new Set((await tx.selectFrom('schema_migrations').select('name').execute()).map((r: { name: string }) => r.name));
    const applied: string[] = [];
    for (const name of Object.keys(MIGRATIONS).sort()) {
      if (done.has(name)) continue;
      try {
        await MIGRATIONS[name]!.up(tx);
      } catch (cause) {
        throw new AppError('internal', `database migration ${name} failed: ${(cause as Error).message}`, { cause });
      }
      await tx.insertInto('schema_migrations').values({ name, applied_at: new Date().toISOString() }).execute();
      applied.push(name);
    }
    return applied;
  };
  if (dialect === 'd1') return run(db);
  return db.transaction().execute(run);
}
