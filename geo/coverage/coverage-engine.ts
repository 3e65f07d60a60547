import Flatbush from 'flatbush';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { AppError } from '../../core/errors.ts';
import { tileIndex, tileKey } from './cell-tiles.ts';
import { buildEntry, type DeviceEntry, type EntryContext } from './device-footprint.ts';
import { pct, round, type CityFigures, type LayerDevices, type OutsideCityFigures, type WardCoverageFigures, type WardFiguresResult } from './figures.ts';
import { unprojectPolygon } from './footprint-shape.ts';
import { traceCoverageOutline, type CoveredTiles, type OutlineResult } from './coverage-outline.ts';
import { computeGaps, fillGapPieces, footprintUnion, gapSource, type GapOptions, type GapReport, type GapSlicing } from './gaps.ts';
import { CountLayer, ExpectedLayer, probability } from './layer-state.ts';
import { buildPopulationRaster, type PopulationGridInput, type PopulationGridOptions, type PopulationRaster } from './population-grid.ts';
import { prepareWards, projectionForWards, wardLocator, type PreparedWard } from './prepare-wards.ts';
import type { Projection } from './projection.ts';
import { OwnerRaster, scanRings } from './scanline.ts';
import { COUNT_LAYERS, COVERAGE_LAYERS, type CountLayerName, type CoverageDevice, type CoverageLayer, type CoverageWard, type ProjectedPolygon } from './types.ts';
import { whatIfDelta, type WhatIfChange, type WhatIfResult } from './what-if.ts';

export interface CoverageEngineOptions {
  /** Grid cell edge, m (default 5). */
  cellSizeM?: number;
  /** Availability a device needs over the period to count in the `reliable` layer (default 0.98). */
  slaAvailability?: number;
  /** Radii above this are capped with a warning (default 1,500 m). */
  capRadiusM?: number;
  /** Vertices of a circle footprint (default 32; the polygon keeps the circle's area). */
  circleVertices?: number;
  /** Residents as GeoJSON polygons or points with counts; without it residents spread uniformly over each ward. */
  population?: PopulationGridInput;
  populationOptions?: PopulationGridOptions;
}

export interface DeviceIssue {
  deviceId: string;
  code: string;
  message: string;
}

export interface DeviceChangeResult {
  deviceId: string;
  wardCode: string | null;
  outsideCity: boolean;
  radiusM: number | null;
  warnings: string[];
}

/** Internal state the what-if and gap modules read. */
export interface EngineInternals {
  wards: PreparedWard[];
  owners: OwnerRaster;
  cellSizeM: number;
  population: PopulationRaster | null;
  wardResidents: Array<number | null>;
  entries: Map<string, DeviceEntry>;
  context: EntryContext;
  projection: Projection;
  layerCount(layer: CountLayerName): CountLayer;
  layerExpected(): ExpectedLayer;
}

/** Gaps exist for the count layers only; any other name is refused before anything is cut. */
function assertCountLayer(layer: string): void {
  if (!(COUNT_LAYERS as readonly string[]).includes(layer)) {
    throw new AppError('validation_failed', `gaps need one of ${COUNT_LAYERS.join(', ')} (got ${String(layer)})`, { details: [{ path: 'layer', message: `expected ${COUNT_LAYERS.join(', ')}` }] });
  }
}

/**
 * Holds wards, their cell ownership and per-cell coverage counts for every layer. Changing one device touches only
 * the cells under its old and new footprints; ward figures are read from running totals.
 */
