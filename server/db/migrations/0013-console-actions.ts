import { sql, type Kysely } from 'kysely';

/**
 * Frozen: what staff do in the console (issue 13).
 * - Incidents carry who acknowledged them, when, and their note.
 * - Alert channels (webhook, Telegram, e-mail) with per-channel filters, and their deliveries. The incident webhooks
 *   registered before become webhook channels with the same id (their sealed secret keeps its purpose), so existing
 *   receivers keep getting incident start and end.
 * - Citizens' blank-spot reports get a triage status; rollout items an owner (the person in charge).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('ack_by_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('ack_by', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('ack_at_ms', 'bigint').execute();
  await db.schema.alterTable('incidents').addColumn('ack_note', 'text').execute();
  await db.schema.createIndex('incidents_started_idx').on('incidents').column('started_ms').execute();

  await db.schema
    .createTable('alert_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    /** What the channel reaches, shown as is: a URL, a chat id, e-mail addresses. Never a secret. */
    .addColumn('target', 'text', (c) => c.notNull())
    /** Non-secret settings as JSON (SMTP host and port, sender, API base URL). */
    .addColumn('settings', 'text', (c) => c.notNull())
    /** The one secret of the channel (webhook signing secret, bot token, SMTP password), sealed. */
    .addColumn('secret_sealed', 'text')
    /** JSON array of ward codes, or null for every ward. */
    .addColumn('ward_codes', 'text')
    .addColumn('min_severity', 'text', (c) => c.notNull())
    /** JSON array of incident events: opened, closed, acknowledged. */
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alert_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('alert_deliveries_channel_idx').on('alert_deliveries').columns(['channel_id', 'at_ms']).execute();

  await sql`insert into alert_channels (id, kind, name, enabled, target, settings, secret_sealed, ward_codes, min_severity, events, created_at, updated_at)
    select id, 'webhook', url, enabled, url, '{}', secret_sealed, null, 'warning', '["opened","closed"]', created_at, created_at from webhooks`.execute(db);

  await db.schema.alterTable('blank_spot_reports').addColumn('triage', 'text', (c) => c.notNull().defaultTo('new')).execute();
  await db.schema.alterTable('blank_spot_reports').addColumn('triage_note', 'text').execute();
  await db.schema.alterTable('blank_spot_reports').addColumn('triage_by', 'text').execute();
  await db.schema.alterTable('blank_spot_reports').addColumn('triage_at', 'text').execute();

  await db.schema.alterTable('rollout_items').addColumn('owner', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alert_deliveries').ifExists().execute();
  await db.schema.dropTable('alert_channels').ifExists().execute();
}
