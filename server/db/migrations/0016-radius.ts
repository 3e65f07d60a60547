import type { Kysely } from 'kysely';

/**
 * Frozen: the RADIUS server (issue 16). NAS clients with sealed shared secrets; RADIUS facts about usage sessions
 * (portal_usage_sessions keeps the figures, radius_sessions what a Disconnect-Request needs); Disconnect/CoA
 * requests with their answers; per-minute figures per server process. The portal gains a sealed password on
 * grants given at a RADIUS hotspot, and revocation of vouchers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('radius_clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('hotspot_id', 'text', (c) => c.notNull().references('portal_hotspots.id').onDelete('cascade'))
    .addColumn('require_ma', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('mac_auth_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idle_timeout_s', 'integer', (c) => c.notNull())
    .addColumn('interim_s', 'integer', (c) => c.notNull())
    .addColumn('coa_port', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_seen_ms', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('radius_clients_hotspot_idx').on('radius_clients').column('hotspot_id').execute();

  await db.schema
    .createTable('radius_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('hotspot_id', 'text', (c) => c.notNull())
    .addColumn('acct_session_id', 'text', (c) => c.notNull())
    .addColumn('user_hash', 'text', (c) => c.notNull())
    .addColumn('user_sealed', 'text')
    .addColumn('grant_id', 'text')
    .addColumn('framed_ip', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('last_update_ms', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('terminate_cause', 'integer')
    .execute();
  await db.schema.createIndex('radius_sessions_key_idx').on('radius_sessions').columns(['client_id', 'acct_session_id', 'user_hash']).unique().execute();
  await db.schema.createIndex('radius_sessions_user_idx').on('radius_sessions').columns(['hotspot_id', 'user_hash']).execute();
  await db.schema.createIndex('radius_sessions_recent_idx').on('radius_sessions').columns(['hotspot_id', 'last_update_ms']).execute();
  await db.schema.createIndex('radius_sessions_open_idx').on('radius_sessions').columns(['ended_at', 'last_update_ms']).execute();
  await db.schema.createIndex('radius_sessions_grant_idx').on('radius_sessions').column('grant_id').execute();

  await db.schema
    .createTable('radius_coa_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('target_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('answered_at', 'bigint')
    .addColumn('answer_code', 'integer')
    .addColumn('error_cause', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('radius_coa_status_idx').on('radius_coa_requests').columns(['status', 'requested_at']).execute();
  await db.schema.createIndex('radius_coa_session_idx').on('radius_coa_requests').columns(['session_id', 'kind']).execute();

  await db.schema
    .createTable('radius_stats')
    .addColumn('minute_ms', 'bigint', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('auth_requests', 'integer', (c) => c.notNull())
    .addColumn('accepts', 'integer', (c) => c.notNull())
    .addColumn('rejects', 'integer', (c) => c.notNull())
    .addColumn('acct_requests', 'integer', (c) => c.notNull())
    .addColumn('acct_responses', 'integer', (c) => c.notNull())
    .addColumn('status_requests', 'integer', (c) => c.notNull())
    .addColumn('duplicates', 'integer', (c) => c.notNull())
    .addColumn('dropped', 'integer', (c) => c.notNull())
    .addColumn('drops', 'text', (c) => c.notNull())
    .addColumn('rt_count', 'integer', (c) => c.notNull())
    .addColumn('rt_sum_us', 'bigint', (c) => c.notNull())
    .addColumn('rt_max_us', 'bigint', (c) => c.notNull())
    .addColumn('rt_hist', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('radius_stats_pk', ['minute_ms', 'node'])
    .execute();

  await db.schema.alterTable('portal_grants').addColumn('password_sealed', 'text').execute();
  await db.schema.alterTable('portal_vouchers').addColumn('revoked_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('portal_vouchers').dropColumn('revoked_at').execute();
  await db.schema.alterTable('portal_grants').dropColumn('password_sealed').execute();
  for (const t of ['radius_stats', 'radius_coa_requests', 'radius_sessions', 'radius_clients']) await db.schema.dropTable(t).execute();
}
