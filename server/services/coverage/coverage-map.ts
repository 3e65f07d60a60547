/**
 * The map layer (GET /api/v1/coverage): the layer's covered area as polygons traced from the engine's own grid
 * (what the figures count, clipped to the wards) and simplified for the requested zoom, plus the footprints (omni
 * ones as points with their radius, sectors as polygons). The answer is kept, gzipped, per engine, layer, zoom and
 * footprint mode until a device of the layer changes, and carries an ETag: a warm request costs a lookup.
 *
 * Tolerance: half a screen pixel at the zoom (156,543 m / 2^zoom per pixel at the equator), never under half a
 * cell (2.5 m): below that the outline would only show the grid's steps.
 */
import type { Feature, Geometry, Position } from 'geojson';
import type { CoverageLayer } from '../../../core/coverage-layers.ts';
import { COVERAGE_LAYER_DEFINITIONS } from '../../../core/coverage-layers.ts';
import type { CoverageEngine } from '../../../geo/coverage/index.ts';
import { unprojectPolygon } from '../../../geo/coverage/footprint-shape.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine } from './coverage-engine-cache.ts';

const POLYGONS_PER_FEATURE = 400;

export interface CoverageMapQuery {
  layer: CoverageLayer;
  zoom: number;
  footprints: 'points' | 'polygons' | 'none';
}

export interface CoverageMapBody {
  json: string;
  gzip: Uint8Array;
  etag: string;
}

const cache = new WeakMap<CoverageEngine, Map<string, { key: string; body: Promise<CoverageMapBody> }>>();

export function toleranceForZoom(zoom: number, cellSizeM: number): number {
  const metresPerPixel = 156_543.03 / 2 ** zoom;
  return Math.max(cellSizeM / 2, Math.round((metresPerPixel / 2) * 100) / 100);
}

function roundPosition(p: Position, digits: number): Position {
  const f = 10 ** digits;
  return [Math.round(p[0]! * f) / f, Math.round(p[1]! * f) / f];
}

function buildBody(engine: CoverageEngine, q: CoverageMapQuery, toleranceM: number): string {
  const outline = engine.coverageOutline(q.layer, toleranceM);
  // 6 decimals (0.11 m) is finer than any tolerance used here.
  const digits = 6;
  const features: Feature<Geometry>[] = [];
  for (let k = 0; k < outline.polygons.length; k += POLYGONS_PER_FEATURE) {
    const chunk = outline.polygons.slice(k, k + POLYGONS_PER_FEATURE);
    features.push({
      type: 'Feature',
      properties: { kind: 'union', polygons: chunk.length },
      geometry: {
        type: 'MultiPolygon',
        coordinates: chunk.map((rings) => unprojectPolygon(engine.projection, rings).coordinates.map((ring) => ring.map((p) => roundPosition(p, digits)))),
      },
    });
  }
  if (q.footprints !== 'none') {
    const entries = engine.layerEntries(q.layer).sort((a, b) => (a.device.id < b.device.id ? -1 : 1));
    for (const e of entries) {
      const spec = e.device.spec ?? {};
      const omni = (spec.beamWidthDeg ?? 360) >= 360;
      const properties = { kind: 'footprint', deviceId: e.device.id, radiusM: Math.round((e.radius?.radiusM ?? 0) * 10) / 10, evidence: e.evidence };
      if (q.footprints === 'points' && omni) {
        features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: roundPosition([e.device.lon as number, e.device.lat as number], digits) } });
      } else {
        const ring = unprojectPolygon(engine.projection, [e.footprint!.ring]).coordinates.map((r) => r.map((p) => roundPosition(p, digits)));
        features.push({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: ring } });
      }
    }
  }
  return JSON.stringify({
    type: 'FeatureCollection',
    layer: q.layer,
    layerDefinition: COVERAGE_LAYER_DEFINITIONS[q.layer],
    devices: engine.layerDevices(q.layer),
    zoom: q.zoom,
    toleranceM,
    cellSizeM: engine.cellSizeM,
    note: 'union: the covered cells of the layer inside the wards (the area the figures count), simplified for the zoom; footprints: omni ones as points with radiusM',
    features,
  });
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function digest(text: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `"${[...hash.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

/** The map layer's body, from the cache when nothing in the layer changed. */
export async function coverageMap(ctx: ServiceCtx, q: CoverageMapQuery): Promise<CoverageMapBody> {
  const engine = await currentCoverageEngine(ctx);
  const toleranceM = toleranceForZoom(q.zoom, engine.cellSizeM);
  let perEngine = cache.get(engine);
  if (perEngine === undefined) {
    perEngine = new Map();
    cache.set(engine, perEngine);
  }
  const slot = `${q.layer}|${toleranceM}|${q.footprints}`;
  const key = `${engine.layerVersion(q.layer)}|${JSON.stringify(engine.layerDevices(q.layer))}`;
  const hit = perEngine.get(slot);
  if (hit !== undefined && hit.key === key) return hit.body;
  const body = (async (): Promise<CoverageMapBody> => {
    const json = buildBody(engine, q, toleranceM);
    const [gz, etag] = await Promise.all([gzip(json), digest(json)]);
    return { json, gzip: gz, etag };
  })();
  perEngine.set(slot, { key, body });
  body.catch(() => perEngine!.delete(slot));
  return body;
}
