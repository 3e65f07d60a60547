import type { Kysely } from 'kysely';

/**
 * Frozen: issue 17, regions above the ward.
 * - `regions`: provinces, kabupaten/kota (`city`) and kecamatan (`district`), each with its parent; a ward (desa or
 *   kelurahan) names its kecamatan and kabupaten/kota by code. Imported with the wards when the file carries them.
 * - `users.scope_city_code`: a staff account scoped to one kabupaten/kota sees and changes only what lies there;
 *   null is the whole installation (the province).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    /** province | city (kabupaten or kota) | district (kecamatan) */
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_level_idx').on('regions').columns(['level', 'parent_code']).execute();
  await db.schema.alterTable('wards').addColumn('district_code', 'text').execute();
  await db.schema.alterTable('wards').addColumn('city_code', 'text').execute();
  await db.schema.createIndex('wards_city_idx').on('wards').column('city_code').execute();
  await db.schema.alterTable('users').addColumn('scope_city_code', 'text').execute();
}
