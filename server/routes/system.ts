import { sql } from 'kysely';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { healthOut, jobsOut } from '../../core/schemas/responses.ts';
import { isoAt } from '../../core/time.ts';
import { listJobRuns } from '../db/job-runs.ts';
import { BACKGROUND_JOBS } from '../jobs/table.ts';

export const VERSION = '0.1.0';

export const systemRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/healthz',
    access: 'public',
    summary: 'Liveness and database reachability',
    tag: 'system',
    response: healthOut, handler: async ({ c, ctx }) => {
      const t0 = Date.now();
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok', version: VERSION, database: ctx.dialect, dbLatencyMs: Date.now() - t0 };
      } catch {
        return c.json({ status: 'degraded', version: VERSION, database: ctx.dialect }, 503);
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/system/jobs',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'The background jobs (roll-ups, sweeps, snapshots, purge): period and last run of each, whichever process ran it',
    tag: 'system',
    response: jobsOut, handler: async ({ ctx }) => {
      const runs = new Map((await listJobRuns(ctx.db)).map((r) => [r.name, r]));
      const iso = (ms: number | null | undefined): string | null => (ms == null ? null : isoAt(ms));
      return {
        items: BACKGROUND_JOBS.map((j) => {
          const r = runs.get(j.name);
          return {
            name: j.name,
            periodS: j.periodMs / 1000,
            runs: r?.runs ?? 0,
            lastStartedAt: iso(r?.last_started_ms),
            lastFinishedAt: iso(r?.last_finished_ms),
            lastOk: r?.last_ok == null ? null : r.last_ok === 1,
            lastError: r?.last_error ?? null,
            lastRunner: r?.last_runner ?? null,
          };
        }),
      };
    },
  }),
];
