/**
 * Quality of experience, measured (issue 14): after signing in, a citizen may run a short speed test against this
 * server from the success page (opt-in, a button). The browser times a few pings, a download and an upload of a few
 * hundred KB and posts the figures; the server keeps them per hotspot and ward, nothing else (no MAC, no address, no
 * citizen). Medians per ward become two ward KPIs (download Mbps, latency ms) and the console's quality table.
 *
 * Bounded on the server: only a browser whose flow was granted at a hotspot may test; the download and upload are
 * capped in size (the route's body limit); each flow may make a handful of test requests and post one result; each
 * client address (as a keyed hash, never stored elsewhere) a bounded number of requests per 10 minutes. A sign-in with
 * a small data allowance (a "metered" profile, under 100 MB) is not offered the test and is refused by the endpoints:
 * a test should never eat a noticeable share of a citizen's quota.
 */
import { findGrant } from '../queries/usage.ts';
import { insertSpeedTest, liveGrantOfDevice, speedTestsBetween, wardOfHotspot } from '../queries/speed.ts';
import { deviceKeyOf } from './grant-access.ts';
import { reserveRateLimit } from '../../db/rate-limits.ts';
import type { ServiceCtx } from '../../deps.ts';
import { newId } from '../../crypto/random.ts';
import { portalHash } from '../pure/portal-keys.ts';
import { wardNames } from '../../db/planning.ts';
import { median } from '../../../core/stats.ts';
import { listHotspotConfigs } from './hotspots.ts';
import type { LoadedFlow } from './flow.ts';

export const SPEED_DOWN_MAX_BYTES = 512 * 1024;
export const SPEED_UP_MAX_BYTES = 512 * 1024;
/** A sign-in whose data allowance is below this is metered: no speed test. */
export const SPEED_MIN_ALLOWANCE_BYTES = 100 * 1024 * 1024;
/** Requests one flow may make to the speed endpoints: 5 pings, a download, an upload, the result, and a retry's worth. */
export const SPEED_PER_FLOW = 16;
/** Requests one client address may make per 10 minutes (a hotspot behind NAT is one address for many phones). */
export const SPEED_PER_ADDRESS = 600;
const ADDRESS_WINDOW_MS = 10 * 60_000;
const FLOW_WINDOW_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
/** The KPI's window: the last 7 days, like the other ward KPIs. */
export const SPEED_KPI_PERIOD_MS = 7 * DAY_MS;

/** Refusals are 400 (no signed-in flow here), 409 (metered) and 429, never 401/403: these routes are public. */
export type SpeedGate = { ok: true } | { ok: false; status: 400 | 409 | 429; reason: 'not-signed-in' | 'metered' | 'rate-limited' };

/**
 * The running grant behind this browser's flow. The sign-in's hot path does not write the grant's id back to the flow
 * row (issue 14 item 7: one UPDATE less per sign-in), so it is found the way the portal counts devices: the keyed hash
 * of the MAC the hotspot posted (kept in the flow), at the flow's hotspot, still running.
 */
export async function grantOfFlow(ctx: ServiceCtx, flow: LoadedFlow): Promise<{ id: string; limit_uptime_s: number; limit_bytes: number } | undefined> {
  if (flow.row.grant_id !== null) {
    const g = await findGrant(ctx.db, flow.row.grant_id);
    if (g !== undefined && Number(g.expires_at) > ctx.clock.nowMs()) return g;
  }
  if (flow.hotspot === null || flow.data.handoff.mac === null) return undefined;
  return liveGrantOfDevice(ctx.db, flow.hotspot.id, await deviceKeyOf(ctx, flow), ctx.clock.nowMs());
}

/** Whether this browser's flow may run the test: signed in at a hotspot (a running grant), not metered. */
export async function speedTestAllowed(ctx: ServiceCtx, flow: LoadedFlow | null): Promise<SpeedGate> {
  if (flow === null || flow.hotspot === null) return { ok: false, status: 400, reason: 'not-signed-in' };
  const grant = await grantOfFlow(ctx, flow);
  if (grant === undefined) return { ok: false, status: 400, reason: 'not-signed-in' };
  const limit = Number(grant.limit_bytes);
  if (limit > 0 && limit < SPEED_MIN_ALLOWANCE_BYTES) return { ok: false, status: 409, reason: 'metered' };
  return { ok: true };
}

