/** Whether a database holds real inventory (any ward or device): the demo only ever starts beside an empty one. */
import type { Kysely } from 'kysely';
import type { Database } from './types.ts';

/** True when the wards or devices table exists and has a row. Reads only; a database never migrated counts as empty. */
export async function hasInventory(db: Kysely<Database>): Promise<boolean> {
  const tables = new Set((await db.introspection.getTables()).map((t) => t.name));
  if (tables.has('wards') && (await db.selectFrom('wards').select('code').limit(1).executeTakeFirst()) !== undefined) return true;
  if (tables.has('devices') && (await db.selectFrom('devices').select('id').limit(1).executeTakeFirst()) !== undefined) return true;
  return false;
}
