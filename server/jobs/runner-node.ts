/**
 * The Node server's job runner (issue 11): ticks every `tickMs` (JANGKAU_JOB_TICK_S, default 15 s) and runs the
 * background-job table's due jobs, whether or not this process polls (JANGKAU_COLLECT=false with standalone
 * collectors still gets its roll-ups). Several server processes on one Postgres each tick; every job still runs
 * once per period (server/jobs/run-due.ts). Ticks never overlap; the first comes one tick after start.
 */
import { hostname } from 'node:os';
import type { ServiceCtx } from '../deps.ts';
import { runDueJobs, type JobOutcome } from './run-due.ts';
import type { BackgroundJob } from './table.ts';

export interface JobRunner {
  /** Runs the due jobs now (tests call it instead of waiting for the tick). */
  tick(): Promise<JobOutcome[]>;
  stop(): Promise<void>;
}

export function startJobRunner(ctx: ServiceCtx, options: { tickMs?: number; jobs?: readonly BackgroundJob[]; runner?: string } = {}): JobRunner {
  const tickMs = options.tickMs ?? 15_000;
  const runner = options.runner ?? `node:${hostname()}:${process.pid}`;
  let running: Promise<JobOutcome[]> | null = null;
  let stopped = false;
  const tick = (): Promise<JobOutcome[]> => {
    running ??= runDueJobs(ctx, { runner, ...(options.jobs === undefined ? {} : { jobs: options.jobs }) })
      .catch((error: unknown) => {
        ctx.log.error('background jobs failed', { error: String(error) });
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, tickMs);
  timer.unref();
  return {
    tick,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
