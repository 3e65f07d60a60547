import type { Kysely } from 'kysely';

/**
 * Frozen: issue 10 item 12. `sites.code`, an optional external key (the operator's or the city's own site code), so
 * re-importing a sites CSV updates the site it names instead of adding a second one. Indexed for that look-up; not
 * unique in the schema (the import refuses a file that names one code twice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sites').addColumn('code', 'text').execute();
  await db.schema.createIndex('sites_code_idx').on('sites').column('code').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sites_code_idx').ifExists().execute();
  await db.schema.alterTable('sites').dropColumn('code').execute();
}
