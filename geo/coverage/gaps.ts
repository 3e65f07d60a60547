import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { bboxClip, difference, featureCollection } from '@turf/turf';
import { clipRobustly, clusterFootprints, type FootprintCluster, fromTurf, toTurf, toTurfSnapped, wardGapPieces } from './gap-pieces.ts';
import type { ProjectedFootprint } from './footprint-shape.ts';
import type { EngineInternals } from './coverage-engine.ts';
import { round } from './figures.ts';
import type { DeviceEntry } from './device-footprint.ts';
import { pointInPolygons } from './point-in-polygon.ts';
import { unprojectPolygon } from './footprint-shape.ts';
import type { PreparedWard } from './prepare-wards.ts';
import { polygonArea, polygonCentroid } from './projection.ts';
import { scanRings } from './scanline.ts';
import type { ProjectedPolygon, XY } from './types.ts';

export interface GapOptions {
  /** Gap pieces smaller than this are slivers: left out of the list, their area reported per ward (default 200 m2). */
  minAreaM2?: number;
  /** Longest list returned (default: all). */
  limit?: number;
  /** Only these wards (default: all). */
  wardCodes?: ReadonlyArray<string>;
}

export interface Gap {
  wardCode: string;
  wardName: string;
  district: string;
  areaM2: number;
  /** Estimated residents in the gap: ward density x area (uniform) or the population grid's cells in it; null when the ward's residents are unknown. */
  residents: number | null;
  /**
   * What the gap is ranked by: its residents, or, in a ward whose residents are unknown, its area at the city's mean
   * density (residents per m2 over the wards that have residents), with a warning. Never zero for want of data.
   */
  rankResidents: number;
  /** Set when the gap is ranked on an assumption (its ward has no residents figure). */
  warning?: string;
  /** Area centroid, [lng, lat]. */
  centroid: [number, number];
  geometry: Polygon;
}

export interface WardGapSummary {
  code: string;
  /** Vector area of the ward after removing overlaps with earlier (by code) neighbours, m2. */
  areaM2: number;
  coveredAreaM2: number;
  uncoveredAreaM2: number;
  gapCount: number;
  /** Area of uncovered pieces smaller than minAreaM2, not listed as gaps. */
  sliverAreaM2: number;
  sliverCount: number;
}

export interface GapReport {
  populationSource: 'uniform' | 'population-grid';
  minAreaM2: number;
  /** Residents per m2 over the wards with residents: what gaps in wards without residents are ranked at. */
  cityDensityPerM2: number;
  /** Wards without a residents figure (their gaps ranked by area, with a warning). */
  wardsWithoutResidents: number;
  /** All gaps, ranked by residents (then area), cut to `limit`. */
  items: Gap[];
  totalGaps: number;
  wards: WardGapSummary[];
}

/** Per engine (its prepared wards): each ward's earlier overlapping neighbours, and its disjoint shape once computed. */
const disjointCache = new WeakMap<PreparedWard[], { earlierOf: Map<number, number[]>; shapes: Map<number, ProjectedPolygon[]> }>();
/** A ward's answered gaps, keyed by its cached pieces (a new pieces array, after a change, misses). Read only. */
const answered = new WeakMap<ProjectedPolygon[], { minAreaM2: number; cityDensity: number; gaps: Gap[]; summary: WardGapSummary }>();


/**
 * A ward's polygons made disjoint the same way the grid assigns cells: the ward loses what overlaps a neighbour
 * whose code sorts first. Only neighbours that share a grid cell centre are clipped (an overlap holding no cell
 * centre is smaller than a cell and left alone). Computed when a ward is first asked for (a request limited to some
 * wards pays for those only) and cached per engine.
 */
function disjointWard(wards: PreparedWard[], overlaps: ReadonlySet<string>, index: number): ProjectedPolygon[] {
  let state = disjointCache.get(wards);
  if (state === undefined) {
    const earlierOf = new Map<number, number[]>();
    for (const pair of overlaps) {
      const [later, earlier] = pair.split(':').map(Number) as [number, number];
      const list = earlierOf.get(later);
      if (list === undefined) earlierOf.set(later, [earlier]);
      else list.push(earlier);
    }
    state = { earlierOf, shapes: new Map() };
    disjointCache.set(wards, state);
  }
  const hit = state.shapes.get(index);
  if (hit !== undefined) return hit;
  const shape = disjointShape(wards, state.earlierOf.get(index) ?? [], index);
  state.shapes.set(index, shape);
  return shape;
}

