import type { Kysely } from 'kysely';

/**
 * Frozen: limits and credentials that hold under attack (issue 10).
 * - The addresses each staff account signed in from successfully (a keyed hash, never the address): such an address
 *   keeps its own budget of wrong passwords, so strangers cannot lock the account from elsewhere.
 * - API tokens get a kind: `personal` (a person's scripts) or `collector` (one standalone collector, named by
 *   `collector_id`): only a collector token may fetch the collector's targets, which hold device credentials.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_addresses')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('last_ok_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_addresses_pk', ['user_id', 'address_hash'])
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('kind', 'text', (c) => c.notNull().defaultTo('personal')).execute();
  await db.schema.alterTable('api_tokens').addColumn('collector_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('collector_id').execute();
  await db.schema.alterTable('api_tokens').dropColumn('kind').execute();
  await db.schema.dropTable('login_addresses').ifExists().execute();
}
