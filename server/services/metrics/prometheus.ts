/**
 * GET /metrics for the city's Grafana (Prometheus text exposition format 0.0.4). Read from the database at scrape
 * time, so every process and isolate (Node, Workers, standalone collectors feeding one database) shows the same
 * figures; windows are stated in the metric names rather than pretending to be process counters.
 *
 * A KPI without data has no `jangkau_kpi_value` sample (absent is how Prometheus says "no data": a 0 would draw as
 * a real zero and could fire an alert); `jangkau_kpi_no_data{...,reason}` says which and why.
 */
import { KPI_STATUSES } from '../../../core/traffic-light.ts';
import { collectorsSeen, deviceStateCounts, newestPollMs, openIncidentCount, pollCountsSince, portalSignInsOfDay } from '../../db/satu-data.ts';
import type { ServiceCtx } from '../../deps.ts';
import { cityDay } from '../kpis/city-day.ts';
import { loadKpiInputs, providerKpisFrom, wardKpisFrom, type KpiValue } from '../kpis/ward-kpis.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;

const escLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const num = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

class Exposition {
  private readonly lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter', help: string, samples: Array<{ labels?: Labels; value: number }>): void {
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const s of samples) {
      const labels = s.labels === undefined || Object.keys(s.labels).length === 0 ? '' : `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escLabel(v)}"`).join(',')}}`;
      this.lines.push(`${name}${labels} ${num(s.value)}`);
    }
  }
  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

const DEVICE_STATES = ['up', 'degraded', 'down', 'unknown', 'disabled'] as const;
const POLL_WINDOW_MS = 5 * 60_000;
const STATUS_CODE: Record<string, number> = { green: 0, orange: 1, red: 2 };

export async function prometheusMetrics(ctx: ServiceCtx): Promise<string> {
  const nowMs = ctx.clock.nowMs();
  const out = new Exposition();

  const states = await deviceStateCounts(ctx.db);
  const byState = new Map<string, number>(DEVICE_STATES.map((s) => [s, 0]));
  for (const r of states) byState.set(r.state, (byState.get(r.state) ?? 0) + r.n);
  out.family('jangkau_devices', 'gauge', 'Devices by current state (enabled devices never polled are unknown; disabled ones apart).',
    [...byState.entries()].map(([state, value]) => ({ labels: { state }, value })));
  const byRole = new Map<string, number>();
  for (const r of states) byRole.set(`${r.role}|${r.state}`, (byRole.get(`${r.role}|${r.state}`) ?? 0) + r.n);
  out.family('jangkau_devices_by_role', 'gauge', 'Devices by role and current state.',
    [...byRole.entries()].sort().map(([k, value]) => ({ labels: { role: k.split('|')[0]!, state: k.split('|')[1]! }, value })));

  const polls = await pollCountsSince(ctx.db, nowMs - POLL_WINDOW_MS);
  out.family('jangkau_polls_last_5m', 'gauge', 'Polls stored in the last 5 minutes, by result.', [
    { labels: { result: 'ok' }, value: polls.filter((p) => p.ok === 1).reduce((a, p) => a + p.n, 0) },
    { labels: { result: 'error' }, value: polls.filter((p) => p.ok !== 1).reduce((a, p) => a + p.n, 0) },
  ]);
  const errKinds = new Map<string, number>();
  for (const p of polls) if (p.ok !== 1) errKinds.set(p.error_kind ?? 'unknown', (errKinds.get(p.error_kind ?? 'unknown') ?? 0) + p.n);
  out.family('jangkau_poll_errors_last_5m', 'gauge', 'Poll errors in the last 5 minutes, by kind (timeout, auth, refused, ...).',
    [...errKinds.entries()].sort().map(([kind, value]) => ({ labels: { kind }, value })));

  const collectors = await collectorsSeen(ctx.db);
  out.family('jangkau_collector_last_batch_age_seconds', 'gauge', 'Seconds since each collector last delivered a batch (ingest lag).',
    collectors.map((c) => ({ labels: { collector: c.id }, value: Math.max(0, (nowMs - c.last_seen_ms) / 1000) })));
  const newest = await newestPollMs(ctx.db);
  out.family('jangkau_ingest_lag_seconds', 'gauge', 'Seconds since the newest poll the database holds (no sample: nothing was ever polled).',
    newest === null ? [] : [{ value: Math.max(0, (nowMs - newest) / 1000) }]);

  out.family('jangkau_incidents_open', 'gauge', 'Incidents open now.', [{ value: await openIncidentCount(ctx.db) }]);

  const signIns = await portalSignInsOfDay(ctx.db, cityDay(nowMs));
  out.family('jangkau_portal_signins_today', 'gauge', "Citizens' captive-portal sign-ins today (city time, WIB), by method. Counts only.",
    signIns.map((s) => ({ labels: { method: s.method }, value: s.n })));

  const inputs = await loadKpiInputs(ctx);
  const values: Array<{ labels: Labels; value: number }> = [];
  const statuses: Array<{ labels: Labels; value: number }> = [];
  const noData: Array<{ labels: Labels; value: number }> = [];
  const add = (labels: Labels, k: KpiValue): void => {
    const l = { ...labels, key: k.key };
    if (k.value === null) {
      noData.push({ labels: { ...l, reason: k.reason ?? 'unknown' }, value: 1 });
      return;
    }
    values.push({ labels: l, value: k.value });
    statuses.push({ labels: l, value: STATUS_CODE[k.status] ?? 0 });
  };
  for (const w of wardKpisFrom(inputs)) for (const k of w.kpis) add({ scope: 'ward', ward: w.wardCode, kecamatan: w.district }, k);
  for (const p of providerKpisFrom(inputs)) for (const k of p.kpis) add({ scope: 'provider', provider: p.provider }, k);
  out.family('jangkau_kpi_value', 'gauge', 'KPI values per ward and provider (units as in /api/v1/kpis/thresholds). Absent when there is no data.', values);
  out.family('jangkau_kpi_status', 'gauge', `KPI traffic light: 0 green, 1 orange, 2 red (${KPI_STATUSES.join(', ')}; no-data has no sample here).`, statuses);
  out.family('jangkau_kpi_no_data', 'gauge', 'KPIs without data, with the reason (1 per KPI and ward or provider).', noData);
  return out.text();
}
