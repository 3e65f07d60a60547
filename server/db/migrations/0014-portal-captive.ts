import type { Kysely } from 'kysely';

/**
 * Frozen: the captive-portal API of RFC 8908 (issue 14). A grant remembers the client address the hotspot posted
 * (the device's address inside the hotspot network), so `GET /portal/api/captive` can tell a device that is signed
 * in from one that is not. The address is as short-lived as the grant and purged with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_grants').addColumn('client_address', 'text').execute();
  await db.schema.createIndex('portal_grants_address_idx').on('portal_grants').columns(['client_address', 'expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('portal_grants_address_idx').execute();
  await db.schema.alterTable('portal_grants').dropColumn('client_address').execute();
}
