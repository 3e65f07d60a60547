import type { Kysely } from 'kysely';

/**
 * Frozen: issue 11, interface roles. device_status.interfaces keeps the last poll's interfaces as JSON, each with
 * its role (physical, uplink, virtual), whether the device's totals add it, and its last rates, so the API and the
 * console show why a total is what it is. (devices.traffic_interfaces, the device's own choice, came with 0011.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('device_status').addColumn('interfaces', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('device_status').dropColumn('interfaces').execute();
}
