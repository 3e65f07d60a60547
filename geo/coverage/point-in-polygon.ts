import type { ProjectedPolygon, XY } from './types.ts';

/** Even-odd point-in-polygon over all rings of all polygons (outer rings, holes, MultiPolygon parts). */
export function pointInPolygons(x: number, y: number, polygons: ReadonlyArray<ProjectedPolygon>): boolean {
  let inside = false;
  for (const rings of polygons) {
    for (const ring of rings) {
      if (pointInRingToggle(x, y, ring)) inside = !inside;
    }
  }
  return inside;
}

function pointInRingToggle(x: number, y: number, ring: ReadonlyArray<XY>): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i, i += 1) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}