export class CoverageEngine {
  readonly cellSizeM: number;
  readonly projection: Projection;
  readonly populationSource: 'uniform' | 'population-grid';
  private readonly wards: PreparedWard[];
  private readonly owners: OwnerRaster;
  private readonly population: PopulationRaster | null;
  private readonly wardResidents: Array<number | null>;
  private readonly entries = new Map<string, DeviceEntry>();
  private readonly context: EntryContext;
  /** Layers are built on first use and kept up to date from then on (memory only for the layers asked for). */
  private readonly counts: Partial<Record<CountLayerName, CountLayer>> = {};
  private expectedState: ExpectedLayer | null = null;
  /** Access points per ward (index wards.length = outside the city): all not retired, up now, never polled, down now. */
  private readonly apCount: Float64Array;
  private readonly unverifiedApCount: Float64Array;
  private readonly downApCount: Float64Array;
  /** Gap pieces per layer per ward; a device change drops only the wards its footprint's bbox meets. */
  private readonly gapCache = new Map<CoverageLayer, Map<number, ProjectedPolygon[]>>();
  private readonly wardIndex: Flatbush;
  /** Bumped whenever a device that counts in the layer changes: keys the outline cache (and callers' caches). */
  private readonly versions: Record<CoverageLayer, number> = { planned: 0, assumed: 0, live: 0, reliable: 0, expected: 0 };
  private readonly outlineCache = new Map<string, { version: number; result: OutlineResult }>();
  private readonly liveApCount: Float64Array;

  constructor(wards: ReadonlyArray<CoverageWard>, devices: ReadonlyArray<CoverageDevice>, options: CoverageEngineOptions = {}) {
    const cellSizeM = options.cellSizeM ?? 5;
    if (!Number.isFinite(cellSizeM) || cellSizeM < 0.5 || cellSizeM > 200) {
      throw new AppError('validation_failed', 'cellSizeM must be within 0.5..200', { details: [{ path: 'options.cellSizeM', message: String(cellSizeM) }] });
    }
    const sla = options.slaAvailability ?? 0.98;
    if (!(sla >= 0 && sla <= 1)) throw new AppError('validation_failed', 'slaAvailability must be within 0..1', { details: [{ path: 'options.slaAvailability', message: String(sla) }] });
    this.cellSizeM = cellSizeM;
    this.projection = projectionForWards(wards);
    this.wards = prepareWards(this.projection, wards);
    this.owners = new OwnerRaster(cellSizeM);
    // Ownership order: by code, so the result does not depend on the order of the input file.
    const order = this.wards.map((_, i) => i).sort((a, b) => (this.wards[a]!.ward.code < this.wards[b]!.ward.code ? -1 : 1));
    for (const w of order) {
      this.owners.add(w, scanRings(this.wards[w]!.polygons.flat(), cellSizeM));
    }
    this.population = options.population === undefined ? null : buildPopulationRaster(this.projection, options.population, cellSizeM, options.populationOptions);
    this.populationSource = this.population === null ? 'uniform' : 'population-grid';
    this.wardResidents = this.computeWardResidents();
    const n = this.wards.length;
    this.apCount = new Float64Array(n + 1);
    this.wardIndex = new Flatbush(Math.max(1, n));
    for (const pw of this.wards) this.wardIndex.add(pw.bbox[0], pw.bbox[1], pw.bbox[2], pw.bbox[3]);
    if (n === 0) this.wardIndex.add(0, 0, 0, 0);
    this.wardIndex.finish();
    this.liveApCount = new Float64Array(n + 1);
    this.unverifiedApCount = new Float64Array(n + 1);
    this.downApCount = new Float64Array(n + 1);
    this.context = {
      projection: this.projection, wardAt: wardLocator(this.wards), owners: this.owners, cellSizeM, slaAvailability: sla,
      capRadiusM: options.capRadiusM, circleVertices: options.circleVertices,
    };
    devices.forEach((device, index) => {
      if (this.entries.has(device.id)) throw new AppError('validation_failed', `duplicate device id ${device.id}`, { details: [{ path: `devices[${index}].id`, message: 'duplicate' }] });
      this.insert(buildEntry(this.context, device, { path: `devices[${index}]`, onInvalid: 'record' }));
    });
  }

  private computeWardResidents(): Array<number | null> {
    if (this.population === null) return this.wards.map((w) => (w.ward.population === null || w.ward.population === undefined ? null : w.ward.population));
    const sums = new Array<number>(this.wards.length).fill(0);
    const pop = this.population;
    this.owners.forEachRun((owner, j, a, b) => {
      sums[owner] = (sums[owner] ?? 0) + pop.sumSpan(j, a, b);
    });
    return sums;
  }

  private insert(entry: DeviceEntry): void {
    this.entries.set(entry.device.id, entry);
    this.applyEntry(entry, 1);
  }

