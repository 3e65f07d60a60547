/**
 * The collector side of queued provisioning: an on-premises collector, signed in with an API token, claims jobs for
 * the routers it reaches, carries them out with its RouterOS client and reports each result. A claim not reported
 * within STALE_CLAIM_MS goes back to the queue (the collector may have died); a job is tried at most MAX_ATTEMPTS times.
 */
import { AppError } from '../../../core/errors.ts';
import type { ProvisionJobPayload } from '../../../core/schemas/portal.ts';
import { claimJob, findJob, finishJob, listClaimableJobs } from '../queries/jobs.ts';
import type { ServiceCtx } from '../../deps.ts';
import { JOB_PURPOSE } from './grant-access.ts';

export const STALE_CLAIM_MS = 30_000;
export const MAX_ATTEMPTS = 3;

export interface ClaimedJob {
  id: string;
  deviceId: string;
  attempt: number;
  job: ProvisionJobPayload;
}

function requireToken(ctx: ServiceCtx): void {
  if (ctx.actor?.via !== 'token') throw new AppError('bad_request', 'collectors call this with an API token (Authorization: Bearer jk_...), not a browser session');
}

export async function claimProvisionJobs(ctx: ServiceCtx, input: { collector: string; max: number; deviceIds?: string[] | undefined }): Promise<{ jobs: ClaimedJob[] }> {
  requireToken(ctx);
  const now = ctx.clock.nowMs();
  const candidates = await listClaimableJobs(ctx.db, { nowMs: now, staleBeforeMs: now - STALE_CLAIM_MS, limit: input.max, deviceIds: input.deviceIds });
  const jobs: ClaimedJob[] = [];
  for (const row of candidates) {
    if (row.attempts >= MAX_ATTEMPTS) {
      await finishJob(ctx.db, row.id, { status: 'failed', error: 'gave up after repeated claims without a result', nowMs: now });
      continue;
    }
    if (!(await claimJob(ctx.db, row, input.collector, now))) continue;
    jobs.push({ id: row.id, deviceId: row.device_id, attempt: row.attempts + 1, job: JSON.parse(await ctx.secrets.open(row.payload_sealed, JOB_PURPOSE)) as ProvisionJobPayload });
  }
  return { jobs };
}

export async function reportProvisionJob(ctx: ServiceCtx, id: string, result: { ok: boolean; error?: string | undefined }): Promise<{ status: string }> {
  requireToken(ctx);
  const job = await findJob(ctx.db, id);
  if (job === undefined) throw new AppError('not_found', 'no such job');
  if (job.status !== 'claimed') throw new AppError('conflict', `the job is ${job.status}, not claimed`);
  const now = ctx.clock.nowMs();
  const status = result.ok ? 'done' : job.attempts >= MAX_ATTEMPTS ? 'failed' : 'queued';
  await finishJob(ctx.db, id, { status, error: result.ok ? null : (result.error ?? 'failed').slice(0, 500), nowMs: now });
  return { status };
}
