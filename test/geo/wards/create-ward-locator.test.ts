import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon, destination, intersect, featureCollection, pointOnFeature, area, pointToPolygonDistance, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { createWardLocator, parseWardFile } from '../../../geo/wards/index.ts';
import type { ValidWard } from '../../../geo/wards/index.ts';
import { CILEGON_PROPS, readSharedData } from './shared-data.ts';
import { seededRandom as seeded } from '../../../core/seeded-random.ts';

const text = readSharedData('cilegon-kelurahan.geojson');
const { wards } = parseWardFile(text, CILEGON_PROPS);
const source = JSON.parse(text) as { features: Feature<Polygon | MultiPolygon, Record<string, unknown>>[] };


function overlapPoints(list: readonly ValidWard[]): { lon: number; lat: number; codes: string[] }[] {
  const out: { lon: number; lat: number; codes: string[] }[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      if (a.bbox[0] > b.bbox[2] || b.bbox[0] > a.bbox[2] || a.bbox[1] > b.bbox[3] || b.bbox[1] > a.bbox[3]) continue;
      const overlap = intersect(featureCollection([{ type: 'Feature', properties: {}, geometry: a.geometry }, { type: 'Feature', properties: {}, geometry: b.geometry }]));
      if (overlap === null || area(overlap) < 1) continue;
      const p = pointOnFeature(overlap).geometry.coordinates;
      // a point of the overlap at least 5 cm inside both wards (not on an edge within float error)
      const strictlyInside = (w: ValidWard): boolean =>
        booleanPointInPolygon(p, w.geometry, { ignoreBoundary: true }) &&
        Math.abs(pointToPolygonDistance(point(p), { type: 'Feature', properties: {}, geometry: w.geometry }, { units: 'meters' })) > 0.05;
      if (strictlyInside(a) && strictlyInside(b)) out.push({ lon: p[0]!, lat: p[1]!, codes: [a.code, b.code] });
    }
  }
  return out;
}

describe('createWardLocator on the Cilegon wards', () => {
  const locator = createWardLocator(wards);

  it('puts every source centroid in its own ward', () => {
    for (const f of source.features) {
      expect(locator.locate(Number(f.properties['centroid_lng']), Number(f.properties['centroid_lat']))).toBe(f.properties['kode']);
    }
  });

  it('agrees with turf point-in-polygon on 3,000 seeded random points inside exactly one ward', () => {
    const random = seeded(42);
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      const lon = 105.92 + random() * 0.17;
      const lat = -6.081 + random() * 0.205;
      const containing = wards.filter((w) => booleanPointInPolygon([lon, lat], w.geometry));
      const found = locator.locateDetailed(lon, lat);
      if (containing.length === 1) {
        checked++;
        expect(found?.code).toBe(containing[0]!.code);
        expect(found?.match).toBe('inside');
      } else if (containing.length === 0 && found !== null) {
        expect(found.match).toBe('near');
        expect(found.boundaryDistanceM).toBeLessThanOrEqual(25);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('answers a point in an overlap sliver with the ward it lies deepest in, whatever the input order', () => {
    const slivers = overlapPoints(wards);
    expect(slivers.length).toBeGreaterThan(0);
    console.log(`ward locator: ${slivers.length} overlap slivers probed`);
    const reversed = createWardLocator([...wards].reverse());
    for (const s of slivers) {
      const found = locator.locateDetailed(s.lon, s.lat);
      expect(found?.match).toBe('overlap');
      expect(s.codes).toContain(found!.code);
      expect(reversed.locate(s.lon, s.lat)).toBe(found!.code);
      const depthM = (code: string): number =>
        Math.abs(pointToPolygonDistance(point([s.lon, s.lat]), { type: 'Feature', properties: {}, geometry: wards.find((w) => w.code === code)!.geometry }, { units: 'meters' }));
      const [a, b] = s.codes.map(depthM) as [number, number];
      const expected = Math.abs(a - b) < 0.01 ? [...s.codes].sort()[0] : a > b ? s.codes[0] : s.codes[1];
      expect(found!.code).toBe(expected);
    }
  });

  it('gives a point 10 m off the westernmost shore to that ward, 100 m off to none', () => {
    let best: { lng: number; lat: number; code: string } | null = null;
    for (const w of wards) {
      const polys = w.geometry.type === 'Polygon' ? [w.geometry.coordinates] : w.geometry.coordinates;
      for (const poly of polys) for (const [lng, lat] of poly[0]!) if (best === null || lng! < best.lng) best = { lng: lng!, lat: lat!, code: w.code };
    }
    const off = (metres: number): [number, number] => destination([best!.lng, best!.lat], metres, 270, { units: 'meters' }).geometry.coordinates as [number, number];
    const near = locator.locateDetailed(...off(10));
    expect(near).toEqual({ code: best!.code, match: 'near', boundaryDistanceM: expect.closeTo(10, 0) });
    expect(locator.locate(...off(100))).toBeNull();
    expect(createWardLocator(wards, { toleranceM: 0 }).locate(...off(10))).toBeNull();
    expect(createWardLocator(wards, { toleranceM: 150 }).locate(...off(100))).toBe(best!.code);
  });

  it('answers null far away, for non-finite input and with no wards', () => {
    expect(locator.locate(0, 0)).toBeNull();
    expect(locator.locate(Number.NaN, -6)).toBeNull();
    expect(createWardLocator([]).locate(106, -6)).toBeNull();
  });

  it('is several times faster than testing every ward with turf, with the same answers inside single wards', () => {
    const random = seeded(7);
    const points = Array.from({ length: 20_000 }, () => [105.92 + random() * 0.17, -6.081 + random() * 0.205] as [number, number]);
    let started = performance.now();
    const fast = points.map(([lon, lat]) => locator.locateDetailed(lon, lat));
    const locatorMs = performance.now() - started;
    started = performance.now();
    const slow = points.map((p) => wards.filter((w) => booleanPointInPolygon(p, w.geometry)).map((w) => w.code));
    const turfMs = performance.now() - started;
    console.log(`ward locator: 20,000 points in ${locatorMs.toFixed(0)} ms; every ward with turf: ${turfMs.toFixed(0)} ms (${(turfMs / locatorMs).toFixed(1)}x)`);
    slow.forEach((codes, i) => {
      if (codes.length === 1 && fast[i]?.match === 'inside') expect(fast[i]?.code).toBe(codes[0]);
    });
    expect(turfMs / locatorMs).toBeGreaterThan(2);
  });
});