  private applyEntry(entry: DeviceEntry, sign: 1 | -1): void {
    if (entry.device.status !== 'retired') {
      const slot = entry.ward < 0 ? this.wards.length : entry.ward;
      this.apCount[slot] = this.apCount[slot]! + sign;
      if (entry.evidence === 'up') this.liveApCount[slot] = this.liveApCount[slot]! + sign;
      else if (entry.evidence === 'unverified') this.unverifiedApCount[slot] = this.unverifiedApCount[slot]! + sign;
      else if (entry.evidence === 'down') this.downApCount[slot] = this.downApCount[slot]! + sign;
    }
    if (!entry.planned) return;
    this.versions.planned += 1;
    if (entry.assumed) this.versions.assumed += 1;
    if (entry.live) this.versions.live += 1;
    if (entry.reliable) this.versions.reliable += 1;
    if (entry.availability > 0) this.versions.expected += 1;
    if (entry.footprint !== null && this.gapCache.size > 0) {
      const b = entry.footprint.bbox;
      const touched = this.wardIndex.search(b[0], b[1], b[2], b[3]);
      for (const cache of this.gapCache.values()) for (const w of touched) cache.delete(w);
    }
    this.counts.planned?.apply(entry.segments, sign);
    if (entry.assumed) this.counts.assumed?.apply(entry.segments, sign);
    if (entry.live) this.counts.live?.apply(entry.segments, sign);
    if (entry.reliable) this.counts.reliable?.apply(entry.segments, sign);
    this.expectedState?.apply(entry.segments, entry.availability, sign);
  }

  private countLayer(layer: CountLayerName): CountLayer {
    let state = this.counts[layer];
    if (state === undefined) {
      state = new CountLayer(this.wards.length, this.population);
      for (const e of this.entries.values()) if (e.planned && e[layer]) state.apply(e.segments, 1);
      this.counts[layer] = state;
    }
    return state;
  }

  private get expected(): ExpectedLayer {
    if (this.expectedState === null) {
      const state = new ExpectedLayer(this.wards.length, this.population);
      for (const e of this.entries.values()) if (e.planned) state.apply(e.segments, e.availability, 1);
      this.expectedState = state;
    }
    return this.expectedState;
  }

  /**
   * Adds a device or replaces the one with the same id (state change, move, new spec). Only the cells under the old
   * and the new footprint are touched. Throws AppError('validation_failed') for a bad radius/spec/availability and
   * leaves the engine unchanged.
   */
  upsertDevice(device: CoverageDevice): DeviceChangeResult {
    const entry = buildEntry(this.context, device, { path: 'device', onInvalid: 'throw' });
    const old = this.entries.get(device.id);
    if (old !== undefined) this.applyEntry(old, -1);
    this.insert(entry);
    return this.describe(entry);
  }

  /** Removes a device; false when the id is unknown. */
  removeDevice(deviceId: string): boolean {
    const old = this.entries.get(deviceId);
    if (old === undefined) return false;
    this.applyEntry(old, -1);
    this.entries.delete(deviceId);
    return true;
  }

  /** Sets up/availability of a device without rebuilding its footprint. */
  setDeviceState(deviceId: string, state: { up?: boolean; availability?: number }): DeviceChangeResult {
    const old = this.entries.get(deviceId);
    if (old === undefined) throw new AppError('not_found', `device ${deviceId} is not in the coverage engine`);
    return this.upsertDevice({ ...old.device, ...state });
  }

  private describe(entry: DeviceEntry): DeviceChangeResult {
    return {
      deviceId: entry.device.id,
      wardCode: entry.ward < 0 ? null : this.wards[entry.ward]!.ward.code,
      outsideCity: entry.ward < 0,
      radiusM: entry.radius?.radiusM ?? null,
      warnings: [...entry.warnings],
    };
  }

  /** Devices whose spec or availability was refused when the engine was built (kept, without a footprint). */
  issues(): DeviceIssue[] {
    const out: DeviceIssue[] = [];
    for (const e of this.entries.values()) if (e.rejection !== null) out.push({ deviceId: e.device.id, ...e.rejection });
    return out;
  }

