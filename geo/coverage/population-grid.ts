import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { AppError } from '../../core/errors.ts';
import { forEachTilePiece, TILE, tileIndex, tileKey } from './cell-tiles.ts';
import type { Projection } from './projection.ts';
import { scanRings } from './scanline.ts';
import type { XY } from './types.ts';

/** Residents as GeoJSON: polygons (spread evenly over their area) or points, each with a count. */
export type PopulationGridInput = FeatureCollection<Geometry>;

export interface PopulationGridOptions {
  /** Property holding the residents of a feature (default "count"). */
  countProperty?: string;
}

/** Residents per cell, sparse. */
export class PopulationRaster {
  readonly tiles = new Map<number, Float32Array>();
  /** Residents that fell on no cell of any polygon (e.g. polygons smaller than one cell get their count at the centroid cell). */
  totalResidents = 0;

  at(i: number, j: number): number {
    return this.tiles.get(tileKey(i, j))?.[tileIndex(i, j)] ?? 0;
  }

  add(i: number, j: number, residents: number): void {
    const key = tileKey(i, j);
    let tile = this.tiles.get(key);
    if (tile === undefined) {
      tile = new Float32Array(TILE * TILE);
      this.tiles.set(key, tile);
    }
    tile[tileIndex(i, j)] = (tile[tileIndex(i, j)] ?? 0) + residents;
    this.totalResidents += residents;
  }

  /** Residents in the span [a, b) of row j. */
  sumSpan(j: number, a: number, b: number): number {
    let sum = 0;
    forEachTilePiece(j, a, b, (key, first, length) => {
      const tile = this.tiles.get(key);
      if (tile === undefined) return;
      for (let k = 0; k < length; k += 1) sum += tile[first + k]!;
    });
    return sum;
  }
}

function projectRings(projection: Projection, rings: number[][][]): XY[][] {
  return rings.map((ring) => ring.map((p) => projection.forward(p[0]!, p[1]!)));
}

export function buildPopulationRaster(
  projection: Projection,
  input: PopulationGridInput,
  cellSizeM: number,
  options: PopulationGridOptions = {},
): PopulationRaster {
  const prop = options.countProperty ?? 'count';
  const raster = new PopulationRaster();
  input.features.forEach((feature: Feature<Geometry>, index) => {
    const count = Number(feature.properties?.[prop]);
    if (!Number.isFinite(count) || count < 0) {
      throw new AppError('validation_failed', `population feature ${index} has no valid "${prop}"`, {
        details: [{ path: `features[${index}].properties.${prop}`, message: 'expected a number >= 0' }],
      });
    }
    const g = feature.geometry;
    if (g === null) return;
    if (g.type === 'Point') {
      const [x, y] = projection.forward(g.coordinates[0]!, g.coordinates[1]!);
      raster.add(Math.floor(x / cellSizeM), Math.floor(y / cellSizeM), count);
      return;
    }
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
      throw new AppError('validation_failed', `population feature ${index}: ${g.type} is not supported`, {
        details: [{ path: `features[${index}].geometry`, message: 'expected Point, Polygon or MultiPolygon' }],
      });
    }
    const rings = g.type === 'Polygon' ? projectRings(projection, g.coordinates) : g.coordinates.flatMap((p) => projectRings(projection, p));
    const scan = scanRings(rings, cellSizeM);
    let cells = 0;
    for (const spans of scan.spans) for (let k = 0; k < spans.length; k += 2) cells += spans[k + 1]! - spans[k]!;
    if (cells === 0) {
      const first = rings[0]?.[0];
      if (first !== undefined) raster.add(Math.floor(first[0] / cellSizeM), Math.floor(first[1] / cellSizeM), count);
      return;
    }
    const perCell = count / cells;
    scan.spans.forEach((spans, r) => {
      for (let k = 0; k < spans.length; k += 2) {
        for (let i = spans[k]!; i < spans[k + 1]!; i += 1) raster.add(i, scan.j0 + r, perCell);
      }
    });
  });
  return raster;
}