function disjointShape(wards: PreparedWard[], earlier: number[], index: number): ProjectedPolygon[] {
  const w = wards[index]!;
  if (earlier.length === 0) return w.polygons;
  const box: [number, number, number, number] = [w.bbox[0] - 1, w.bbox[1] - 1, w.bbox[2] + 1, w.bbox[3] + 1];
  const cutters = earlier.map((k) => clipToBox(wards[k]!.polygons, box)).filter((polys) => polys.length > 0);
  if (cutters.length === 0) return w.polygons;
  try {
    // Snapped and retried on coarser grids when the clipper gives up (real files have near-coincident borders).
    return clipRobustly((snapM) => fromTurf(difference(featureCollection([toTurfSnapped(w.polygons, snapM), ...cutters.map((polys) => toTurfSnapped(polys, snapM))]))));
  } catch {
    // Even a 10 cm grid did not help: keep the ward whole. Its gaps may then include the overlap sliver it shares
    // with a neighbour (at most a few cells; the figures, from the grid, are not affected).
    return w.polygons;
  }
}

/** What the gap pieces of any ward are cut from: one layer's footprints at one moment, indexed when first needed. */
export interface GapSource {
  /** The uncovered pieces of ward `w`: the ward, made disjoint from its neighbours, minus the footprints meeting it. */
  pieces(w: number): ProjectedPolygon[];
}

export function gapSource(internals: Pick<EngineInternals, 'wards' | 'owners'>, entries: ReadonlyArray<DeviceEntry>): GapSource {
  const footprints = entries.map((e) => e.footprint!);
  const wards = internals.wards;
  // The index is built only when some ward is not in the cache. Clusters are formed per ward, among the footprints
  // that touch it: in a dense city the footprints chain into one city-wide cluster, whose union would cost more
  // than all the wards together.
  let prepared: Flatbush | null = null;
  const prepare = (): Flatbush => {
    if (prepared !== null) return prepared;
    const index = new Flatbush(Math.max(1, footprints.length));
    for (const f of footprints) index.add(f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3]);
    if (footprints.length === 0) index.add(0, 0, 0, 0);
    index.finish();
    prepared = index;
    return index;
  };
  return {
    pieces(w) {
      const pw = wards[w]!;
      const mine = disjointWard(wards, internals.owners.overlaps, w);
      const index = prepare();
      const candidates = footprints.length === 0 ? [] : index.search(pw.bbox[0], pw.bbox[1], pw.bbox[2], pw.bbox[3])
        .filter((k) => k < footprints.length && touchesWard(entries[k]!, w, pw))
        .sort((x, y) => x - y);
      return wardGapPieces(mine, localClusters(candidates.map((k) => footprints[k]!)));
    },
  };
}

/** How `fillGapPieces` gives the loop back. geo has no timers or clock of its own: the caller brings both. */
export interface GapSlicing {
  /** Cut wards for about this long before pausing (at least one ward per slice). */
  sliceMs: number;
  /** Resolves on a later turn of the caller's event loop. */
  pause: () => Promise<void>;
  /** A monotonic clock in milliseconds. */
  nowMs: () => number;
}

/**
 * Fills `cache` with the gap pieces of the wards asked for (all by default) a slice at a time, giving the event loop
 * back (`pause`) whenever a slice has run `sliceMs`: a province's first gaps are tens of seconds of clipping, which
 * held a server's loop (every other request, /healthz, collectors' batches) for all of it. Each ward is cut in one
 * synchronous step from the layer as it is then (`source()` is asked again when the layer's `version()` moved during
 * a pause), so a device change during the filling invalidates exactly what it touches, as at any other time.
 * `computeGaps` afterwards finds the pieces in the cache.
 */
export async function fillGapPieces(
  wards: ReadonlyArray<PreparedWard>,
  cache: Map<number, ProjectedPolygon[]>,
  layer: { source: () => GapSource; version: () => number },
  options: GapSlicing & { wardCodes?: ReadonlyArray<string> | undefined },
): Promise<void> {
  const { sliceMs, pause, nowMs } = options;
  const only = options.wardCodes === undefined ? null : new Set(options.wardCodes);
  let current: GapSource | null = null;
  let currentVersion = -1;
  let sliceStart = nowMs();
  let cutInSlice = 0;
  for (let w = 0; w < wards.length; w += 1) {
    if (only !== null && !only.has(wards[w]!.ward.code)) continue;
    if (cache.has(w)) continue;
    if (cutInSlice > 0 && nowMs() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = nowMs();
      cutInSlice = 0;
      if (cache.has(w)) continue;
    }
    // The layer's footprints are indexed again only when a device of the layer changed during a pause.
    if (current === null || layer.version() !== currentVersion) {
      currentVersion = layer.version();
      current = layer.source();
    }
    cache.set(w, current.pieces(w));
    cutInSlice += 1;
  }
}