  /** Warnings per device (no location, outside every ward, radius capped). */
  warnings(): Array<{ deviceId: string; warnings: string[] }> {
    const out: Array<{ deviceId: string; warnings: string[] }> = [];
    for (const e of this.entries.values()) if (e.warnings.length > 0) out.push({ deviceId: e.device.id, warnings: [...e.warnings] });
    return out;
  }

  private layerTotals(layer: CoverageLayer): { cells: Float64Array; residents: Float64Array } {
    if (!COVERAGE_LAYERS.includes(layer)) throw new AppError('validation_failed', `unknown layer ${String(layer)}`, { details: [{ path: 'layer', message: `expected one of ${COVERAGE_LAYERS.join(', ')}` }] });
    const state = layer === 'expected' ? this.expected : this.countLayer(layer);
    return { cells: state.coveredCells, residents: state.coveredResidents };
  }

  /** Per-ward figures of one layer, plus city totals and the "outside the city" bucket. O(wards + devices). */
  wardFigures(layer: CoverageLayer): WardFiguresResult {
    const { cells, residents } = this.layerTotals(layer);
    const items: WardCoverageFigures[] = this.wards.map((_, w) => {
      const owned = this.owners.ownedCells[w] ?? 0;
      return this.figuresOf(w, owned, cells[w]!, residents[w]!, this.apCount[w]!, this.liveApCount[w]!);
    });
    let ownedM2 = 0;
    let coveredM2 = 0;
    const cellArea = this.cellSizeM * this.cellSizeM;
    this.wards.forEach((_, w) => {
      const owned = this.owners.ownedCells[w] ?? 0;
      ownedM2 += owned * cellArea;
      coveredM2 += Math.min(owned, Math.max(0, cells[w]!)) * cellArea;
    });
    return {
      layer, populationSource: this.populationSource, cellSizeM: this.cellSizeM, devices: this.layerDevices(layer), items,
      city: cityTotals(items, ownedM2, coveredM2), outsideCity: this.outside(),
    };
  }

  /** How many access points count in a layer, and what monitoring knows of them. */
  layerDevices(layer: CoverageLayer): LayerDevices {
    let total = 0;
    let counted = 0;
    let unverified = 0;
    let down = 0;
    let countedUnverified = 0;
    for (const e of this.entries.values()) {
      // Access points: devices with a radio footprint spec (routers and switches have none).
      if (e.device.status === 'retired' || e.device.spec === null || e.device.spec === undefined) continue;
      total += 1;
      if (e.evidence === 'unverified') unverified += 1;
      if (e.evidence === 'down') down += 1;
      if (entryInLayer(e, layer)) {
        counted += 1;
        if (e.evidence === 'unverified') countedUnverified += 1;
      }
    }
    return { total, counted, unverified, down, countedUnverified };
  }

  /** @internal Figures of one ward from raw totals; used by what-if as well. */
  figuresOf(w: number, ownedCells: number, coveredCells: number, coveredResidents: number, aps: number, liveAps: number): WardCoverageFigures {
    const pw = this.wards[w]!;
    const residentsTotal = this.wardResidents[w] ?? null;
    const coveredShare = ownedCells > 0 ? Math.min(1, Math.max(0, coveredCells) / ownedCells) : 0;
    let residentsCovered: number | null = null;
    if (residentsTotal !== null) residentsCovered = this.population === null ? residentsTotal * coveredShare : Math.max(0, coveredResidents);
    return {
      code: pw.ward.code,
      name: pw.ward.name,
      district: pw.ward.district,
      areaM2: round(pw.vectorAreaM2, 1),
      coveredAreaM2: round(coveredShare * pw.vectorAreaM2, 1),
      coveredPct: round(coveredShare * 100, 4),
      residents: residentsTotal === null ? null : round(residentsTotal, 1),
      residentsCovered: residentsCovered === null ? null : round(residentsCovered, 1),
      residentsCoveredPct: residentsTotal === null || residentsCovered === null ? null : pct(residentsCovered, residentsTotal),
      ...(residentsTotal === null ? { residentsReason: 'not-imported' as const } : {}),
      accessPoints: aps,
      liveAccessPoints: liveAps,
      unverifiedAccessPoints: this.unverifiedApCount[w]!,
      downAccessPoints: this.downApCount[w]!,
      apsPer1000Residents: residentsTotal !== null && residentsTotal > 0 ? round((1000 * liveAps) / residentsTotal, 4) : null,
    };
  }

