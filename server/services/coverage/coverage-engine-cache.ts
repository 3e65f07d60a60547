/**
 * One coverage engine per database, kept between requests and brought up to date incrementally: a device that
 * changed state, moved or changed its footprint is updated alone; only a change of the wards rebuilds the engine.
 * Availability for the `reliable` and `expected` layers (last 7 days, from state transitions) is refreshed at most
 * once a minute.
 */
import type { DeviceStatus, StatusTransition } from '../../../core/availability.ts';
import { deviceAvailability } from '../../../core/availability.ts';
import type { Evidence } from '../../../core/coverage-layers.ts';
import type { CoverageSpec, SiteStatus } from '../../../core/schemas/inventory.ts';
import { createCoverageEngine, type CoverageDevice, type CoverageEngine, type GapSlicing } from '../../../geo/coverage/index.ts';
import type { WardGeometry } from '../../../geo/wards/index.ts';
import { coverageDeviceRows, wardsVersion, type CoverageDeviceRow } from '../../db/coverage.ts';
import { transitionsOf } from '../../db/monitoring.ts';
import { listAllWards } from '../../db/wards.ts';
import type { ServiceCtx } from '../../deps.ts';

/**
 * Gap pieces are cut ahead of a gaps answer in slices of about 20 ms, the event loop given back in between (a
 * setTimeout turn): a province's first gaps are tens of seconds of clipping, which held every other request of a
 * Node process (engine.prepareGaps, geo/coverage/gaps.ts). On Workers the clock stands still while code runs, so
 * the first slice never ends and the cutting runs in one step, as before; an isolate serves one request at a time
 * there anyway.
 */
export const GAP_SLICING: GapSlicing = { sliceMs: 20, pause: () => new Promise((ok) => setTimeout(ok, 0)), nowMs: () => performance.now() };

const AVAILABILITY_PERIOD_MS = 7 * 86_400_000;
const AVAILABILITY_TTL_MS = 60_000;

interface Cached {
  wardsVersion: string;
  engine: CoverageEngine;
  deviceKeys: Map<string, string>;
  availability: Map<string, number>;
  availabilityAtMs: number;
  /** Serialises refreshes: two requests never update the engine at once. */
  lock: Promise<void>;
}

const caches = new WeakMap<object, Cached>();

/** Access points without a footprint of their own take the outdoor profile's default radius. */
function specOf(r: CoverageDeviceRow): CoverageSpec | null {
  if (r.coverage !== null) return JSON.parse(r.coverage) as CoverageSpec;
  return r.role === 'ap' ? {} : null;
}

/**
 * What monitoring knows of a device (core/coverage-layers.ts): monitoring off or never polled is `unverified`; polled
 * and up or degraded is `up`; down is `down` (the only evidence that leaves it out of the assumed layer); polled
 * before but without a state now (collector stopped) is `unknown`.
 */
export function evidenceOf(r: Pick<CoverageDeviceRow, 'enabled' | 'status' | 'last_poll_ms'> & { monitored?: number }): Evidence {
  // Inventory only (issue 11): never polled, so whatever state it had last says nothing now.
  if (r.enabled !== 1 || r.monitored === 0 || r.status === null) return 'unverified';
  if (r.status === 'up' || r.status === 'degraded') return 'up';
  if (r.status === 'down') return 'down';
  return r.last_poll_ms === null ? 'unverified' : 'unknown';
}

function toCoverageDevice(r: CoverageDeviceRow, availability: number | undefined): CoverageDevice {
  const evidence = evidenceOf(r);
  return {
    id: r.id,
    ...(r.site_id === null ? {} : { siteId: r.site_id }),
    lon: r.lon,
    lat: r.lat,
    spec: specOf(r),
    up: evidence === 'up',
    evidence,
    ...(availability === undefined ? {} : { availability }),
    ...(r.site_status === null ? {} : { status: r.site_status as SiteStatus }),
  };
}

async function loadAvailability(ctx: ServiceCtx, ids: string[]): Promise<Map<string, number>> {
  const now = ctx.clock.nowMs();
  const rows = await transitionsOf(ctx.db, ids, now);
  const by = new Map<string, StatusTransition[]>();
  for (const t of rows) {
    const l = by.get(t.device_id) ?? [];
    l.push({ atMs: Number(t.at_ms), status: t.status as DeviceStatus });
    by.set(t.device_id, l);
  }
  const out = new Map<string, number>();
  for (const id of ids) {
    const a = deviceAvailability(by.get(id) ?? [], { fromMs: now - AVAILABILITY_PERIOD_MS, toMs: now }, { nowMs: now });
    if (a.percent !== null) out.set(id, a.percent / 100);
  }
  return out;
}

async function refresh(ctx: ServiceCtx): Promise<Cached> {
  const version = await wardsVersion(ctx.db);
  const rows = await coverageDeviceRows(ctx.db);
  let cached = caches.get(ctx.db);
  const now = ctx.clock.nowMs();
  const needAvailability = cached === undefined || now - cached.availabilityAtMs > AVAILABILITY_TTL_MS;
  const availability = needAvailability ? await loadAvailability(ctx, rows.map((r) => r.id)) : cached!.availability;
  if (cached === undefined || cached.wardsVersion !== version) {
    const wards = (await listAllWards(ctx.db)).map((w) => ({
      code: w.code,
      name: w.name,
      district: w.district,
      geometry: JSON.parse(w.geometry) as WardGeometry,
      population: w.population,
    }));
    const devices = rows.map((r) => toCoverageDevice(r, availability.get(r.id)));
    const engine = createCoverageEngine(wards, devices);
    cached = {
      wardsVersion: version,
      engine,
      deviceKeys: new Map(rows.map((r) => [r.id, JSON.stringify(toCoverageDevice(r, availability.get(r.id)))])),
      availability,
      availabilityAtMs: now,
      lock: Promise.resolve(),
    };
    caches.set(ctx.db, cached);
    return cached;
  }
  const seen = new Set<string>();
  for (const r of rows) {
    seen.add(r.id);
    const device = toCoverageDevice(r, availability.get(r.id));
    const key = JSON.stringify(device);
    if (cached.deviceKeys.get(r.id) === key) continue;
    cached.engine.upsertDevice(device);
    cached.deviceKeys.set(r.id, key);
  }
  for (const id of [...cached.deviceKeys.keys()]) {
    if (seen.has(id)) continue;
    cached.engine.removeDevice(id);
    cached.deviceKeys.delete(id);
  }
  if (needAvailability) {
    cached.availability = availability;
    cached.availabilityAtMs = now;
  }
  return cached;
}

/** The engine, current with the database. */
export async function currentCoverageEngine(ctx: ServiceCtx): Promise<CoverageEngine> {
  const prior = caches.get(ctx.db)?.lock ?? Promise.resolve();
  let release: () => void = () => {};
  const mine = new Promise<void>((ok) => (release = ok));
  const existing = caches.get(ctx.db);
  if (existing !== undefined) existing.lock = prior.then(() => mine);
  await prior;
  try {
    return (await refresh(ctx)).engine;
  } finally {
    release();
  }
}
