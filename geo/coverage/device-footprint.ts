import { AppError, isAppError } from '../../core/errors.ts';
import { footprintRing, type ProjectedFootprint } from './footprint-shape.ts';
import { resolveRadius, type RadiusResult } from './footprint-radius.ts';
import type { Projection } from './projection.ts';
import { scanRings } from './scanline.ts';
import type { OwnerRaster } from './scanline.ts';
import type { CoverageDevice, CountLayerName, Evidence } from './types.ts';

/** One device as the engine holds it. */
export interface DeviceEntry {
  device: CoverageDevice;
  /** Index of the ward holding the device's location, or -1 ("outside the city", also for no location). */
  ward: number;
  hasLocation: boolean;
  footprint: ProjectedFootprint | null;
  radius: RadiusResult | null;
  /** Owned cells under the footprint: flat [j, a, b, ward] quadruples, b exclusive. */
  segments: Int32Array;
  planned: boolean;
  /** In the planned layer and not known to be down (core/coverage-layers.ts). */
  assumed: boolean;
  live: boolean;
  reliable: boolean;
  evidence: Evidence;
  /** Probability the device serves at a random moment (availability, or 1/0 from `up`). */
  availability: number;
  /** Why the device has no footprint although it has a spec (the refusal), if so. */
  rejection: { code: string; message: string } | null;
  warnings: string[];
}

export interface EntryContext {
  projection: Projection;
  /** Ward index of a location ([lng, lat]) by the one ward rule shared with sites and reports (geo/wards), or -1. */
  wardAt: (lon: number, lat: number) => number;
  owners: OwnerRaster;
  cellSizeM: number;
  slaAvailability: number;
  capRadiusM: number | undefined;
  circleVertices: number | undefined;
}

export function hasLocation(device: CoverageDevice): boolean {
  return typeof device.lon === 'number' && typeof device.lat === 'number' && Number.isFinite(device.lon) && Number.isFinite(device.lat)
    && Math.abs(device.lat) <= 85 && Math.abs(device.lon) <= 180;
}

/** What monitoring says of a device; without an explicit `evidence`, `up` true is up and anything else down. */
export function evidenceOf(device: CoverageDevice): Evidence {
  return device.evidence ?? (device.up === true ? 'up' : 'down');
}

/** Whether an entry counts in a count layer. */
export function inCountLayer(entry: DeviceEntry, layer: CountLayerName): boolean {
  return entry.planned && entry[layer];
}

function availabilityOf(device: CoverageDevice, path: string): number {
  if (device.availability === undefined || device.availability === null) return device.up === true ? 1 : 0;
  const a = device.availability;
  if (typeof a !== 'number' || !Number.isFinite(a) || a < 0 || a > 1) {
    throw new AppError('validation_failed', `availability must be within 0..1 (got ${String(a)})`, { details: [{ path: `${path}.availability`, message: 'expected 0..1' }] });
  }
  return a;
}

/**
 * Builds the engine's entry for a device. Throws AppError('validation_failed') for a bad radius, spec or
 * availability when `onInvalid` is 'throw'; with 'record' the device is kept without a footprint and the refusal is
 * stored in `rejection` (it still counts as an access point of its ward).
 */
export function buildEntry(ctx: EntryContext, device: CoverageDevice, options: { path: string; onInvalid: 'throw' | 'record' }): DeviceEntry {
  const located = hasLocation(device);
  const retired = device.status === 'retired';
  const ward = located ? ctx.wardAt(device.lon as number, device.lat as number) : -1;
  const evidence = evidenceOf(device);
  const entry: DeviceEntry = {
    device, ward, hasLocation: located, footprint: null, radius: null, segments: new Int32Array(0),
    planned: false, assumed: false, live: false, reliable: false, evidence, availability: 0, rejection: null, warnings: [],
  };
  if (!located) entry.warnings.push('no location: counted outside the city');
  else if (ward < 0) entry.warnings.push('location lies in no ward: counted outside the city');
  try {
    entry.availability = availabilityOf(device, options.path);
    if (device.spec === null || device.spec === undefined || retired || !located) return entry;
    const radius = resolveRadius(device.spec, { path: `${options.path}.spec`, ...(ctx.capRadiusM === undefined ? {} : { capRadiusM: ctx.capRadiusM }) });
    entry.radius = radius;
    entry.warnings.push(...radius.warnings);
    const footprint = footprintRing(ctx.projection, device.lon as number, device.lat as number, radius.radiusM, device.spec,
      ctx.circleVertices === undefined ? {} : { circleVertices: ctx.circleVertices });
    entry.footprint = footprint;
    entry.segments = ownedSegments(ctx, footprint);
    entry.planned = true;
    entry.assumed = evidence !== 'down';
    entry.live = evidence === 'up';
    entry.reliable = entry.availability >= ctx.slaAvailability;
  } catch (error) {
    if (options.onInvalid === 'throw' || !isAppError(error)) throw error;
    entry.rejection = { code: error.code, message: error.message };
    entry.footprint = null;
    entry.segments = new Int32Array(0);
  }
  return entry;
}

function ownedSegments(ctx: EntryContext, footprint: ProjectedFootprint): Int32Array {
  const scan = scanRings([footprint.ring], ctx.cellSizeM);
  const out: number[] = [];
  scan.spans.forEach((spans, r) => {
    const j = scan.j0 + r;
    for (let k = 0; k < spans.length; k += 2) {
      ctx.owners.forEachOwned(j, spans[k]!, spans[k + 1]!, (owner, a, b) => {
        out.push(j, a, b, owner);
      });
    }
  });
  return Int32Array.from(out);
}
