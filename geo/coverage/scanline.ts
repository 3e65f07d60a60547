import type { XY } from './types.ts';

/**
 * Cells whose centre lies inside a polygon, as runs per grid row. Cell (i, j) covers
 * [i*c, (i+1)*c) x [j*c, (j+1)*c) in projected metres; its centre is ((i+0.5)c, (j+0.5)c).
 * Even-odd rule over all rings given (outer rings, holes, parts of a MultiPolygon).
 */
export interface ScanResult {
  /** First row. */
  j0: number;
  /** spans[j - j0] = flat [i0, i1, i0, i1, ...], i1 exclusive, sorted, disjoint. */
  spans: number[][];
}

export function scanRings(rings: ReadonlyArray<ReadonlyArray<XY>>, cellSizeM: number): ScanResult {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const ring of rings) {
    for (const p of ring) {
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  }
  if (!(maxY > minY)) return { j0: 0, spans: [] };
  const c = cellSizeM;
  const j0 = Math.ceil(minY / c - 0.5);
  const j1 = Math.ceil(maxY / c - 0.5) - 1;
  const rowCount = Math.max(0, j1 - j0 + 1);
  const crossings: number[][] = new Array(rowCount);
  for (let r = 0; r < rowCount; r += 1) crossings[r] = [];
  for (const ring of rings) {
    const n = ring.length;
    for (let k = 0; k < n; k += 1) {
      const a = ring[k]!;
      const b = ring[(k + 1) % n]!;
      const ya = a[1];
      const yb = b[1];
      if (ya === yb) continue;
      const lo = ya < yb ? ya : yb;
      const hi = ya < yb ? yb : ya;
      const js = Math.ceil(lo / c - 0.5);
      const je = Math.ceil(hi / c - 0.5) - 1;
      const slope = (b[0] - a[0]) / (yb - ya);
      for (let j = js; j <= je; j += 1) {
        const yc = (j + 0.5) * c;
        crossings[j - j0]!.push(a[0] + (yc - ya) * slope);
      }
    }
  }
  const spans: number[][] = new Array(rowCount);
  for (let r = 0; r < rowCount; r += 1) {
    const xs = crossings[r]!;
    xs.sort((p, q) => p - q);
    const out: number[] = [];
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const i0 = Math.ceil(xs[k]! / c - 0.5);
      const i1 = Math.ceil(xs[k + 1]! / c - 0.5);
      if (i1 <= i0) continue;
      const last = out.length;
      if (last > 0 && out[last - 1]! >= i0) out[last - 1] = Math.max(out[last - 1]!, i1);
      else out.push(i0, i1);
    }
    spans[r] = out;
  }
  return { j0, spans };
}

/**
 * Which ward owns each cell, as sorted runs per row. Every cell belongs to at most one ward: where ward polygons
 * overlap (slivers along shared borders), the ward added first wins, so city totals never count a cell twice.
 */
export class OwnerRaster {
  readonly cellSizeM: number;
  private readonly rows = new Map<number, { starts: number[]; ends: number[]; owners: number[] }>();
  /** Owned cells per owner index. */
  readonly ownedCells: number[] = [];
  /** Pairs "later:earlier" of owners whose polygons share at least one cell centre (overlapping neighbours). */
  readonly overlaps = new Set<string>();

  constructor(cellSizeM: number) {
    this.cellSizeM = cellSizeM;
  }

  /** Adds an owner's cells; cells already owned stay with their earlier owner. Returns cells actually owned. */
  add(owner: number, scan: ScanResult): number {
    let owned = 0;
    scan.spans.forEach((spans, r) => {
      if (spans.length === 0) return;
      const j = scan.j0 + r;
      let row = this.rows.get(j);
      if (row === undefined) {
        row = { starts: [], ends: [], owners: [] };
        this.rows.set(j, row);
      }
      for (let k = 0; k < spans.length; k += 2) {
        owned += insertRun(row, spans[k]!, spans[k + 1]!, owner, this.overlaps);
      }
    });
    this.ownedCells[owner] = (this.ownedCells[owner] ?? 0) + owned;
    return owned;
  }

  /** Owner of a cell, or -1. */
  ownerAt(i: number, j: number): number {
    const row = this.rows.get(j);
    if (row === undefined) return -1;
    const k = firstEndingAfter(row.ends, i);
    if (k < row.starts.length && row.starts[k]! <= i) return row.owners[k]!;
    return -1;
  }

  /** Calls back with each owned piece [a, b) of the span [i0, i1) of row j. */
  forEachOwned(j: number, i0: number, i1: number, callback: (owner: number, a: number, b: number) => void): void {
    const row = this.rows.get(j);
    if (row === undefined) return;
    for (let k = firstEndingAfter(row.ends, i0); k < row.starts.length && row.starts[k]! < i1; k += 1) {
      const a = Math.max(i0, row.starts[k]!);
      const b = Math.min(i1, row.ends[k]!);
      if (b > a) callback(row.owners[k]!, a, b);
    }
  }

  /** Rows that hold any run, with their runs, for whole-raster sweeps. */
  forEachRun(callback: (owner: number, j: number, a: number, b: number) => void): void {
    for (const [j, row] of this.rows) {
      for (let k = 0; k < row.starts.length; k += 1) callback(row.owners[k]!, j, row.starts[k]!, row.ends[k]!);
    }
  }
}

function firstEndingAfter(ends: number[], i: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts [a, b) minus the parts already present; returns the number of cells inserted. */
function insertRun(row: { starts: number[]; ends: number[]; owners: number[] }, a: number, b: number, owner: number, overlaps: Set<string>): number {
  let inserted = 0;
  let cursor = a;
  let k = firstEndingAfter(row.ends, a);
  while (cursor < b) {
    const nextStart = k < row.starts.length ? row.starts[k]! : Infinity;
    if (nextStart > cursor) {
      const end = Math.min(b, nextStart);
      row.starts.splice(k, 0, cursor);
      row.ends.splice(k, 0, end);
      row.owners.splice(k, 0, owner);
      inserted += end - cursor;
      cursor = end;
      k += 1;
    } else {
      if (row.owners[k] !== owner) overlaps.add(`${owner}:${row.owners[k]}`);
      cursor = Math.max(cursor, row.ends[k]!);
      k += 1;
    }
  }
  return inserted;
}
