/** The background-job table's memory (issue 11): one row per job in `job_runs`. */
import type { Executor, JobRunsTable } from './types.ts';

export type JobRunRow = JobRunsTable;

export async function ensureJobRows(db: Executor, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await db
      .insertInto('job_runs')
      .values({ name, runs: 0, last_started_ms: null, last_finished_ms: null, last_ok: null, last_error: null, last_runner: null })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
}

/** Claims this period's run: true for exactly one caller per period, whatever the number of processes. */
export async function claimJobRun(db: Executor, name: string, nowMs: number, periodMs: number, runner: string): Promise<boolean> {
  const r = await db
    .updateTable('job_runs')
    .set((eb) => ({ last_started_ms: nowMs, runs: eb(eb.ref('runs'), '+', 1), last_runner: runner.slice(0, 120) }))
    .where('name', '=', name)
    .where((eb) => eb.or([eb('last_started_ms', 'is', null), eb('last_started_ms', '<=', nowMs - periodMs)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function finishJobRun(db: Executor, name: string, nowMs: number, error: string | null): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ last_finished_ms: nowMs, last_ok: error === null ? 1 : 0, last_error: error === null ? null : error.slice(0, 1000) })
    .where('name', '=', name)
    .execute();
}

export async function listJobRuns(db: Executor): Promise<JobRunRow[]> {
  const rows = await db.selectFrom('job_runs').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    ...r,
    runs: Number(r.runs),
    last_started_ms: r.last_started_ms === null ? null : Number(r.last_started_ms),
    last_finished_ms: r.last_finished_ms === null ? null : Number(r.last_finished_ms),
  }));
}