/**
 * Gaps by vector clipping: each ward (made disjoint from its neighbours) minus only the footprints whose bbox meets
 * the ward's bbox (flatbush), in one clipping pass per ward. Never a ward against a city-wide union.
 */
export function computeGaps(
  internals: EngineInternals,
  entries: ReadonlyArray<DeviceEntry>,
  options: GapOptions = {},
  cache?: Map<number, ProjectedPolygon[]>,
): GapReport {
  const minAreaM2 = options.minAreaM2 ?? 200;
  const wards = internals.wards;
  const source = gapSource(internals, entries);
  const only = options.wardCodes === undefined ? null : new Set(options.wardCodes);
  const { cityDensity, missing } = cityDensityOf(internals);
  const gaps: Gap[] = [];
  const summaries: WardGapSummary[] = [];
  wards.forEach((pw, w) => {
    if (only !== null && !only.has(pw.ward.code)) return;
    const mine = disjointWard(wards, internals.owners.overlaps, w);
    let pieces = cache?.get(w);
    if (pieces === undefined) {
      pieces = source.pieces(w);
      cache?.set(w, pieces);
    }
    // The ward's gaps as answered (areas, residents, centroids, lon/lat shapes) are kept with its pieces: a later
    // call that finds the pieces cached does not project thousands of vertices back again.
    const done = answered.get(pieces!);
    if (done !== undefined && done.minAreaM2 === minAreaM2 && done.cityDensity === cityDensity) {
      gaps.push(...done.gaps);
      summaries.push(done.summary);
      return;
    }
    const firstGap = gaps.length;
    const wardArea = mine.reduce((s, rings) => s + polygonArea(rings), 0);
    let uncovered = 0;
    let sliverArea = 0;
    let sliverCount = 0;
    let gapCount = 0;
    const owned = internals.owners.ownedCells[w] ?? 0;
    const wardResidents = internals.wardResidents[w] ?? null;
    const density = wardResidents === null || owned === 0 ? null : wardResidents / (owned * internals.cellSizeM * internals.cellSizeM);
    for (const rings of pieces!) {
      const areaM2 = polygonArea(rings);
      uncovered += areaM2;
      if (areaM2 < minAreaM2) {
        sliverArea += areaM2;
        sliverCount += 1;
        continue;
      }
      gapCount += 1;
      const [cx, cy] = polygonCentroid(rings);
      const centroid = internals.projection.inverse(cx, cy);
      const residents = gapResidents(internals, w, rings, areaM2, density);
      gaps.push({
        wardCode: pw.ward.code, wardName: pw.ward.name, district: pw.ward.district,
        areaM2: round(areaM2, 1),
        residents,
        rankResidents: residents ?? round(cityDensity * areaM2, 1),
        ...(residents === null
          ? { warning: `residents of ${pw.ward.name} are unknown: ranked by its area at the city's mean density (${round(cityDensity * 1e6, 0)} per km2)` }
          : {}),
        centroid: [round(centroid[0], 7), round(centroid[1], 7)],
        geometry: unprojectPolygon(internals.projection, rings),
      });
    }
    const summary: WardGapSummary = {
      code: pw.ward.code, areaM2: round(wardArea, 1), coveredAreaM2: round(Math.max(0, wardArea - uncovered), 1),
      uncoveredAreaM2: round(uncovered, 1), gapCount, sliverAreaM2: round(sliverArea, 1), sliverCount,
    };
    summaries.push(summary);
    answered.set(pieces!, { minAreaM2, cityDensity, gaps: gaps.slice(firstGap), summary });
  });
  gaps.sort(compareGaps);
  const limit = options.limit ?? gaps.length;
  return {
    populationSource: internals.population === null ? 'uniform' : 'population-grid', minAreaM2,
    cityDensityPerM2: cityDensity, wardsWithoutResidents: missing,
    items: gaps.slice(0, Math.max(0, limit)), totalGaps: gaps.length, wards: summaries,
  };
}

/** Gaps ranked by residents (the city's mean density where unknown), then area, then place: never by input order. */
export function compareGaps(a: Gap, b: Gap): number {
  return b.rankResidents - a.rankResidents || b.areaM2 - a.areaM2 || (a.wardCode < b.wardCode ? -1 : a.wardCode > b.wardCode ? 1 : 0)
    || a.centroid[0] - b.centroid[0] || a.centroid[1] - b.centroid[1];
}

