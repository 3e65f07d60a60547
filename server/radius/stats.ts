/** The RADIUS figures for the console: totals, drops by reason, response time and a per-minute series. */
import { isoAt } from '../../core/time.ts';
import { listRadiusStats } from '../db/radius.ts';
import type { ServiceCtx } from '../deps.ts';
import { LATENCY_BUCKETS_US, quantileUpperBoundUs } from './metrics.ts';

export interface RadiusStatsOut {
  from: string;
  to: string;
  /** Processes that reported in the window, with the last minute each reported. */
  servers: Array<{ node: string; lastMinute: string }>;
  /** Null when no RADIUS server reported in the window: "no data", with the reason in `note`. */
  totals: {
    authRequests: number;
    accepts: number;
    rejects: number;
    acctRequests: number;
    acctResponses: number;
    statusRequests: number;
    duplicates: number;
    dropped: number;
  } | null;
  drops: Record<string, number>;
  /** Milliseconds; p50/p95/p99 are bucket upper bounds (the true value is at most this). */
  responseTime: { count: number; meanMs: number; maxMs: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null } | null;
  series: Array<{ minute: string; authRequests: number; accepts: number; rejects: number; acctRequests: number; dropped: number }>;
  note: string | null;
}

const ms = (us: number | null): number | null => (us === null ? null : Number.isFinite(us) ? us / 1000 : null);

export async function radiusStats(ctx: ServiceCtx, minutes: number): Promise<RadiusStatsOut> {
  const now = ctx.clock.nowMs();
  const fromMs = Math.floor((now - minutes * 60_000) / 60_000) * 60_000;
  const rows = await listRadiusStats(ctx.db, fromMs);
  const out: RadiusStatsOut = { from: isoAt(fromMs), to: isoAt(now), servers: [], totals: null, drops: {}, responseTime: null, series: [], note: null };
  if (rows.length === 0) {
    out.note = 'no RADIUS server reported in this window (is JANGKAU_RADIUS=true, or `npm run radius` running?)';
    return out;
  }
  const t = { authRequests: 0, accepts: 0, rejects: 0, acctRequests: 0, acctResponses: 0, statusRequests: 0, duplicates: 0, dropped: 0 };
  const hist = LATENCY_BUCKETS_US.map(() => 0);
  let rtCount = 0;
  let rtSum = 0;
  let rtMax = 0;
  const servers = new Map<string, number>();
  const series = new Map<number, RadiusStatsOut['series'][number]>();
  for (const r of rows) {
    const minute = Number(r.minute_ms);
    servers.set(r.node, Math.max(servers.get(r.node) ?? 0, minute));
    t.authRequests += r.auth_requests;
    t.accepts += r.accepts;
    t.rejects += r.rejects;
    t.acctRequests += r.acct_requests;
    t.acctResponses += r.acct_responses;
    t.statusRequests += r.status_requests;
    t.duplicates += r.duplicates;
    t.dropped += r.dropped;
    for (const [reason, n] of Object.entries(JSON.parse(r.drops) as Record<string, number>)) out.drops[reason] = (out.drops[reason] ?? 0) + n;
    const h = JSON.parse(r.rt_hist) as number[];
    for (let i = 0; i < hist.length; i++) hist[i] = (hist[i] as number) + (h[i] ?? 0);
    rtCount += r.rt_count;
    rtSum += Number(r.rt_sum_us);
    rtMax = Math.max(rtMax, Number(r.rt_max_us));
    const s = series.get(minute) ?? { minute: isoAt(minute), authRequests: 0, accepts: 0, rejects: 0, acctRequests: 0, dropped: 0 };
    s.authRequests += r.auth_requests;
    s.accepts += r.accepts;
    s.rejects += r.rejects;
    s.acctRequests += r.acct_requests;
    s.dropped += r.dropped;
    series.set(minute, s);
  }
  out.totals = t;
  out.servers = [...servers].map(([node, m]) => ({ node, lastMinute: isoAt(m) }));
  out.series = [...series.values()].sort((a, b) => a.minute.localeCompare(b.minute));
  out.responseTime =
    rtCount === 0
      ? null
      : { count: rtCount, meanMs: rtSum / rtCount / 1000, maxMs: rtMax / 1000, p50Ms: ms(quantileUpperBoundUs(hist, 0.5)), p95Ms: ms(quantileUpperBoundUs(hist, 0.95)), p99Ms: ms(quantileUpperBoundUs(hist, 0.99)) };
  return out;
}