/** Counts one request to a speed endpoint against the flow's and the address's budget (reserve-then-check). */
export async function reserveSpeedRequest(ctx: ServiceCtx, flow: LoadedFlow): Promise<SpeedGate> {
  const now = ctx.clock.nowMs();
  const byFlow = await reserveRateLimit(ctx.db, `portal-speed-flow:${flow.row.id}`, SPEED_PER_FLOW, FLOW_WINDOW_MS, now);
  if (!byFlow.allowed) return { ok: false, status: 429, reason: 'rate-limited' };
  const addressKey = await portalHash(ctx.secrets, ctx.clientAddress, 'portal-speed-address');
  const byAddress = await reserveRateLimit(ctx.db, `portal-speed-ip:${addressKey}`, SPEED_PER_ADDRESS, ADDRESS_WINDOW_MS, now);
  if (!byAddress.allowed) return { ok: false, status: 429, reason: 'rate-limited' };
  return { ok: true };
}

let payload: Uint8Array | null = null;

/** Incompressible bytes for the download (made on first use: Workers forbid random values at start-up). */
export function downloadPayload(bytes: number): Uint8Array {
  if (payload === null) {
    const p = new Uint8Array(SPEED_DOWN_MAX_BYTES);
    for (let o = 0; o < p.length; o += 65_536) crypto.getRandomValues(p.subarray(o, Math.min(p.length, o + 65_536)));
    payload = p;
  }
  return payload.subarray(0, Math.max(1, Math.min(SPEED_DOWN_MAX_BYTES, bytes)));
}

export interface SpeedResult {
  downMbps: number;
  upMbps: number;
  latencyMs: number;
}

/** Stores one flow's result (the first only), with the hotspot and its ward. */
export async function recordSpeedResult(ctx: ServiceCtx, flow: LoadedFlow, r: SpeedResult): Promise<{ stored: boolean }> {
  const once = await reserveRateLimit(ctx.db, `portal-speed-result:${flow.row.id}`, 1, FLOW_WINDOW_MS, ctx.clock.nowMs());
  if (!once.allowed) return { stored: false };
  const hotspotId = flow.row.hotspot_id;
  await insertSpeedTest(ctx.db, {
    id: newId(),
    hotspot_id: hotspotId,
    ward_code: await wardOfHotspot(ctx.db, hotspotId),
    down_mbps: r.downMbps,
    up_mbps: r.upMbps,
    latency_ms: r.latencyMs,
    created_at: ctx.clock.nowMs(),
  });
  return { stored: true };
}

const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

export interface SpeedFigures {
  tests: number;
  medianDownMbps: number | null;
  medianUpMbps: number | null;
  medianLatencyMs: number | null;
}

function figuresOf(rows: Array<{ down_mbps: number; up_mbps: number; latency_ms: number }>): SpeedFigures {
  return {
    tests: rows.length,
    medianDownMbps: round1(median(rows.map((r) => Number(r.down_mbps)))),
    medianUpMbps: round1(median(rows.map((r) => Number(r.up_mbps)))),
    medianLatencyMs: round1(median(rows.map((r) => Number(r.latency_ms)))),
  };
}

/**
 * The console's quality view: per ward and per hotspot, the tests and medians of the last `days` days. A ward or
 * hotspot without a test says "no data" (`reason: 'no-speed-tests'`, medians null), never 0.
 */
export async function speedQuality(ctx: ServiceCtx, options: { days: number }) {
  const toMs = ctx.clock.nowMs();
  const fromMs = toMs - options.days * DAY_MS;
  const rows = await speedTestsBetween(ctx.db, fromMs, toMs);
  const byWard = new Map<string, typeof rows>();
  const byHotspot = new Map<string, typeof rows>();
  for (const r of rows) {
    if (r.ward_code !== null) byWard.set(r.ward_code, [...(byWard.get(r.ward_code) ?? []), r]);
    byHotspot.set(r.hotspot_id, [...(byHotspot.get(r.hotspot_id) ?? []), r]);
  }
  const withReason = (f: SpeedFigures) => (f.tests === 0 ? { ...f, reason: 'no-speed-tests' as const } : f);
  const wards = (await wardNames(ctx.db)).map((w) => ({ wardCode: w.code, wardName: w.name, ...withReason(figuresOf(byWard.get(w.code) ?? [])) }));
  const hotspots = (await listHotspotConfigs(ctx)).items.map((h) => ({ hotspotId: h.id, identity: h.identity, ...withReason(figuresOf(byHotspot.get(h.id) ?? [])) }));
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), days: options.days, wards, hotspots };
}