/** Residents per m2 over the wards with residents, and how many wards have none. */
export function cityDensityOf(internals: Pick<EngineInternals, 'wardResidents' | 'owners' | 'cellSizeM'>): { cityDensity: number; missing: number } {
  let residents = 0;
  let cells = 0;
  let missing = 0;
  internals.wardResidents.forEach((r, w) => {
    if (r === null) {
      missing += 1;
      return;
    }
    residents += r;
    cells += internals.owners.ownedCells[w] ?? 0;
  });
  return { cityDensity: cells > 0 ? residents / (cells * internals.cellSizeM * internals.cellSizeM) : 0, missing };
}

/** Clusters of meeting bboxes among a ward's own footprints (a small index per ward). */
function localClusters(members: ProjectedFootprint[]): FootprintCluster[] {
  if (members.length === 0) return [];
  const index = new Flatbush(members.length);
  for (const f of members) index.add(f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3]);
  index.finish();
  return clusterFootprints(members, (b) => index.search(b[0]!, b[1]!, b[2]!, b[3]!));
}

function gapResidents(internals: EngineInternals, w: number, rings: ProjectedPolygon, areaM2: number, density: number | null): number | null {
  const pop = internals.population;
  if (pop === null) return density === null ? null : round(density * areaM2, 1);
  const scan = scanRings(rings, internals.cellSizeM);
  let sum = 0;
  scan.spans.forEach((spans, r) => {
    const j = scan.j0 + r;
    for (let k = 0; k < spans.length; k += 2) {
      internals.owners.forEachOwned(j, spans[k]!, spans[k + 1]!, (owner, a, b) => {
        if (owner === w) sum += pop.sumSpan(j, a, b);
      });
    }
  });
  return round(sum, 1);
}

/**
 * Whether a footprint can cut a ward: it covers a cell the ward owns, or a vertex of either lies inside the other
 * (catches footprints that reach the ward only between cell centres). Skipping the others keeps the clipping small.
 */
function touchesWard(entry: DeviceEntry, w: number, pw: PreparedWard): boolean {
  const segs = entry.segments;
  for (let q = 3; q < segs.length; q += 4) if (segs[q] === w) return true;
  const fp = entry.footprint!;
  for (const p of fp.ring) if (pointInPolygons(p[0], p[1], pw.polygons)) return true;
  const ring = [fp.ring];
  for (const rings of pw.polygons) {
    for (const r of rings) {
      for (const p of r) {
        if (p[0] < fp.bbox[0] || p[0] > fp.bbox[2] || p[1] < fp.bbox[1] || p[1] > fp.bbox[3]) continue;
        if (pointInPolygons(p[0], p[1], [ring])) return true;
      }
    }
  }
  return false;
}

/** A neighbour cut to a box around the ward (cheap rectangle clipping); rings left with < 4 points are dropped. */
function clipToBox(polys: ProjectedPolygon[], box: [number, number, number, number]): ProjectedPolygon[] {
  const out: ProjectedPolygon[] = [];
  for (const rings of polys) {
    const clipped = bboxClip(toTurf([rings]) as Feature<Polygon>, box).geometry as Polygon;
    const kept = clipped.coordinates.filter((r) => r.length >= 4).map((r) => r.map((p): XY => [p[0]!, p[1]!]));
    if (kept.length > 0 && kept[0]!.length >= 4 && Math.abs(polygonArea([kept[0]!])) > 0) out.push(kept);
  }
  return out;
}

/** The union of footprints as GeoJSON [lng, lat]: one MultiPolygon feature per cluster of meeting footprints. */
export function footprintUnion(internals: EngineInternals, entries: ReadonlyArray<DeviceEntry>): FeatureCollection<MultiPolygon> {
  const footprints = entries.map((e) => e.footprint!);
  if (footprints.length === 0) return { type: 'FeatureCollection', features: [] };
  const index = new Flatbush(footprints.length);
  for (const f of footprints) index.add(f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3]);
  index.finish();
  const clusters = clusterFootprints(footprints, (b) => index.search(b[0]!, b[1]!, b[2]!, b[3]!));
  const features = clusters.map((cluster): Feature<MultiPolygon> => {
    const polys = cluster.shape();
    return {
      type: 'Feature',
      properties: { footprints: cluster.members.length, areaM2: round(polys.reduce((s, rings) => s + polygonArea(rings), 0), 1) },
      geometry: { type: 'MultiPolygon', coordinates: polys.map((rings) => unprojectPolygon(internals.projection, rings).coordinates) },
    };
  });
  features.sort((a, b) => Number(b.properties?.['areaM2']) - Number(a.properties?.['areaM2']));
  return { type: 'FeatureCollection', features };
}
