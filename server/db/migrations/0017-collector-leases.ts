import type { Kysely } from 'kysely';

/**
 * Frozen: issue 17, collector groups and leases. A device belongs to a collector group (a network zone; null is the
 * group `default`); several collectors of a group share its devices through leases kept here, each lease held by one
 * collector until it expires (renewed while the collector lives). A released lease cools down for one poll interval
 * before another collector may take it, so no device is polled twice in an interval during a hand-over.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices').addColumn('collector_group', 'text').execute();
  await db.schema.alterTable('collectors').addColumn('group_name', 'text').execute();
  await db.schema.alterTable('collectors').addColumn('leases_renewed_ms', 'bigint').execute();
  await db.schema
    .createTable('device_leases')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('collector_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('acquired_ms', 'bigint', (c) => c.notNull())
    .addColumn('expires_ms', 'bigint', (c) => c.notNull())
    /** 1: given back (rebalancing); nobody may take it before expires_ms. */
    .addColumn('released', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_leases_collector_idx').on('device_leases').columns(['collector_id', 'expires_ms']).execute();
}
