/**
 * Issue 11: every background job, declared once (name, period, run). Both runtimes run this same table: Node from
 * its job runner (server/jobs/runner-node.ts, whatever JANGKAU_COLLECT says) and Workers from the cron trigger's
 * scheduled(). `runDueJobs` (server/jobs/run-due.ts) runs each job at most once per period across every process
 * sharing the database. A new job is one entry here; nothing else to wire.
 */
import type { ServiceCtx } from '../deps.ts';
import { snapshotKpis } from '../services/kpis/snapshot.ts';
import { sweepMaintenance } from '../services/monitoring/maintenance.ts';
import { runRollups } from '../services/monitoring/rollups.ts';
import { snapshotOpenData } from '../services/open-data/datasets.ts';
import { makeDueMonthlyReport } from '../services/monthly-report/monthly-pdf.ts';
import { purgePortalData } from '../portal/services/citizen-data.ts';
import { drainSmsQueue } from '../portal/services/sms-gateway.ts';
import { sweepHotspotUsers } from '../portal/services/sweep-users.ts';

export interface BackgroundJob {
  /** Stable name: the key of its row in `job_runs`. */
  readonly name: string;
  /** At most one run per period across all processes; a runner that ticks less often runs it at its own ticks. */
  readonly periodMs: number;
  readonly run: (ctx: ServiceCtx) => Promise<unknown>;
}

const MIN = 60_000;

export const BACKGROUND_JOBS: readonly BackgroundJob[] = [
  // Roll-ups on finished buckets (5 min, hour, city day) and retention of raw samples and roll-ups.
  { name: 'rollups', periodMs: MIN, run: (ctx) => runRollups(ctx) },
  // Issue 11: maintenance windows that began pause their devices' incidents; one that ended on a down device opens one.
  { name: 'maintenance', periodMs: MIN, run: (ctx) => sweepMaintenance(ctx) },
  // Hotspot users of ended grants off the routers (directly on Node, queued for the on-premises collector on Workers).
  { name: 'hotspot-user-sweep', periodMs: 5 * MIN, run: (ctx) => sweepHotspotUsers(ctx) },
  // The KPI snapshot trends are drawn from: one per city day, replaced hourly so the day's last one stands.
  { name: 'kpi-snapshot', periodMs: 60 * MIN, run: (ctx) => snapshotKpis(ctx) },
  // Issue 15: the open-data snapshot of the day (hotspots, coverage), replaced hourly like the KPIs.
  { name: 'open-data-snapshot', periodMs: 60 * MIN, run: (ctx) => snapshotOpenData(ctx) },
  // Issue 15: on the first day of a month (or the first hour a runner runs after it), last month's report.
  { name: 'monthly-report', periodMs: 60 * MIN, run: (ctx) => makeDueMonthlyReport(ctx) },
  // Issue 14: retries of one-time codes the SMS gateway did not take at once (back-off 15 s .. 2 min, within the
  // code's 5 minutes): due at every runner tick.
  { name: 'sms-delivery', periodMs: 10_000, run: (ctx) => drainSmsQueue(ctx) },
  // Personal data past its retention (UU PDP): due at once on a fresh database, then every 6 hours (issue 10).
  { name: 'personal-data-purge', periodMs: 6 * 60 * MIN, run: (ctx) => purgePortalData(ctx) },
];
