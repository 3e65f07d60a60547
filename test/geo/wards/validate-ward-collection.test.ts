import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { AppError } from '../../../core/errors.ts';
import { parseWardFile, validateWardCollection } from '../../../geo/wards/index.ts';
import { CILEGON_PROPS, readSharedData } from './shared-data.ts';

const text = readSharedData('cilegon-kelurahan.geojson');
type WardFeature = Feature<Polygon | MultiPolygon, Record<string, unknown>>;
const fresh = (): FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>> => JSON.parse(text);

function rejection(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the input to be rejected');
}

function mapPositions(feature: WardFeature, fn: (p: Position) => Position): void {
  const g = feature.geometry;
  if (g.type === 'Polygon') g.coordinates = g.coordinates.map((ring) => ring.map(fn));
  else g.coordinates = g.coordinates.map((poly) => poly.map((ring) => ring.map(fn)));
}

function outerRing(feature: WardFeature): Position[] {
  const g = feature.geometry;
  return g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!;
}

function pathsOf(error: AppError): string[] {
  return (error.details ?? []).map((d) => d.path);
}

describe('validateWardCollection on the Cilegon kelurahan file', () => {
  it('accepts 43 wards in 8 districts with an ellipsoidal area of about 162.5 km2', () => {
    const { wards } = parseWardFile(text, CILEGON_PROPS);
    expect(wards).toHaveLength(43);
    expect(new Set(wards.map((w) => w.code)).size).toBe(43);
    expect(new Set(wards.map((w) => w.district)).size).toBe(8);
    const totalKm2 = wards.reduce((sum, w) => sum + w.areaM2, 0) / 1e6;
    expect(totalKm2).toBeGreaterThan(163.2 * 0.99);
    expect(totalKm2).toBeLessThan(163.2 * 1.01);
    expect(wards.filter((w) => w.geometry.type === 'MultiPolygon').map((w) => w.name).sort()).toEqual(
      ['Gunung Sugih', 'Lebakgede', 'Mekarsari', 'Tamansari', 'Tegal Ratu'].sort(),
    );
    const source = fresh();
    for (const ward of wards) {
      const feature = source.features.find((f) => f.properties['kode'] === ward.code)!;
      expect(ward.name).toBe(feature.properties['nama']);
      expect(ward.district).toBe(feature.properties['kecamatan']);
      // The file's area_km2 is turf's (a sphere); on the WGS84 ellipsoid areas at 6 deg S are 0.433 % smaller.
      expect(Math.abs(ward.areaM2 / 1e6 / Number(feature.properties['area_km2']) - 0.99567)).toBeLessThan(0.0005);
      const [minLng, minLat, maxLng, maxLat] = ward.bbox;
      for (const [lng, lat] of outerRing(feature)) {
        expect(lng! >= minLng && lng! <= maxLng && lat! >= minLat && lat! <= maxLat).toBe(true);
      }
    }
  });

  it('accepts codes given as numbers and trims text properties', () => {
    const fc = fresh();
    fc.features[0]!.properties['kode_compact'] = 3672011001;
    fc.features[0]!.properties['nama'] = '  Cibeber  ';
    const { wards } = validateWardCollection(fc, { ...CILEGON_PROPS, codeProp: 'kode_compact' });
    expect(wards[0]!.code).toBe('3672011001');
    expect(wards[0]!.name).toBe('Cibeber');
  });
});

