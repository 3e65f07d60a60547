import type { AuditLogTable, Executor } from './types.ts';

export async function insertAudit(db: Executor, row: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export async function listAudit(
  db: Executor,
  filter: { limit: number; offset: number; entity?: string | undefined; entityId?: string | undefined; actor?: string | undefined; action?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<{ rows: AuditLogTable[]; total: number }> {
  let q = db.selectFrom('audit_log');
  if (filter.entity !== undefined) q = q.where('entity', '=', filter.entity);
  if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  // Who: part of the e-mail or the user id.
  if (filter.actor !== undefined) {
    // % and _ in the text act as wildcards, which only widens a search an admin typed.
    const like = `%${filter.actor.toLowerCase()}%`;
    const actor = filter.actor;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['actor_label']), 'like', like), eb('actor_id', '=', actor)]));
  }
  if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('at', '<', filter.to);
  const rows = await q.selectAll().orderBy('at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}