  private outside(): OutsideCityFigures {
    const ids: string[] = [];
    for (const e of this.entries.values()) if (e.ward < 0 && e.device.status !== 'retired') ids.push(e.device.id);
    return { accessPoints: this.apCount[this.wards.length]!, liveAccessPoints: this.liveApCount[this.wards.length]!, deviceIds: ids.sort() };
  }

  /** Per-ward change if the given hypothetical changes were made; the engine is not modified. */
  whatIf(changes: ReadonlyArray<WhatIfChange>, options: { layer?: CoverageLayer } = {}): WhatIfResult {
    return whatIfDelta(this.internals(), this, changes, options.layer ?? 'planned');
  }

  /** Uncovered polygons per ward by vector clipping (a count layer), ranked by uncovered residents. */
  gaps(layer: CountLayerName, options: GapOptions = {}): GapReport {
    return computeGaps(this.internals(), this.countLayerEntries(layer), options, this.gapPieceCache(layer));
  }

  /**
   * Cuts the gap pieces `gaps` will need (the wards asked for) ahead of it, a slice of about `sliceMs` at a time with
   * the event loop given back in between (`pause`, `nowMs`: the caller's), so a first call that clips every ward
   * does not hold a server for its whole length. `gaps` afterwards only reads them (or cuts what a device change
   * meanwhile invalidated).
   */
  async prepareGaps(layer: CountLayerName, options: GapSlicing & { wardCodes?: ReadonlyArray<string> | undefined }): Promise<void> {
    assertCountLayer(layer);
    const cache = this.gapPieceCache(layer);
    await fillGapPieces(this.wards, cache, { source: () => gapSource(this.internals(), this.countLayerEntries(layer)), version: () => this.versions[layer] }, options);
  }

  /** A count layer's entries, for gaps (any other layer name is refused). */
  private countLayerEntries(layer: CountLayerName): DeviceEntry[] {
    assertCountLayer(layer);
    return this.layerEntries(layer);
  }

  private gapPieceCache(layer: CountLayerName): Map<number, ProjectedPolygon[]> {
    let cache = this.gapCache.get(layer);
    if (cache === undefined) {
      cache = new Map();
      this.gapCache.set(layer, cache);
    }
    return cache;
  }

  /** The union of a layer's footprints ([lng, lat]), one MultiPolygon per cluster of touching footprints. */
  footprintUnion(layer: CoverageLayer): FeatureCollection<MultiPolygon> {
    this.layerTotals(layer);
    const entries = [...this.entries.values()].filter((e) => entryInLayer(e, layer));
    return footprintUnion(this.internals(), entries);
  }

  /** Changes whenever the layer's coverage may have changed (a device counting in it was added, changed or removed). */
  layerVersion(layer: CoverageLayer): number {
    return this.versions[layer];
  }

  /**
   * The outline of the layer's covered cells (projected metres), simplified to `toleranceM`: the map layer. Kept
   * until a device of the layer changes.
   */
  coverageOutline(layer: CoverageLayer, toleranceM: number): OutlineResult {
    const key = `${layer}:${toleranceM}`;
    const version = this.versions[layer];
    const hit = this.outlineCache.get(key);
    if (hit !== undefined && hit.version === version) return hit.result;
    let tiles: CoveredTiles;
    if (layer === 'expected') {
      const n = new Map<number, Uint16Array>();
      for (const [k, t] of this.expected.tiles) n.set(k, t.n);
      tiles = n;
    } else tiles = this.countLayer(layer).tiles;
    const result = traceCoverageOutline(tiles, this.cellSizeM, { toleranceM });
    this.outlineCache.set(key, { version, result });
    return result;
  }

  /** The engine's entries counting in a layer (read only). */
  layerEntries(layer: CoverageLayer): DeviceEntry[] {
    const out: DeviceEntry[] = [];
    for (const e of this.entries.values()) if (entryInLayer(e, layer)) out.push(e);
    return out;
  }

