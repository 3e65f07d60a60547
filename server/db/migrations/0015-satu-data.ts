import type { Kysely } from 'kysely';

/**
 * Frozen: the mayor's report and Satu Data (issue 15).
 * - open_data_snapshots: one row per city day and dataset (hotspots with status, coverage per ward), the body as
 *   published that day (no personal data), so a past month can still be downloaded.
 * - widget_tokens: read-only tokens for wall widgets; only the SHA-256 is stored.
 * - kpi_programme: per KPI the programme's words (definition), target, owning department and person in charge;
 *   kpi_programme_changes: every change of a KPI's target, thresholds or owner, who made it and when.
 * - kpi_notes: a PIC's note on a KPI for a month (the monthly report prints them).
 * - monthly_reports: the PDF of a month, generated on its first day and kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('open_data_snapshots')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    /** JSON array of the dataset's rows as published. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('open_data_snapshots_pk', ['dataset', 'day'])
    .execute();

  await db.schema
    .createTable('widget_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('kpi_programme')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('definition_id', 'text')
    .addColumn('definition_en', 'text')
    .addColumn('target', 'double precision')
    .addColumn('department', 'text')
    .addColumn('pic_name', 'text')
    .addColumn('pic_contact', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kpi_programme_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_id', 'text')
    .addColumn('by_label', 'text', (c) => c.notNull())
    /** JSON: { field: [before, after] } for each field that changed. */
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kpi_programme_changes_key_idx').on('kpi_programme_changes').columns(['key', 'at']).execute();

  await db.schema
    .createTable('kpi_notes')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('by_label', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_notes_pk', ['key', 'month'])
    .execute();

  await db.schema
    .createTable('monthly_reports')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('generated_at', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    /** The PDF, base64 (one text type on SQLite, D1 and Postgres). */
    .addColumn('pdf_base64', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['monthly_reports', 'kpi_notes', 'kpi_programme_changes', 'kpi_programme', 'widget_tokens', 'open_data_snapshots']) await db.schema.dropTable(t).ifExists().execute();
}
