/** Sign-in flows: one per visit from a hotspot's login page, found by the SHA-256 of the token in the flow cookie. */
import type { Executor } from './types.ts';
import { portalDb, type PortalFlowsTable } from './portal-types.ts';

export type PortalFlowRow = PortalFlowsTable;

export async function insertFlow(db: Executor, row: PortalFlowRow): Promise<void> {
  await portalDb(db).insertInto('portal_flows').values(row).execute();
}

export async function findFlow(db: Executor, id: string): Promise<PortalFlowRow | undefined> {
  return portalDb(db).selectFrom('portal_flows').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateFlow(db: Executor, id: string, patch: Partial<Omit<PortalFlowRow, 'id'>>): Promise<void> {
  await portalDb(db).updateTable('portal_flows').set(patch).where('id', '=', id).execute();
}

export async function deleteFlow(db: Executor, id: string): Promise<void> {
  await portalDb(db).deleteFrom('portal_flows').where('id', '=', id).execute();
}

export async function purgeExpiredFlows(db: Executor, nowMs: number): Promise<number> {
  const r = await portalDb(db).deleteFrom('portal_flows').where('expires_at', '<', nowMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}
