/** Portal-wide settings (SMS gateway, retention) as JSON values by key. */
import type { Executor } from '../../db/types.ts';
import { portalDb } from './types.ts';

export async function readPortalSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await portalDb(db).selectFrom('portal_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writePortalSetting(db: Executor, key: string, value: string, at: string): Promise<void> {
  await portalDb(db)
    .insertInto('portal_settings')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}
