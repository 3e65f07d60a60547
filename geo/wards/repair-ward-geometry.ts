/**
 * Repairs the rings of one area feature (a ward, a district, any Polygon/MultiPolygon in [lng, lat]) that cross or
 * touch themselves, the faults real boundary files carry: duplicate points, spikes (a path that goes out and comes
 * back along itself), and rings that cross themselves (a bow-tie, a loop). Pure; reusable for any level of a region
 * hierarchy.
 *
 * Steps, per faulty ring:
 * 1. drop repeated consecutive points;
 * 2. drop spikes: a vertex where the path turns back on itself (the turn is within SPIKE_ANGLE_DEG of a full
 *    reversal), again until none is left: this alone fixes a 0.1 m spike;
 * 3. if the ring still crosses or touches itself, rebuild it as the simple polygons it encloses (the even-odd
 *    regions of the ring, as `ST_MakeValid` does), through the polygon clipper;
 * then the whole feature is checked again.
 *
 * The repair is accepted only when the feature's area changes by at most the tolerance (default: 0.1 % of its area,
 * and never less than 10 m2, so a sliver can go); the area before is the shoelace area of the rings as published
 * (what a GIS that does not check validity reports). Every repair is described: what was done, where, and the area
 * before and after. A repair that would change the area more, or leave a fault, is refused with the reason.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { featureCollection, polygon, union } from '@turf/turf';
import { findRingSelfIntersection, haversineM } from './ring-geometry.ts';
import { ellipsoidalAreaM2, polygonAreaM2 } from './ward-area.ts';

export type RepairableGeometry = Polygon | MultiPolygon;

export interface RepairTolerance {
  /** Largest accepted change of area, % of the feature's area (default 0.1). */
  pct?: number;
  /** Changes up to this many m2 are accepted whatever the percentage (default 10). */
  minM2?: number;
}

export interface GeometryRepair {
  /** What was done, one line per action, with places as [lng, lat]. */
  actions: string[];
  areaBeforeM2: number;
  areaAfterM2: number;
}

export type RepairOutcome =
  | { ok: true; geometry: RepairableGeometry; repair: GeometryRepair }
  | { ok: false; reason: string; repair: GeometryRepair | null };

/** A turn within this of a full reversal is a spike. */
export const SPIKE_ANGLE_DEG = 1;
export const REPAIR_TOLERANCE_PCT_DEFAULT = 0.1;
export const REPAIR_TOLERANCE_MIN_M2_DEFAULT = 10;