describe('validateWardCollection rejects bad input, naming each feature and fault', () => {
  it('refuses text that is not JSON', () => {
    const error = rejection(() => parseWardFile(text.slice(0, 500), CILEGON_PROPS));
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/not JSON/);
  });

  it('refuses a Feature, a bare geometry, an array and a collection without features', () => {
    const fc = fresh();
    expect(rejection(() => validateWardCollection(fc.features[0], CILEGON_PROPS)).message).toMatch(/FeatureCollection.*got a Feature.*wrap/);
    expect(rejection(() => validateWardCollection(fc.features[0]!.geometry, CILEGON_PROPS)).message).toMatch(/got a Polygon/);
    expect(rejection(() => validateWardCollection(fc.features, CILEGON_PROPS)).message).toMatch(/got an array/);
    expect(rejection(() => validateWardCollection({ type: 'FeatureCollection', features: [] }, CILEGON_PROPS)).message).toMatch(/no features/);
    expect(rejection(() => validateWardCollection({ type: 'FeatureCollection' }, CILEGON_PROPS)).message).toMatch(/no "features" array/);
  });

  it('refuses the whole file with every pair swapped to [lat, lng], naming all 43 features', () => {
    const fc = fresh();
    for (const f of fc.features) mapPositions(f, ([a, b]) => [b!, a!]);
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(error.code).toBe('validation_failed');
    expect(new Set(pathsOf(error)).size).toBe(43);
    expect(pathsOf(error)).toContain('features[0] (code 36.72.01.1001)');
    for (const d of error.details!) expect(d.message).toMatch(/outside the valid range.*\[lat, lng\] order/);
  });

  it('spots one feature swapped even when the swapped values stay inside the valid range', () => {
    // Move the city to lng ~6 so that a swapped feature (lng ~-6, lat ~6) is still in range.
    const fc = fresh();
    for (const f of fc.features) mapPositions(f, ([lng, lat]) => [lng! - 100, lat!]);
    expect(validateWardCollection(fc, CILEGON_PROPS).wards).toHaveLength(43);
    mapPositions(fc.features[12]!, ([a, b]) => [b!, a!]);
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(pathsOf(error)).toEqual([`features[12] (code ${fc.features[12]!.properties['kode']})`]);
    expect(error.details![0]!.message).toMatch(/\[lat, lng\] order/);
  });

  it('spots a whole file swapped inside the valid range when given the expected area', () => {
    const fc = fresh();
    for (const f of fc.features) mapPositions(f, ([lng, lat]) => [lat!, lng! - 100]);
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS, { areaOfInterest: [-6, -10, 10, 0] }));
    expect(new Set(pathsOf(error)).size).toBe(43);
    expect(error.details![0]!.message).toMatch(/\[lat, lng\] order/);
  });

  it('names a feature far from the rest', () => {
    const fc = fresh();
    mapPositions(fc.features[5]!, ([lng, lat]) => [lng! + 3, lat!]);
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(pathsOf(error)).toEqual([`features[5] (code ${fc.features[5]!.properties['kode']})`]);
    expect(error.details![0]!.message).toMatch(/\d+ km from the rest/);
  });

  it('names points and lines', () => {
    const fc = fresh() as unknown as FeatureCollection;
    fc.features[2]!.geometry = { type: 'Point', coordinates: [106.05, -6.0] };
    fc.features[4]!.geometry = { type: 'LineString', coordinates: [[106.05, -6.0], [106.06, -6.01]] };
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(pathsOf(error)).toEqual(['features[2] (code 36.72.01.1003)', 'features[4] (code 36.72.01.1005)']);
    expect(error.details![0]!.message).toMatch(/Point \(points\).*Polygon and MultiPolygon/);
    expect(error.details![1]!.message).toMatch(/LineString \(lines\)/);
  });

  it('names an unclosed ring, a ring of 3 positions and a bow-tie ring', () => {
    const fc = fresh();
    outerRing(fc.features[1]!).pop();
    const short = fc.features[3]!.geometry as Polygon;
    short.coordinates = [[[106.0, -6.0], [106.01, -6.0], [106.0, -6.0]]];
    const bowTie = fc.features[6]!.geometry as Polygon;
    bowTie.coordinates = [[[106.0, -6.0], [106.01, -6.01], [106.01, -6.0], [106.0, -6.01], [106.0, -6.0]]];
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(error.details).toMatchObject([
      { path: 'features[1] (code 36.72.01.1002)', message: expect.stringMatching(/outer ring is not closed: it starts at \[106\.\d+, -6\.\d+\] and ends at/) },
      { path: 'features[3] (code 36.72.01.1004)', message: 'outer ring has 3 positions; a closed ring needs at least 4' },
      { path: 'features[6] (code 36.72.02.1001)', message: expect.stringMatching(/outer ring intersects itself near \[106\.005, -6\.005\]/) },
    ]);
  });

  it('names a self-intersection inside one part of a MultiPolygon', () => {
    const fc = fresh();
    const index = fc.features.findIndex((f) => f.geometry.type === 'MultiPolygon');
    const g = fc.features[index]!.geometry as MultiPolygon;
    const ring = g.coordinates[1]![0]!;
    // a figure eight over the part's own extent
    const lngs = ring.map((p) => p[0]!);
    const lats = ring.map((p) => p[1]!);
    const [w, e, s, n] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
    g.coordinates[1]![0] = [[w, s], [e, n], [e, s], [w, n], [w, s]];
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(error.details![0]!.path).toBe(`features[${index}] (code ${fc.features[index]!.properties['kode']})`);
    expect(error.details![0]!.message).toMatch(/polygon 1 outer ring intersects itself/);
  });

  it('names both features that share a code, and features without code, name or district', () => {
    const fc = fresh();
    fc.features[9]!.properties['kode'] = fc.features[8]!.properties['kode'];
    delete fc.features[20]!.properties['kode'];
    fc.features[21]!.properties['nama'] = '';
    fc.features[22]!.properties['kecamatan'] = null;
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    const code = String(fc.features[8]!.properties['kode']);
    expect(error.details).toMatchObject([
      { path: `features[8] (code ${code})`, message: `duplicate code "${code}", also used by features[9]` },
      { path: `features[9] (code ${code})`, message: `duplicate code "${code}", also used by features[8]` },
      { path: 'features[20]', message: 'property "kode" (the ward code) is missing or empty' },
      { path: `features[21] (code ${fc.features[21]!.properties['kode']})`, message: 'property "nama" (the ward name) is missing or empty' },
      { path: `features[22] (code ${fc.features[22]!.properties['kode']})`, message: 'property "kecamatan" (the district) is missing or empty' },
    ]);
    expect(error.message).toMatch(/5 faults in 5 of 43 features/);
  });

  it('names non-finite and non-numeric coordinates', () => {
    const fc = fresh();
    outerRing(fc.features[0]!)[3] = [Number.NaN, -6];
    (outerRing(fc.features[1]!) as unknown[])[2] = ['106.07', '-6.02'];
    outerRing(fc.features[2]!)[1] = [Infinity, -6];
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect(pathsOf(error)).toEqual(['features[0] (code 36.72.01.1001)', 'features[1] (code 36.72.01.1002)', 'features[2] (code 36.72.01.1003)']);
    for (const d of error.details!) expect(d.message).toMatch(/1 position is not finite numbers/);
  });

  it('names every faulty feature at once when several kinds of fault are mixed', () => {
    const fc = fresh() as unknown as FeatureCollection<Polygon, Record<string, unknown>>;
    (fc.features[3] as unknown as Feature).geometry = { type: 'Point', coordinates: [106.05, -6.0] };
    fc.features[7]!.geometry.coordinates[0]!.pop();
    fc.features[11]!.properties['kode'] = fc.features[30]!.properties['kode'];
    mapPositions(fc.features[40]! as WardFeature, ([a, b]) => [b!, a!]);
    const error = rejection(() => validateWardCollection(fc, CILEGON_PROPS));
    expect([...new Set(pathsOf(error).map((p) => p.replace(/ .*/, '')))]).toEqual(['features[3]', 'features[7]', 'features[11]', 'features[30]', 'features[40]']);
  });

  it('refuses files over the feature or vertex limit as too large', () => {
    expect(rejection(() => parseWardFile(text, CILEGON_PROPS, { maxFeatures: 40 })).code).toBe('payload_too_large');
    expect(rejection(() => parseWardFile(text, CILEGON_PROPS, { maxVertices: 4000 })).message).toMatch(/4323 vertices/);
    expect(rejection(() => parseWardFile(text, CILEGON_PROPS, { maxBytes: 1000 })).code).toBe('payload_too_large');
  });

  it('checks a 50,000-vertex ring for self-intersection quickly', () => {
    const ring: Position[] = [];
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const t = (2 * Math.PI * i) / n;
      ring.push([106 + 0.05 * Math.cos(t), -6 + 0.05 * Math.sin(t)]);
    }
    ring.push(ring[0]!);
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kode: 'x', nama: 'x', kecamatan: 'x' }, geometry: { type: 'Polygon', coordinates: [ring] } }] };
    const started = performance.now();
    expect(validateWardCollection(fc, CILEGON_PROPS).wards).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
