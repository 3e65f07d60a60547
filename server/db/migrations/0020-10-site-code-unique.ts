import { sql, type Kysely } from 'kysely';

/**
 * Frozen: issue 10 (rest). `sites.code` becomes unique where set: a unique index over the rows with a code (a
 * partial index, which SQLite, D1 and Postgres all have; sites without a code are any number). It replaces the plain
 * look-up index of 0019.
 *
 * Existing duplicates must not stop the upgrade: of the sites sharing one code, the first made (created_at, then id)
 * keeps it, every later one loses its code (set to null, the site itself stays) and the change is written to the
 * audit log (action `update`, actor `system`, detail naming the code and the site that kept it), so an operator
 * finds which sites need a code of their own again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows: Array<{ id: string; code: string; created_at: string }> = await db
    .selectFrom('sites')
    .select(['id', 'code', 'created_at'])
    .where('code', 'is not', null)
    .orderBy('code')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const keeper = new Map<string, string>();
  const at = new Date().toISOString();
  for (const r of rows) {
    const kept = keeper.get(r.code);
    if (kept === undefined) {
      keeper.set(r.code, r.id);
      continue;
    }
    await db.updateTable('sites').set({ code: null, updated_at: at }).where('id', '=', r.id).execute();
    await db
      .insertInto('audit_log')
      .values({
        id: crypto.randomUUID(),
        at,
        actor_id: null,
        actor_label: 'system',
        action: 'update',
        entity: 'site',
        entity_id: r.id,
        detail: JSON.stringify({ changed: ['code'], via: 'migration 0020-10-site-code-unique', reason: 'duplicate site code cleared', code: r.code, keptBy: kept }),
        request_id: null,
      })
      .execute();
  }
  await db.schema.dropIndex('sites_code_idx').ifExists().execute();
  await db.schema.createIndex('sites_code_unique').on('sites').column('code').unique().where(sql.ref('code'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sites_code_unique').ifExists().execute();
  await db.schema.createIndex('sites_code_idx').on('sites').column('code').execute();
}
