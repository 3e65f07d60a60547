import type { Kysely } from 'kysely';

/**
 * Frozen: delivery of one-time codes through a real gateway (issue 14). One row per message: its status (queued,
 * sent, failed with a reason), attempts and the time of the next one (retries with back-off are drained by a
 * background job), and the city day it is counted against the daily cost cap. The number and the text are sealed and
 * kept only while the message may still be sent; afterwards only the keyed hash remains (deleted with the citizen).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_sms_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone_hash', 'text', (c) => c.notNull())
    .addColumn('phone_sealed', 'text')
    .addColumn('body_sealed', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('cost_day', 'text')
    .addColumn('price_idr', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('portal_sms_messages_due_idx').on('portal_sms_messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('portal_sms_messages_phone_idx').on('portal_sms_messages').column('phone_hash').execute();
  await db.schema.createIndex('portal_sms_messages_created_idx').on('portal_sms_messages').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('portal_sms_messages').execute();
}