function polygonsOf(g: RepairableGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function fmt(p: Position): string {
  return `[${Math.round(p[0]! * 1e7) / 1e7}, ${Math.round(p[1]! * 1e7) / 1e7}]`;
}

function same(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Open ring (no repeated last point) without consecutive repeats, including across the closing point. */
function withoutRepeats(ring: readonly Position[]): { ring: Position[]; removed: number } {
  const open = ring.length > 1 && same(ring[0]!, ring[ring.length - 1]!) ? ring.slice(0, -1) : [...ring];
  const out: Position[] = [];
  for (const p of open) if (out.length === 0 || !same(out[out.length - 1]!, p)) out.push(p);
  while (out.length > 1 && same(out[0]!, out[out.length - 1]!)) out.pop();
  return { ring: out, removed: open.length - out.length };
}

/** Angle at b between the edges to a and to c, degrees (0 = the path turns straight back). */
function turnBackAngleDeg(a: Position, b: Position, c: Position): number {
  const k = Math.cos((b[1]! * Math.PI) / 180);
  const ux = (a[0]! - b[0]!) * k;
  const uy = a[1]! - b[1]!;
  const vx = (c[0]! - b[0]!) * k;
  const vy = c[1]! - b[1]!;
  const lu = Math.hypot(ux, uy);
  const lv = Math.hypot(vx, vy);
  if (lu === 0 || lv === 0) return 0;
  const cos = Math.max(-1, Math.min(1, (ux * vx + uy * vy) / (lu * lv)));
  return (Math.acos(cos) * 180) / Math.PI;
}

/**
 * Drops spike vertices until none is left; returns the ring and the spikes removed (tip, length in m). A tip whose
 * two neighbours are the same point goes first (the path went out and came back exactly); then any vertex where
 * the path turns back within SPIKE_ANGLE_DEG, the one with the closest neighbours first.
 */
function withoutSpikes(input: Position[]): { ring: Position[]; spikes: Array<{ tip: Position; lengthM: number }> } {
  let ring = [...input];
  const spikes: Array<{ tip: Position; lengthM: number }> = [];
  for (;;) {
    if (ring.length < 3) break;
    let pick = -1;
    let pickGap = Infinity;
    for (let i = 0; i < ring.length; i += 1) {
      const a = ring[(i - 1 + ring.length) % ring.length]!;
      const b = ring[i]!;
      const c = ring[(i + 1) % ring.length]!;
      if (turnBackAngleDeg(a, b, c) > SPIKE_ANGLE_DEG) continue;
      const gap = haversineM(a[0]!, a[1]!, c[0]!, c[1]!);
      if (gap < pickGap) {
        pickGap = gap;
        pick = i;
      }
      if (gap === 0) break;
    }
    if (pick < 0) break;
    const a = ring[(pick - 1 + ring.length) % ring.length]!;
    const b = ring[pick]!;
    const c = ring[(pick + 1) % ring.length]!;
    spikes.push({ tip: b, lengthM: Math.max(haversineM(a[0]!, a[1]!, b[0]!, b[1]!), haversineM(c[0]!, c[1]!, b[0]!, b[1]!)) });
    ring.splice(pick, 1);
    // The spike's base may now repeat itself.
    ring = withoutRepeats([...ring, ring[0]!]).ring;
  }
  return { ring, spikes };
}

function closed(ring: Position[]): Position[] {
  return ring.length === 0 ? ring : [...ring, [ring[0]![0]!, ring[0]![1]!]];
}

function ringFault(ring: readonly Position[]): Position | null {
  if (ring.length < 4) return ring[0] ?? [0, 0];
  return findRingSelfIntersection(ring);
}

/** The simple polygons a self-crossing polygon encloses (even-odd regions), through the clipper. */
function resolveCrossings(rings: Position[][]): Position[][][] {
  const p = polygon(rings);
  const u = union(featureCollection([p, p]));
  if (u === null) return [];
  return u.geometry.type === 'Polygon' ? [u.geometry.coordinates] : u.geometry.coordinates;
}

/**
 * Repairs a geometry whose rings cross or touch themselves. Returns the repaired geometry and what was done, or
 * why it cannot be repaired within the tolerance.
 */
export function repairWardGeometry(geometry: RepairableGeometry, tolerance: RepairTolerance = {}): RepairOutcome {
  const pct = tolerance.pct ?? REPAIR_TOLERANCE_PCT_DEFAULT;
  const minM2 = tolerance.minM2 ?? REPAIR_TOLERANCE_MIN_M2_DEFAULT;
  const areaBefore = ellipsoidalAreaM2(geometry);
  const actions: string[] = [];
  const outPolygons: Position[][][] = [];
  polygonsOf(geometry).forEach((rings, p) => {
    const fixedRings: Position[][] = [];
    let rebuild = false;
    rings.forEach((ring, r) => {
      const name = `${polygonsOf(geometry).length > 1 ? `polygon ${p} ` : ''}${r === 0 ? 'outer ring' : `hole ${r}`}`;
      if (ringFault(ring) === null) {
        fixedRings.push(ring.map((q) => [q[0]!, q[1]!]));
        return;
      }
      const dedup = withoutRepeats(ring);
      if (dedup.removed > 0) actions.push(`${name}: removed ${dedup.removed} repeated point${dedup.removed === 1 ? '' : 's'}`);
      const { ring: despiked, spikes } = withoutSpikes(dedup.ring);
      for (const s of spikes) actions.push(`${name}: removed a spike ${s.lengthM < 1 ? s.lengthM.toFixed(2) : s.lengthM.toFixed(0)} m long at ${fmt(s.tip)}`);
      if (despiked.length < 3) {
        actions.push(`${name}: dropped (no area left after removing repeated points and spikes)`);
        return;
      }
      const candidate = closed(despiked);
      const still = ringFault(candidate);
      if (still !== null) {
        actions.push(`${name}: crosses itself near ${fmt(still)}: rebuilt as the simple polygons it encloses`);
        rebuild = true;
      }
      fixedRings.push(candidate);
    });
    if (fixedRings.length === 0) return;
    if (!rebuild) {
      outPolygons.push(fixedRings);
      return;
    }
    try {
      const parts = resolveCrossings(fixedRings);
      if (parts.length !== 1) {
        const areas = parts.map((rs) => Math.round(polygonAreaM2(rs))).sort((x, y) => y - x);
        actions.push(`${polygonsOf(geometry).length > 1 ? `polygon ${p}` : 'the polygon'} became ${parts.length} polygons of ${areas.join(', ')} m2`);
      }
      outPolygons.push(...parts);
    } catch (error) {
      actions.push(`could not rebuild the crossing ring: ${(error as Error).message}`);
      outPolygons.push(fixedRings);
    }
  });
  const repaired: RepairableGeometry = outPolygons.length === 1 ? { type: 'Polygon', coordinates: outPolygons[0]! } : { type: 'MultiPolygon', coordinates: outPolygons };
  const areaAfter = outPolygons.reduce((s, rings) => s + polygonAreaM2(rings), 0);
  const repair: GeometryRepair = { actions, areaBeforeM2: Math.round(areaBefore * 10) / 10, areaAfterM2: Math.round(areaAfter * 10) / 10 };
  if (outPolygons.length === 0) return { ok: false, reason: 'nothing is left of the feature after removing repeated points and spikes', repair };
  const leftover = outPolygons.flatMap((rings, p) => rings.map((ring, r) => ({ p, r, at: ringFault(ring) }))).find((x) => x.at !== null);
  if (leftover !== undefined) {
    return { ok: false, reason: `polygon ${leftover.p} ring ${leftover.r} still crosses itself near ${fmt(leftover.at!)} after the repair`, repair };
  }
  const change = Math.abs(areaAfter - areaBefore);
  const allowed = Math.max(minM2, (pct / 100) * Math.abs(areaBefore));
  if (change > allowed) {
    const changePct = areaBefore !== 0 ? (100 * change) / Math.abs(areaBefore) : Infinity;
    return {
      ok: false,
      reason: `the repair would change its area from ${Math.round(areaBefore)} m2 to ${Math.round(areaAfter)} m2 (${changePct.toFixed(3)} %), more than the tolerance of ${pct} % (at least ${minM2} m2)`,
      repair,
    };
  }
  return { ok: true, geometry: repaired, repair };
}
