import type { Kysely } from 'kysely';

/**
 * Frozen: issue 5, rollout planning. Candidate sites (imported or generated in gaps), saved plans, rollout items
 * (proposed -> approved -> installing -> live | dropped), KPI thresholds and daily KPI snapshots, citizens'
 * blank-spot reports. Dates are ISO text; `day` is YYYY-MM-DD in the city's time (WIB).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('cost', 'double precision')
    .addColumn('feasible', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('candidates_ward_idx').on('candidates').column('ward_code').execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('site_count', 'integer', (c) => c.notNull())
    .addColumn('new_residents', 'double precision', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rollout_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('programme', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('candidate_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('department', 'text')
    .addColumn('provider', 'text')
    .addColumn('budget', 'double precision')
    .addColumn('site_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text')
    .addColumn('installing_at', 'text')
    .addColumn('live_at', 'text')
    .addColumn('dropped_at', 'text')
    .addColumn('due_approved', 'text')
    .addColumn('due_installing', 'text')
    .addColumn('due_live', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rollout_ward_idx').on('rollout_items').column('ward_code').execute();

  await db.schema
    .createTable('kpi_thresholds')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('green', 'double precision', (c) => c.notNull())
    .addColumn('red', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kpi_snapshots')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_key', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kpi_snapshots_pk', ['day', 'scope', 'scope_key', 'key'])
    .execute();

  await db.schema
    .createTable('blank_spot_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('ward_code', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['blank_spot_reports', 'kpi_snapshots', 'kpi_thresholds', 'rollout_items', 'plans', 'candidates']) await db.schema.dropTable(t).ifExists().execute();
}
