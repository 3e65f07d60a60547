import type { Kysely } from 'kysely';

/**
 * Frozen: quality of experience measured by citizens (issue 14). One row per speed test run from the portal's success
 * page: the hotspot, its ward (as it lay when measured), download and upload in Mbps and the latency in ms. Nothing
 * personal: no MAC, no address, no citizen, no grant.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_speed_tests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hotspot_id', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('down_mbps', 'real', (c) => c.notNull())
    .addColumn('up_mbps', 'real', (c) => c.notNull())
    .addColumn('latency_ms', 'real', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_speed_tests_time_idx').on('portal_speed_tests').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('portal_speed_tests').execute();
}
