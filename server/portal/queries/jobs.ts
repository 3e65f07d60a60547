/**
 * Provisioning jobs for runtimes that cannot reach the routers (Workers): the portal queues them, an on-premises
 * collector claims them over HTTP, carries them out and reports back.
 */
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalProvisionJobsTable } from './types.ts';

export type ProvisionJobRow = PortalProvisionJobsTable;

export async function insertProvisionJobs(db: Executor, rows: ProvisionJobRow[]): Promise<void> {
  if (rows.length > 0) await portalDb(db).insertInto('portal_provision_jobs').values(rows).execute();
}

export async function listJobsOfFlow(db: Executor, flowId: string): Promise<ProvisionJobRow[]> {
  return portalDb(db).selectFrom('portal_provision_jobs').selectAll().where('flow_id', '=', flowId).orderBy('created_at').orderBy('id').execute();
}

/** Jobs a collector may take: queued, or claimed so long ago (`staleBeforeMs`) that the claimer is presumed dead. */
export async function listClaimableJobs(
  db: Executor,
  options: { nowMs: number; staleBeforeMs: number; limit: number; deviceIds?: readonly string[] | undefined },
): Promise<ProvisionJobRow[]> {
  let q = portalDb(db)
    .selectFrom('portal_provision_jobs')
    .selectAll()
    .where('expires_at', '>', options.nowMs)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'claimed'), eb('claimed_at', '<', options.staleBeforeMs)])]));
  if (options.deviceIds !== undefined) {
    if (options.deviceIds.length === 0) return [];
    q = q.where('device_id', 'in', options.deviceIds);
  }
  return q.orderBy('created_at').orderBy('id').limit(options.limit).execute();
}

/** Takes a job if nobody took it since it was read; false when another collector was first. */
export async function claimJob(db: Executor, row: Pick<ProvisionJobRow, 'id' | 'status' | 'attempts'>, claimer: string, nowMs: number): Promise<boolean> {
  const r = await portalDb(db)
    .updateTable('portal_provision_jobs')
    .set({ status: 'claimed', claimed_at: nowMs, claimed_by: claimer, attempts: row.attempts + 1 })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findJob(db: Executor, id: string): Promise<ProvisionJobRow | undefined> {
  return portalDb(db).selectFrom('portal_provision_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function finishJob(db: Executor, id: string, outcome: { status: 'done' | 'failed' | 'queued'; error: string | null; nowMs: number }): Promise<void> {
  await portalDb(db)
    .updateTable('portal_provision_jobs')
    .set({ status: outcome.status, error: outcome.error, finished_at: outcome.status === 'queued' ? null : outcome.nowMs })
    .where('id', '=', id)
    .execute();
}

export async function purgeFinishedJobs(db: Executor, beforeMs: number): Promise<number> {
  const r = await portalDb(db).deleteFrom('portal_provision_jobs').where('created_at', '<', beforeMs).executeTakeFirst();
  return Number(r.numDeletedRows);
}
