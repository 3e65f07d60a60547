import type { Kysely } from 'kysely';

/**
 * Frozen: the captive portal. Identities (portal_citizens, portal_consents) live apart from connection data
 * (portal_grants, portal_usage_sessions); the two meet only through the opaque citizen id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('portal_hotspots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().unique().references('devices.id').onDelete('cascade'))
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('server_name', 'text')
    .addColumn('server_address', 'text', (c) => c.notNull())
    .addColumn('login_mode', 'text', (c) => c.notNull())
    .addColumn('methods', 'text', (c) => c.notNull())
    .addColumn('user_profile', 'text')
    .addColumn('rate_limit', 'text')
    .addColumn('terms_session_s', 'integer', (c) => c.notNull())
    .addColumn('signed_session_s', 'integer', (c) => c.notNull())
    .addColumn('daily_time_s', 'integer', (c) => c.notNull())
    .addColumn('daily_bytes', 'bigint', (c) => c.notNull())
    .addColumn('max_devices', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_hotspots_identity_idx').on('portal_hotspots').columns(['identity', 'server_address']).execute();

  await db.schema
    .createTable('portal_citizens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text', (c) => c.unique())
    .addColumn('phone_sealed', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_citizens_seen_idx').on('portal_citizens').column('last_seen_at').execute();

  await db.schema
    .createTable('portal_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('citizen_id', 'text', (c) => c.notNull().references('portal_citizens.id').onDelete('cascade'))
    .addColumn('terms_version', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_consents_citizen_idx').on('portal_consents').column('citizen_id').execute();

  await db.schema
    .createTable('portal_flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hotspot_id', 'text', (c) => c.notNull())
    .addColumn('vars', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text')
    .addColumn('citizen_id', 'text')
    .addColumn('grant_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_flows_expiry_idx').on('portal_flows').column('expires_at').execute();

  await db.schema
    .createTable('portal_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('citizen_id', 'text', (c) => c.notNull().references('portal_citizens.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_sessions_citizen_idx').on('portal_sessions').column('citizen_id').execute();

  await db.schema
    .createTable('portal_otps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('portal_otps_flow_idx').on('portal_otps').column('flow_id').execute();
  await db.schema.createIndex('portal_otps_phone_idx').on('portal_otps').column('phone_hash').execute();

  await db.schema
    .createTable('portal_sms_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('phone_sealed', 'text', (c) => c.notNull())
    .addColumn('body_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_sms_outbox_at_idx').on('portal_sms_outbox').column('created_at').execute();

  await db.schema
    .createTable('portal_voucher_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hotspot_id', 'text')
    .addColumn('validity_s', 'integer', (c) => c.notNull())
    .addColumn('time_quota_s', 'integer', (c) => c.notNull())
    .addColumn('data_quota_bytes', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('portal_vouchers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('portal_voucher_batches.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('code_sealed', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('citizen_id', 'text')
    .addColumn('redeemed_at', 'bigint')
    .addColumn('valid_until', 'bigint')
    .execute();
  await db.schema.createIndex('portal_vouchers_batch_idx').on('portal_vouchers').columns(['batch_id', 'seq']).execute();

  await db.schema
    .createTable('portal_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('citizen_id', 'text', (c) => c.notNull())
    .addColumn('hotspot_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('hotspot_user', 'text', (c) => c.notNull())
    .addColumn('device_key', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('limit_uptime_s', 'integer', (c) => c.notNull())
    .addColumn('limit_bytes', 'bigint', (c) => c.notNull())
    .addColumn('user_removed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('portal_grants_citizen_idx').on('portal_grants').columns(['citizen_id', 'expires_at']).execute();
  await db.schema.createIndex('portal_grants_user_idx').on('portal_grants').columns(['hotspot_id', 'hotspot_user']).execute();
  await db.schema.createIndex('portal_grants_day_idx').on('portal_grants').columns(['day', 'hotspot_id']).execute();
  await db.schema.createIndex('portal_grants_sweep_idx').on('portal_grants').columns(['user_removed', 'expires_at']).execute();
  await db.schema.createIndex('portal_grants_device_idx').on('portal_grants').columns(['device_key', 'day']).execute();

  await db.schema
    .createTable('portal_usage_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('hotspot_id', 'text', (c) => c.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('citizen_id', 'text')
    .addColumn('hotspot_user', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('uptime_s', 'integer', (c) => c.notNull())
    .addColumn('bytes_in', 'bigint', (c) => c.notNull())
    .addColumn('bytes_out', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_usage_open_idx').on('portal_usage_sessions').columns(['hotspot_id', 'ended_at']).execute();
  await db.schema.createIndex('portal_usage_day_idx').on('portal_usage_sessions').columns(['day', 'hotspot_id']).execute();
  await db.schema.createIndex('portal_usage_citizen_idx').on('portal_usage_sessions').columns(['citizen_id', 'day']).execute();

  await db.schema
    .createTable('portal_provision_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('flow_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint')
    .addColumn('claimed_by', 'text')
    .addColumn('finished_at', 'bigint')
    .addColumn('error', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_jobs_status_idx').on('portal_provision_jobs').columns(['status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'portal_provision_jobs',
    'portal_usage_sessions',
    'portal_grants',
    'portal_vouchers',
    'portal_voucher_batches',
    'portal_sms_outbox',
    'portal_otps',
    'portal_sessions',
    'portal_flows',
    'portal_consents',
    'portal_citizens',
    'portal_hotspots',
    'portal_settings',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
