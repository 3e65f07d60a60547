/**
 * Runs the background jobs that are due, each at most once per period across every process and isolate sharing the
 * database (issue 11):
 * - a run is claimed with one conditional UPDATE on its `job_runs` row (`... WHERE last_started_ms <= now - period`):
 *   of several processes ticking at once exactly one gets the row, on SQLite, Postgres and D1 alike;
 * - on Postgres the claim and the run are also held under a session advisory lock per job (pinned connection), so a
 *   run longer than its period is never overlapped by the next one; a process that cannot take the lock skips.
 * A failing job is recorded (`last_ok = 0`, `last_error`) and never stops the others.
 */
import { sql } from 'kysely';
import type { ServiceCtx } from '../deps.ts';
import type { Executor } from '../db/types.ts';
import { claimJobRun, ensureJobRows, finishJobRun, listJobRuns, type JobRunRow } from '../db/job-runs.ts';
import { BACKGROUND_JOBS, type BackgroundJob } from './table.ts';

export interface JobOutcome {
  name: string;
  /** ran: claimed and run here; skipped: not due, or another process holds it. */
  outcome: 'ran' | 'failed' | 'skipped';
  error?: string;
  durationMs?: number;
}

/** A stable 32-bit key per job name for pg_try_advisory_lock (namespace 727275, beside the migration lock's 727274). */
function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

async function runOne(ctx: ServiceCtx, db: Executor, job: BackgroundJob, runner: string): Promise<JobOutcome> {
  const startedMs = ctx.clock.nowMs();
  if (!(await claimJobRun(db, job.name, startedMs, job.periodMs, runner))) return { name: job.name, outcome: 'skipped' };
  try {
    await job.run(ctx);
    const durationMs = ctx.clock.nowMs() - startedMs;
    await finishJobRun(db, job.name, ctx.clock.nowMs(), null);
    return { name: job.name, outcome: 'ran', durationMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.error('background job failed', { job: job.name, error: message });
    await finishJobRun(db, job.name, ctx.clock.nowMs(), message).catch(() => undefined);
    return { name: job.name, outcome: 'failed', error: message };
  }
}

export async function runDueJobs(ctx: ServiceCtx, options: { runner: string; jobs?: readonly BackgroundJob[] }): Promise<JobOutcome[]> {
  const jobs = options.jobs ?? BACKGROUND_JOBS;
  await ensureJobRows(ctx.db, jobs.map((j) => j.name));
  const out: JobOutcome[] = [];
  for (const job of jobs) {
    if (ctx.dialect !== 'postgres') {
      out.push(await runOne(ctx, ctx.db, job, options.runner));
      continue;
    }
    // Postgres: a session lock lives on one connection, so take, use and release it on the same one.
    out.push(
      await ctx.db.connection().execute(async (conn) => {
        const key = lockKey(job.name);
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(727275, ${key}) as ok`.execute(conn);
        if (got.rows[0]?.ok !== true) return { name: job.name, outcome: 'skipped' as const };
        try {
          return await runOne(ctx, conn, job, options.runner);
        } finally {
          await sql`select pg_advisory_unlock(727275, ${key})`.execute(conn);
        }
      }),
    );
  }
  return out;
}

export async function jobRuns(ctx: ServiceCtx): Promise<JobRunRow[]> {
  return listJobRuns(ctx.db);
}
