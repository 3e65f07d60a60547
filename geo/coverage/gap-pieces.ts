import { difference, featureCollection, multiPolygon, polygon, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { ProjectedFootprint } from './footprint-shape.ts';
import { pointInPolygons } from './point-in-polygon.ts';
import type { ProjectedPolygon, XY } from './types.ts';

/**
 * Closes a ring; with `snapM`, rounds every vertex to that grid (projected metres) and drops repeats. Snapping is how
 * the clipper is made robust: its sweep fails ("Unable to complete output ring") on some layouts of nearly
 * coincident circle vertices, and a millimetre grid removes the near-coincidences without changing an area visibly.
 */
export function closeRing(ring: ReadonlyArray<XY>, snapM = 0): Position[] {
  const decimals = snapM > 0 ? Math.max(0, Math.round(-Math.log10(snapM))) : 0;
  // toFixed, not a multiplication: 0.1 * n leaves float noise that the clipper then trips on.
  const snap = (v: number): number => (snapM > 0 ? Number((Math.round(v / snapM) * snapM).toFixed(decimals)) : v);
  const out: Position[] = [];
  for (const p of ring) {
    const q: Position = [snap(p[0]), snap(p[1])];
    const prev = out[out.length - 1];
    if (prev === undefined || prev[0] !== q[0] || prev[1] !== q[1]) out.push(q);
  }
  const first = out[0]!;
  const last = out[out.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) out.push([first[0]!, first[1]!]);
  return out;
}

/** Tried in turn when the clipper fails: the exact input, then 1 mm, 1 cm and 10 cm grids (cells are 5 m). */
const SNAP_STEPS_M = [0, 0.001, 0.01, 0.1] as const;

/** Runs a clipping operation on snapped input, retrying on a coarser grid when the clipper gives up. */
export function clipRobustly<T>(operation: (snapM: number) => T): T {
  let last: unknown = null;
  for (const snapM of SNAP_STEPS_M) {
    try {
      return operation(snapM);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

function snappedPolygon(rings: ReadonlyArray<ReadonlyArray<XY>>, snapM: number): Feature<Polygon> {
  return polygon(rings.map((r) => closeRing(r, snapM)).filter((r) => r.length >= 4));
}

export function toTurf(polys: ProjectedPolygon[]): Feature<Polygon | MultiPolygon> {
  const closed = polys.map((rings) => rings.map((ring) => closeRing(ring)));
  return closed.length === 1 ? polygon(closed[0]!) : multiPolygon(closed);
}

/** Like toTurf, with every vertex on a grid of snapM metres (see closeRing). */
export function toTurfSnapped(polys: ProjectedPolygon[], snapM: number): Feature<Polygon | MultiPolygon> {
  const closed = polys.map((rings) => rings.map((ring) => closeRing(ring, snapM)).filter((r) => r.length >= 4)).filter((rings) => rings.length > 0);
  return closed.length === 1 ? polygon(closed[0]!) : multiPolygon(closed);
}

export function fromTurf(feature: Feature<Polygon | MultiPolygon> | null): ProjectedPolygon[] {
  if (feature === null) return [];
  const g = feature.geometry;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.map((rings) => rings.filter((r) => r.length >= 4).map((r) => r.map((p): XY => [p[0]!, p[1]!]))).filter((r) => r.length > 0);
}

function strictlyInside(fp: ProjectedFootprint, ward: ProjectedPolygon[]): boolean {
  for (const p of fp.ring) if (!pointInPolygons(p[0], p[1], ward)) return false;
  const ring = [fp.ring];
  for (const rings of ward) {
    for (const r of rings) {
      for (const p of r) {
        if (p[0] < fp.bbox[0] || p[0] > fp.bbox[2] || p[1] < fp.bbox[1] || p[1] > fp.bbox[3]) continue;
        if (pointInPolygons(p[0], p[1], [ring])) return false;
      }
    }
  }
  return true;
}

function clockwise(ring: XY[]): XY[] {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i += 1) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum > 0 ? [...ring].reverse() : ring;
}

/** Footprints whose bboxes chain together; the union is computed once, when a ward first needs it. */
export interface FootprintCluster {
  members: ProjectedFootprint[];
  bbox: [number, number, number, number];
  shape(): ProjectedPolygon[];
}

/** Groups footprints into clusters of meeting bboxes (union-find over a flatbush index). */
export function clusterFootprints(footprints: ReadonlyArray<ProjectedFootprint>, search: (bbox: readonly number[]) => number[]): FootprintCluster[] {
  const parent = footprints.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[i] !== r) {
      const next = parent[i]!;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  footprints.forEach((fp, a) => {
    for (const b of search(fp.bbox)) if (b !== a && b < footprints.length) parent[find(a)] = find(b);
  });
  const groups = new Map<number, ProjectedFootprint[]>();
  footprints.forEach((fp, i) => {
    const root = find(i);
    const list = groups.get(root);
    if (list === undefined) groups.set(root, [fp]);
    else list.push(fp);
  });
  return [...groups.values()].map((members) => {
    let cached: ProjectedPolygon[] | null = null;
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const m of members) {
      bbox[0] = Math.min(bbox[0], m.bbox[0]);
      bbox[1] = Math.min(bbox[1], m.bbox[1]);
      bbox[2] = Math.max(bbox[2], m.bbox[2]);
      bbox[3] = Math.max(bbox[3], m.bbox[3]);
    }
    return {
      members,
      bbox,
      shape(): ProjectedPolygon[] {
        if (cached === null) {
          cached = members.length === 1
            ? [[members[0]!.ring]]
            : clipRobustly((snapM) => fromTurf(union(featureCollection(members.map((fp) => snappedPolygon([fp.ring], snapM))))));
        }
        return cached;
      },
    };
  });
}

/**
 * The uncovered pieces of one ward. A cluster lying wholly inside the ward becomes holes directly (its union's own
 * holes are uncovered pockets); only clusters crossing the ward's border go, as their union, into one clipping pass.
 */
export function wardGapPieces(ward: ProjectedPolygon[], clusters: ReadonlyArray<FootprintCluster>): ProjectedPolygon[] {
  if (ward.length === 0) return [];
  if (clusters.length === 0) return ward;
  const cutters: ProjectedPolygon[] = [];
  const holes: XY[][] = [];
  const pockets: ProjectedPolygon[] = [];
  for (const cluster of clusters) {
    // A cluster crossing the ward's border cuts it member by member in the one difference below: no union first
    // (the difference's sweep resolves the overlaps once; a union and then a difference would do it twice).
    if (!cluster.members.every((fp) => strictlyInside(fp, ward))) {
      cutters.push(...cluster.members.map((fp) => [fp.ring]));
      continue;
    }
    let shape: ProjectedPolygon[];
    try {
      shape = cluster.shape();
    } catch {
      // The clipper could not union this cluster even on a snapped grid: its members cut the ward one by one.
      cutters.push(...cluster.members.map((fp) => [fp.ring]));
      continue;
    }
    for (const rings of shape) {
      holes.push(clockwise(rings[0]!));
      for (const inner of rings.slice(1)) pockets.push([[...clockwise(inner)].reverse()]);
    }
  }
  const pieces = cutters.length === 0
    ? ward.map((rings) => [...rings])
    : clipRobustly((snapM) =>
        fromTurf(
          difference(
            featureCollection<Polygon | MultiPolygon>([
              ward.length === 1 ? snappedPolygon(ward[0]!, snapM) : multiPolygon(ward.map((rings) => rings.map((r) => closeRing(r, snapM)))),
              ...cutters.map((rings) => snappedPolygon(rings, snapM)),
            ]),
          ),
        ),
      );
  for (const hole of holes) {
    const probe = hole[0]!;
    const host = pieces.find((rings) => pointInPolygons(probe[0], probe[1], [rings]));
    if (host !== undefined) host.push(hole);
  }
  return [...pieces, ...pockets];
}
