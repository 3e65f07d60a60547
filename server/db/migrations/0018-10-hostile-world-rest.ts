import type { Kysely } from 'kysely';

/**
 * Frozen: issue 10's last tables and columns.
 * - `portal_flows.client_hash`: a keyed hash of the address a sign-in flow was started from (never the address
 *   itself); every later step of a hotspot flow must come from the same address.
 * - `app_settings`: server-wide settings an admin changes at run time (JSON per key), first of them the outbound-URL
 *   policy (whether alert channels, webhooks and the SMS gateway may reach loopback and private networks).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_flows').addColumn('client_hash', 'text').execute();
  await db.schema
    .createTable('app_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('app_settings').ifExists().execute();
  await db.schema.alterTable('portal_flows').dropColumn('client_hash').execute();
}
