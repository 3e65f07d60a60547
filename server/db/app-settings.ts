/** Server-wide settings (issue 10): one JSON value per key, changed by admins at run time. */
import type { Executor } from './types.ts';

export async function readAppSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeAppSetting(db: Executor, key: string, value: string, at: string): Promise<void> {
  await db
    .insertInto('app_settings')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}
