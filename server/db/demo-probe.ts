/** Whether a database holds real inventory (any ward or device): the demo only ever starts beside an empty one. */
import type { Kysely } from 'kysely';
import type { Database } from './types.ts';

/** "No such table" on SQLite, undefined_table (42P01) on Postgres: a database never migrated. */
function isMissingTable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '42P01' || (typeof e?.message === 'string' && /no such table/i.test(e.message));
}

async function anyRow(query: () => Promise<unknown>): Promise<boolean> {
  try {
    return (await query()) !== undefined;
  } catch (err) {
    if (isMissingTable(err)) return false;
    throw err;
  }
}

/**
 * True when the wards or devices table has a row. Reads only; tables are looked up through the connection's own
 * search path (not every schema of the database), and a database never migrated counts as empty.
 */
export async function hasInventory(db: Kysely<Database>): Promise<boolean> {
  if (await anyRow(() => db.selectFrom('wards').select('code').limit(1).executeTakeFirst())) return true;
  return anyRow(() => db.selectFrom('devices').select('id').limit(1).executeTakeFirst());
}
