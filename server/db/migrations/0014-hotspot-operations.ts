import type { Kysely } from 'kysely';

/**
 * Frozen: hotspot operations in the console (issue 14).
 * - A hotspot knows its Wi-Fi name (printed on voucher sheets) and when its user profile (rate limit) last reached
 *   the router, or why it did not.
 * - A voucher batch carries what its printed sheet says: Wi-Fi name, price (rupiah, optional), and the host the QR
 *   codes send a phone to (the hotspot's DNS name or address, where the router serves its login page).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_hotspots').addColumn('ssid', 'text').execute();
  await db.schema.alterTable('portal_hotspots').addColumn('profile_pushed_at', 'text').execute();
  await db.schema.alterTable('portal_hotspots').addColumn('profile_push_error', 'text').execute();
  await db.schema.alterTable('portal_voucher_batches').addColumn('ssid', 'text').execute();
  await db.schema.alterTable('portal_voucher_batches').addColumn('price_idr', 'integer').execute();
  await db.schema.alterTable('portal_voucher_batches').addColumn('login_host', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['login_host', 'price_idr', 'ssid']) await db.schema.alterTable('portal_voucher_batches').dropColumn(c).execute();
  for (const c of ['profile_push_error', 'profile_pushed_at', 'ssid']) await db.schema.alterTable('portal_hotspots').dropColumn(c).execute();
}