  /** GeoJSON footprints of a layer ([lng, lat]), one feature per device. */
  footprints(layer: CoverageLayer): FeatureCollection<Polygon> {
    this.layerTotals(layer);
    const features: Array<Feature<Polygon>> = [];
    for (const e of this.entries.values()) {
      if (!entryInLayer(e, layer)) continue;
      features.push({
        type: 'Feature',
        properties: {
          deviceId: e.device.id, siteId: e.device.siteId ?? null, radiusM: round(e.radius?.radiusM ?? 0, 2), radiusSource: e.radius?.source ?? null,
          availability: e.availability, up: e.evidence === 'up', evidence: e.evidence, wardCode: e.ward < 0 ? null : this.wards[e.ward]!.ward.code,
        },
        geometry: unprojectPolygon(this.projection, [e.footprint!.ring]),
      });
    }
    features.sort((a, b) => String(a.properties?.deviceId).localeCompare(String(b.properties?.deviceId)));
    return { type: 'FeatureCollection', features };
  }

  /** Chance that the point is covered in a layer (0/1 for count layers), or null outside every ward. */
  coverageAt(lon: number, lat: number, layer: CoverageLayer): number | null {
    const [x, y] = this.projection.forward(lon, lat);
    const i = Math.floor(x / this.cellSizeM);
    const j = Math.floor(y / this.cellSizeM);
    if (this.owners.ownerAt(i, j) < 0) return null;
    const key = tileKey(i, j);
    const idx = tileIndex(i, j);
    if (layer === 'expected') {
      const s = this.expected.probabilityAt(key, idx);
      return probability(s.certain, s.logSum);
    }
    return this.countLayer(layer).countAt(key, idx) > 0 ? 1 : 0;
  }

  /** @internal */
  internals(): EngineInternals {
    return {
      wards: this.wards, owners: this.owners, cellSizeM: this.cellSizeM, population: this.population, wardResidents: this.wardResidents,
      entries: this.entries, context: this.context, projection: this.projection,
      layerCount: (layer) => this.countLayer(layer), layerExpected: () => this.expected,
    };
  }

  /** @internal Running AP counts, index wards.length = outside the city. */
  apCounts(): { all: Float64Array; live: Float64Array } {
    return { all: this.apCount, live: this.liveApCount };
  }

  /** Ward codes in engine order. */
  wardCodes(): string[] {
    return this.wards.map((w) => w.ward.code);
  }
}

/** City totals: areas from the grid (each place counted once, in one ward), residents summed over the wards. */
function cityTotals(items: WardCoverageFigures[], areaM2: number, covered: number): CityFigures {
  let residents = 0;
  let residentsCovered = 0;
  let missing = 0;
  let aps = 0;
  let live = 0;
  for (const it of items) {
    aps += it.accessPoints;
    live += it.liveAccessPoints;
    if (it.residents === null || it.residentsCovered === null) missing += 1;
    else {
      residents += it.residents;
      residentsCovered += it.residentsCovered;
    }
  }
  return {
    areaM2: round(areaM2, 1), coveredAreaM2: round(covered, 1), coveredPct: pct(covered, areaM2),
    residents: round(residents, 1), residentsCovered: round(residentsCovered, 1),
    residentsCoveredPct: residents > 0 ? pct(residentsCovered, residents) : null,
    partial: missing > 0, wardsWithoutResidents: missing,
    accessPoints: aps, liveAccessPoints: live,
  };
}

/** Whether an entry's footprint counts in a layer. */
export function entryInLayer(entry: DeviceEntry, layer: CoverageLayer): boolean {
  if (entry.footprint === null || !entry.planned) return false;
  if (layer === 'expected') return entry.availability > 0;
  return entry[layer];
}

/** Builds an engine. Devices with a refused spec are kept without a footprint and listed by `issues()`. */
export function createCoverageEngine(wards: ReadonlyArray<CoverageWard>, devices: ReadonlyArray<CoverageDevice>, options: CoverageEngineOptions = {}): CoverageEngine {
  return new CoverageEngine(wards, devices, options);
}

