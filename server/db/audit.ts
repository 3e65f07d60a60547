import type { AuditLogTable, Executor } from './types.ts';

export async function insertAudit(db: Executor, row: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(row).execute();
}

export async function listAudit(
  db: Executor,
  filter: { limit: number; offset: number; entity?: string; entityId?: string },
): Promise<{ rows: AuditLogTable[]; total: number }> {
  let q = db.selectFrom('audit_log');
  if (filter.entity !== undefined) q = q.where('entity', '=', filter.entity);
  if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
  const rows = await q.selectAll().orderBy('at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  const c = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(c.n) };
}
