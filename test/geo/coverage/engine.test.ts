import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.ts';
import { createCoverageEngine, seededRandom, type CoverageDevice, type CoverageEngine, type CoverageWard, type WardFiguresResult } from '../../../geo/coverage/index.ts';
import { createProjection, polygonArea } from '../../../geo/coverage/projection.ts';
import { seededDevices } from '../../../geo/coverage/synthetic.ts';
import { createWardLocator } from '../../../geo/wards/index.ts';
import { cilegonWards } from './cilegon.ts';

let wards: CoverageWard[];
let devices: CoverageDevice[];
let engine: CoverageEngine;

beforeAll(() => {
  wards = cilegonWards();
  devices = seededDevices(wards, 300, seededRandom(7), { radiusMinM: 60, radiusMaxM: 200 });
  engine = createCoverageEngine(wards, devices);
});

function comparable(result: WardFiguresResult): unknown {
  return result.items.map((w) => ({ code: w.code, covered: Math.round(w.coveredAreaM2), residents: Math.round(w.residentsCovered ?? -1), live: w.liveAccessPoints, aps: w.accessPoints }));
}

describe('coverage engine on the Cilegon wards', () => {
  it('answers one item per ward with the documented fields, residents spread uniformly', () => {
    const f = engine.wardFigures('planned');
    expect(f.items).toHaveLength(43);
    expect(f.populationSource).toBe('uniform');
    for (const w of f.items) {
      expect(w.coveredAreaM2).toBeGreaterThanOrEqual(0);
      expect(w.coveredAreaM2).toBeLessThanOrEqual(w.areaM2);
      expect(Math.abs(w.residentsCovered! - (w.residents! * w.coveredAreaM2) / w.areaM2)).toBeLessThan(0.2);
    }
    expect(f.city.residents).toBeCloseTo(483_015, -1);
    expect(f.city.accessPoints + f.outsideCity.accessPoints).toBe(300);
  });

  it('grid figures are within 0.5% of the vector figures on the same footprints', () => {
    const grid = engine.wardFigures('planned');
    const vector = engine.gaps('planned', { minAreaM2: 0 });
    let gridTotal = 0;
    let vectorTotal = 0;
    grid.items.forEach((g, i) => {
      const v = vector.wards[i]!;
      expect(v.code).toBe(g.code);
      gridTotal += g.coveredAreaM2;
      vectorTotal += v.coveredAreaM2;
      expect(Math.abs(g.areaM2 - v.areaM2) / v.areaM2).toBeLessThan(0.005);
      expect(v.coveredAreaM2).toBeGreaterThan(0);
      expect(Math.abs(g.coveredAreaM2 - v.coveredAreaM2) / v.coveredAreaM2).toBeLessThan(0.005);
      expect(Math.abs(g.coveredAreaM2 - v.coveredAreaM2) / v.areaM2).toBeLessThan(0.005);
    });
    expect(Math.abs(gridTotal - vectorTotal) / vectorTotal).toBeLessThan(0.001);
  });

  it('never counts the overlap slivers of neighbouring wards twice', () => {
    const f = engine.wardFigures('planned');
    // Source file (turf, sphere): the 43 polygons sum to 163.2 km2, their union is 163.18 km2. On the WGS84
    // ellipsoid (what PostGIS geography measures) areas at 6 deg S are 0.43% smaller: union 162.47 km2.
    expect(f.city.areaM2 / 1e6).toBeCloseTo(162.47, 1);
    const own = createCoverageEngine(wards, []).gaps('planned', { minAreaM2: 0 }).wards.reduce((s, w) => s + w.areaM2, 0);
    expect(Math.abs(f.city.areaM2 - own) / own).toBeLessThan(0.001);
    const doubled = createCoverageEngine([wards[0]!, { ...wards[0]!, code: 'copy' }], [{ id: 'a', lon: 106.0676, lat: -6.0331, spec: { radiusM: 300 }, up: true }]);
    const d = doubled.wardFigures('live');
    // Each ward's area is its own polygon's; the copy owns no grid cell, so the city counts the place once.
    expect(d.items[1]!.areaM2).toBe(d.items[0]!.areaM2);
    expect(d.items[1]!.coveredPct).toBe(0);
    expect(Math.abs(d.city.areaM2 - d.items[0]!.areaM2) / d.items[0]!.areaM2).toBeLessThan(0.001);
    expect(Math.abs(d.city.coveredAreaM2 - d.items[0]!.coveredAreaM2) / d.items[0]!.coveredAreaM2).toBeLessThan(0.001);
  });

  it('updates incrementally to exactly what a rebuild gives', () => {
    const live = createCoverageEngine(wards, devices);
    const changed = devices.map((d) => ({ ...d }));
    changed[0] = { ...changed[0]!, up: false };
    changed[1] = { ...changed[1]!, lon: changed[1]!.lon! + 0.003, lat: changed[1]!.lat! - 0.002 };
    changed[2] = { ...changed[2]!, availability: 0.5 };
    live.upsertDevice(changed[0]!);
    live.upsertDevice(changed[1]!);
    live.setDeviceState(changed[2]!.id, { availability: 0.5 });
    live.removeDevice(changed[3]!.id);
    changed.splice(3, 1);
    const rebuilt = createCoverageEngine(wards, changed);
    for (const layer of ['planned', 'live', 'reliable'] as const) expect(comparable(live.wardFigures(layer))).toEqual(comparable(rebuilt.wardFigures(layer)));
    const a = live.wardFigures('expected').items;
    const b = rebuilt.wardFigures('expected').items;
    a.forEach((w, i) => expect(w.coveredAreaM2).toBeCloseTo(b[i]!.coveredAreaM2, 0));
  });

  it('what-if reports the per-ward change without touching the base', () => {
    const before = JSON.stringify(engine.wardFigures('planned'));
    const target = wards.find((w) => w.name === 'Tamansari') ?? wards[0]!;
    const extra: CoverageDevice = { id: 'what-if-1', lon: 106.0, lat: -5.95, spec: { radiusM: 150 }, up: true };
    const result = engine.whatIf([{ op: 'add', device: extra }, { op: 'remove', id: devices[5]!.id }, { op: 'move', id: devices[6]!.id, lon: devices[6]!.lon! + 0.002, lat: devices[6]!.lat! }]);
    expect(JSON.stringify(engine.wardFigures('planned'))).toBe(before);
    const applied = createCoverageEngine(wards, [...devices.filter((d) => d.id !== devices[5]!.id).map((d) => (d.id === devices[6]!.id ? { ...d, lon: d.lon! + 0.002 } : d)), extra]);
    const after = applied.wardFigures('planned');
    expect(result.items.length).toBeGreaterThan(0);
    for (const item of result.items) {
      const truth = after.items.find((w) => w.code === item.code)!;
      expect(item.after.coveredAreaM2).toBeCloseTo(truth.coveredAreaM2, 0);
      expect(item.after.accessPoints).toBe(truth.accessPoints);
    }
    const untouched = after.items.filter((w) => !result.items.some((i) => i.code === w.code));
    const base = JSON.parse(before) as WardFiguresResult;
    for (const w of untouched) expect(w.coveredAreaM2).toBe(base.items.find((b) => b.code === w.code)!.coveredAreaM2);
    expect(target.code).toBeTruthy();
  });

  it('stopping every device that reaches a ward drops its live coverage to 0 and puts it first among gaps', () => {
    const top = [...engine.wardFigures('planned').items].sort((a, b) => b.residents! - a.residents!)[0]!;
    const e = createCoverageEngine(wards, devices);
    for (const fp of e.footprints('live').features) {
      if (fp.properties?.['wardCode'] === top.code || e.whatIf([{ op: 'remove', id: String(fp.properties?.['deviceId']) }], { layer: 'live' }).items.some((i) => i.code === top.code)) {
        e.setDeviceState(String(fp.properties?.['deviceId']), { up: false });
      }
    }
    const ward = e.wardFigures('live').items.find((w) => w.code === top.code)!;
    expect(ward.coveredAreaM2).toBe(0);
    expect(ward.liveAccessPoints).toBe(0);
    const gaps = e.gaps('live', { limit: 10 });
    expect(gaps.items).toHaveLength(10);
    expect(gaps.items[0]!.wardCode).toBe(top.code);
    expect(gaps.items[0]!.residents).toBeCloseTo(top.residents!, -1);
    const [lon, lat] = gaps.items[0]!.centroid;
    expect(lon).toBeGreaterThan(105.9);
    expect(lat).toBeLessThan(-5.8);
  });

  it('counts devices without a location or outside every ward under "outside the city"', () => {
    const e = createCoverageEngine(wards, [
      { id: 'nowhere', lon: null, lat: null, spec: { radiusM: 100 }, up: true },
      { id: 'at-sea', lon: 105.80, lat: -6.0, spec: { radiusM: 100 }, up: true },
      { id: 'nan', lon: Number.NaN, lat: -6.0, spec: { radiusM: 100 }, up: false },
    ]);
    const f = e.wardFigures('live');
    expect(f.outsideCity).toEqual({ accessPoints: 3, liveAccessPoints: 2, deviceIds: ['at-sea', 'nan', 'nowhere'] });
    expect(f.city.coveredAreaM2).toBe(0);
    expect(e.warnings().map((w) => w.deviceId).sort()).toEqual(['at-sea', 'nan', 'nowhere']);
  });

  it('keeps a device with a refused radius as data, and refuses it on a single upsert', () => {
    const e = createCoverageEngine(wards, [{ id: 'bad', lon: 106.05, lat: -6.0, spec: { radiusM: -3 }, up: true }]);
    expect(e.issues()).toEqual([{ deviceId: 'bad', code: 'validation_failed', message: expect.stringMatching(/radiusM must be > 0/) }]);
    expect(e.wardFigures('planned').city.accessPoints).toBe(1);
    let caught: unknown;
    try {
      e.upsertDevice({ id: 'bad2', lon: 106.05, lat: -6.0, spec: { radiusM: Number.NaN } });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code === 'validation_failed').toBe(true);
    expect(e.wardFigures('planned').city.accessPoints).toBe(1);
  });

  it('layers: live needs up, reliable needs availability >= SLA, expected multiplies the misses', () => {
    const at: [number, number] = [106.0450, -6.0100];
    const e = createCoverageEngine(wards, [
      { id: 'a', lon: at[0], lat: at[1], spec: { radiusM: 100 }, up: true, availability: 0.9 },
      { id: 'b', lon: at[0], lat: at[1], spec: { radiusM: 100 }, up: false, availability: 0.5 },
    ]);
    expect(e.coverageAt(at[0], at[1], 'planned')).toBe(1);
    expect(e.coverageAt(at[0], at[1], 'live')).toBe(1);
    expect(e.coverageAt(at[0], at[1], 'reliable')).toBe(0);
    expect(e.coverageAt(at[0], at[1], 'expected')).toBeCloseTo(1 - 0.1 * 0.5, 6); // per-cell log sums are Float32
    const p = e.wardFigures('planned').city.coveredAreaM2;
    expect(Math.abs(p - Math.PI * 1e4) / (Math.PI * 1e4)).toBeLessThan(0.01);
    expect(e.wardFigures('expected').city.coveredAreaM2).toBeCloseTo(0.95 * p, -1);
    expect(createCoverageEngine(wards, [{ id: 'a', lon: at[0], lat: at[1], spec: {}, up: true, availability: 0.99 }]).coverageAt(at[0], at[1], 'reliable')).toBe(1);
  });

  it('uses a population grid when one is given, and says so', () => {
    const at: [number, number] = [106.0450, -6.0100];
    const population = {
      type: 'FeatureCollection' as const,
      features: [
        { type: 'Feature' as const, properties: { count: 120 }, geometry: { type: 'Point' as const, coordinates: [at[0] + 0.0003, at[1]] } },
        { type: 'Feature' as const, properties: { count: 80 }, geometry: { type: 'Point' as const, coordinates: [at[0] + 0.01, at[1]] } },
      ],
    };
    const e = createCoverageEngine(wards, [{ id: 'a', lon: at[0], lat: at[1], spec: { radiusM: 100 }, up: true }], { population });
    const f = e.wardFigures('live');
    expect(f.populationSource).toBe('population-grid');
    expect(f.city.residents).toBeCloseTo(200, 6);
    expect(f.city.residentsCovered).toBeCloseTo(120, 6);
    const gap = e.gaps('live').items[0]!;
    expect(gap.residents).toBeCloseTo(80, 6);
  });

  it('returns the union of a layer as GeoJSON, one feature per cluster of touching footprints', () => {
    const e = createCoverageEngine(wards, [
      { id: 'a', lon: 106.0450, lat: -6.0100, spec: { radiusM: 100 }, up: true },
      { id: 'b', lon: 106.0460, lat: -6.0100, spec: { radiusM: 100 }, up: true },
      { id: 'c', lon: 106.0600, lat: -6.0300, spec: { radiusM: 80 }, up: false },
    ]);
    const live = e.footprintUnion('live');
    expect(live.features).toHaveLength(1);
    expect(live.features[0]!.properties?.['footprints']).toBe(2);
    const unionM2 = Number(live.features[0]!.properties?.['areaM2']);
    expect(unionM2).toBeLessThan(2 * Math.PI * 1e4);
    expect(Math.abs(unionM2 - e.wardFigures('live').city.coveredAreaM2) / unionM2).toBeLessThan(0.005);
    expect(e.footprintUnion('planned').features).toHaveLength(2);
  });

  it('recomputes gap shapes only where a device changed, with the same result as from scratch', () => {
    const e = createCoverageEngine(wards, devices);
    e.gaps('live');
    const moved = { ...devices[10]!, lon: devices[10]!.lon! + 0.004, lat: devices[10]!.lat! + 0.001 };
    e.upsertDevice(moved);
    e.setDeviceState(devices[11]!.id, { up: !devices[11]!.up });
    const incremental = e.gaps('live', { limit: 25 });
    const fresh = createCoverageEngine(wards, devices.map((d) => (d.id === moved.id ? moved : d.id === devices[11]!.id ? { ...d, up: !d.up } : d))).gaps('live', { limit: 25 });
    expect(incremental.wards).toEqual(fresh.wards);
    expect(incremental.items.map((g) => [g.wardCode, g.areaM2, g.residents])).toEqual(fresh.items.map((g) => [g.wardCode, g.areaM2, g.residents]));
  });

  it('spreads a population polygon evenly over its cells', () => {
    const [lon, lat] = [106.0450, -6.0100];
    const d = 0.0045; // ~500 m half-side
    const square = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]];
    const population = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { people: 1000 }, geometry: { type: 'Polygon' as const, coordinates: [square] } }] };
    const e = createCoverageEngine(wards, [{ id: 'a', lon, lat, spec: { radiusM: 150 }, up: true }], { population, populationOptions: { countProperty: 'people' } });
    const f = e.wardFigures('live');
    expect(f.city.residents).toBeCloseTo(1000, 3);
    const projection = createProjection(lon, lat);
    const squareM2 = polygonArea([square.map(([x, y]) => projection.forward(x!, y!))]);
    const share = (Math.PI * 150 * 150) / squareM2;
    expect(Math.abs(f.city.residentsCovered! - 1000 * share) / (1000 * share)).toBeLessThan(0.01);
  });

  it('traces the map layer from the grid: the unsimplified outline holds exactly the covered cells, and is kept until the layer changes', () => {
    const e = createCoverageEngine(wards, devices);
    const f = e.wardFigures('planned');
    const exact = e.coverageOutline('planned', 0);
    const area = exact.polygons.reduce((s, p) => s + polygonArea(p), 0);
    // Each cell belongs to one ward, so the outline's area is the city's covered cells, to the square metre.
    expect(Math.abs(area - f.city.coveredAreaM2)).toBeLessThan(1);
    // Holes go into their outer ring: every ring after the first of a polygon turns clockwise.
    for (const p of exact.polygons) p.slice(1).forEach((hole) => expect(polygonArea([hole])).toBeGreaterThan(0));
    const simple = e.coverageOutline('planned', 5);
    const vertices = (r: typeof simple): number => r.polygons.reduce((s, p) => s + p.reduce((a, ring) => a + ring.length, 0), 0);
    expect(vertices(simple)).toBeLessThan(vertices(exact) / 3);
    expect(Math.abs(simple.polygons.reduce((s, p) => s + polygonArea(p), 0) - area) / area).toBeLessThan(0.01);
    // Kept while nothing changes; a device of the layer moving invalidates it, a change elsewhere does not.
    expect(e.coverageOutline('planned', 5)).toBe(simple);
    const v = e.layerVersion('planned');
    e.upsertDevice({ ...devices[3]!, lon: devices[3]!.lon! + 0.001 });
    expect(e.layerVersion('planned')).toBeGreaterThan(v);
    expect(e.coverageOutline('planned', 5)).not.toBe(simple);
  });

  it('one ward rule: a device 7 m outside a ward belongs to it, as a site there does (geo/wards locator)', () => {
    const square = [[106.0, -6.0], [106.01, -6.0], [106.01, -5.99], [106.0, -5.99], [106.0, -6.0]];
    const ward: CoverageWard = { code: 'Q.1', name: 'Q', district: 'D', population: 1000, geometry: { type: 'Polygon', coordinates: [square] } };
    const sevenMetresEast = 106.01 + 7 / (111_320 * Math.cos((5.995 * Math.PI) / 180));
    const farEast = 106.01 + 40 / (111_320 * Math.cos((5.995 * Math.PI) / 180));
    const e = createCoverageEngine([ward], [
      { id: 'near', lon: sevenMetresEast, lat: -5.995, spec: { radiusM: 50 }, up: true },
      { id: 'far', lon: farEast, lat: -5.995, spec: { radiusM: 50 }, up: true },
    ]);
    const locator = createWardLocator([{ code: 'Q.1', geometry: ward.geometry, bbox: [106.0, -6.0, 106.01, -5.99] }]);
    const byId = new Map(e.footprints('planned').features.map((f) => [f.properties?.['deviceId'], f.properties?.['wardCode']]));
    expect(byId.get('near')).toBe(locator.locate(sevenMetresEast, -5.995));
    expect(byId.get('near')).toBe('Q.1');
    expect(byId.get('far')).toBe(locator.locate(farEast, -5.995));
    expect(byId.get('far')).toBeNull();
    expect(e.wardFigures('planned').outsideCity.deviceIds).toEqual(['far']);
  });
});
