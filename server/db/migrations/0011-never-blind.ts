import type { Kysely } from 'kysely';

/**
 * Frozen: issue 11 (monitoring that never goes blind).
 * - devices.monitor: 0 makes a device inventory only (never polled, never an incident); a device without SNMP and
 *   RouterOS settings is inventory only whatever this says.
 * - devices.snmp_timeout_ms / snmp_retries: per-device SNMP patience; null takes the role's default.
 * - devices.traffic_interfaces: which interfaces a device's traffic totals add (JSON; null: physical ones).
 * - collectors.dropped_items / dropped_events: results for deleted or unknown devices that ingest dropped (a metric).
 * - incidents.end_reason: why an incident ended when it was not the device coming back (disabled, deleted,
 *   unmonitored, maintenance); null for an ordinary recovery.
 * - job_runs: the background-job table's memory of each job's last run (server/jobs).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices').addColumn('monitor', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('devices').addColumn('snmp_timeout_ms', 'integer').execute();
  await db.schema.alterTable('devices').addColumn('snmp_retries', 'integer').execute();
  await db.schema.alterTable('devices').addColumn('traffic_interfaces', 'text').execute();
  await db.schema.alterTable('collectors').addColumn('dropped_items', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('collectors').addColumn('dropped_events', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('incidents').addColumn('end_reason', 'text').execute();
  await db.schema
    .createTable('job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_started_ms', 'bigint')
    .addColumn('last_finished_ms', 'bigint')
    .addColumn('last_ok', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_runner', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
  await db.schema.alterTable('incidents').dropColumn('end_reason').execute();
  await db.schema.alterTable('collectors').dropColumn('dropped_events').execute();
  await db.schema.alterTable('collectors').dropColumn('dropped_items').execute();
  for (const c of ['traffic_interfaces', 'snmp_retries', 'snmp_timeout_ms', 'monitor']) await db.schema.alterTable('devices').dropColumn(c).execute();
}
