import type { Kysely } from 'kysely';

/**
 * Frozen: what the collectors report. Polls and samples are append-only and keyed by (device, time), which makes
 * ingest idempotent; status transitions are what availability is computed from; incidents carry their cause.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ingest_batches')
    .addColumn('batch_id', 'text', (c) => c.primaryKey())
    .addColumn('collector_id', 'text', (c) => c.notNull())
    .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('polls')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .addColumn('error_kind', 'text')
    .addColumn('error_message', 'text')
    .addPrimaryKeyConstraint('polls_pk', ['device_id', 'at_ms'])
    .execute();

  await db.schema
    .createTable('device_status')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('since_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_poll_ms', 'bigint')
    .addColumn('last_ok_ms', 'bigint')
    .addColumn('last_error_kind', 'text')
    .addColumn('last_error_message', 'text')
    .addColumn('last_error_ms', 'bigint')
    .addColumn('uptime_s', 'double precision')
    .addColumn('clients', 'integer')
    .addColumn('in_bps', 'double precision')
    .addColumn('out_bps', 'double precision')
    .addColumn('sys_name', 'text')
    .addColumn('sys_descr', 'text')
    .addColumn('version', 'text')
    .addColumn('ssids', 'text')
    /** The last good poll's counters (JSON), to turn the next one into rates. */
    .addColumn('last_counters', 'text')
    .execute();

  await db.schema
    .createTable('status_transitions')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_transitions_pk', ['device_id', 'at_ms'])
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('started_ms', 'bigint', (c) => c.notNull())
    .addColumn('detected_ms', 'bigint', (c) => c.notNull())
    .addColumn('ended_ms', 'bigint')
    .addColumn('cause_kind', 'text', (c) => c.notNull())
    .addColumn('cause_message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incidents_device_idx').on('incidents').columns(['device_id', 'started_ms']).execute();

  await db.schema
    .createTable('reboots')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('booted_at_ms', 'bigint', (c) => c.notNull())
    .addColumn('detected_ms', 'bigint', (c) => c.notNull())
    .addColumn('previous_uptime_s', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('reboots_pk', ['device_id', 'booted_at_ms'])
    .execute();

  await db.schema
    .createTable('samples_raw')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('t_ms', 'bigint', (c) => c.notNull())
    .addColumn('interval_ms', 'bigint', (c) => c.notNull())
    .addColumn('in_bps', 'double precision')
    .addColumn('out_bps', 'double precision')
    .addColumn('clients', 'integer')
    .addColumn('in_bytes', 'bigint')
    .addColumn('out_bytes', 'bigint')
    .addPrimaryKeyConstraint('samples_raw_pk', ['device_id', 't_ms'])
    .execute();

  await db.schema
    .createTable('samples_rollup')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('bucket_ms', 'bigint', (c) => c.notNull())
    .addColumn('t_ms', 'bigint', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('rate_samples', 'integer', (c) => c.notNull())
    .addColumn('client_samples', 'integer', (c) => c.notNull())
    .addColumn('in_bps_avg', 'double precision')
    .addColumn('in_bps_max', 'double precision')
    .addColumn('out_bps_avg', 'double precision')
    .addColumn('out_bps_max', 'double precision')
    .addColumn('clients_avg', 'double precision')
    .addColumn('clients_max', 'double precision')
    .addColumn('in_bytes', 'bigint', (c) => c.notNull())
    .addColumn('out_bytes', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('samples_rollup_pk', ['device_id', 'bucket_ms', 't_ms'])
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text')
    .addColumn('site_id', 'text')
    .addColumn('starts_ms', 'bigint', (c) => c.notNull())
    .addColumn('ends_ms', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('collectors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('last_seen_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_batch_id', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'collectors',
    'maintenance_windows',
    'webhook_deliveries',
    'webhooks',
    'samples_rollup',
    'samples_raw',
    'reboots',
    'incidents',
    'status_transitions',
    'device_status',
    'polls',
    'ingest_batches',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
