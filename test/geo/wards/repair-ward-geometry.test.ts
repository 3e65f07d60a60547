/**
 * Ward repair (geo/wards/repair-ward-geometry.ts) and the one area figure (geo/wards/ward-area.ts): spikes, repeated
 * points and crossings are repaired within the area tolerance and described; what cannot be repaired so is refused
 * by name; the Banten file (one published ring with a spike) validates with repair and names the repair.
 */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../core/errors.ts';
import { ellipsoidalAreaM2, parseWardFile, repairWardGeometry, validateWardCollection } from '../../../geo/wards/index.ts';
import { readSharedData } from '../../helpers/shared-data.ts';

/** A ward of roughly 1.1 x 1.1 km near Cilegon, as a closed ring. */
function square(lon0 = 106.0, lat0 = -6.0, size = 0.01): number[][] {
  return [[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size], [lon0, lat0]];
}

function withSpikeAtCorner(ring: number[][], spikeLenDeg: number): number[][] {
  // From the top-right corner a spike runs back down along the right edge and returns: the ring touches itself.
  const [a, b, c, d, e] = ring as [number[], number[], number[], number[], number[]];
  return [a, b, c, [c[0]!, c[1]! - spikeLenDeg], c, d, e];
}

function fileOf(rings: number[][][][]): unknown {
  return {
    type: 'FeatureCollection',
    features: rings.map((coordinates, i) => ({ type: 'Feature', properties: { kode: `T.${String(i).padStart(3, '0')}`, nama: `Ward ${i}`, kecamatan: 'Test' }, geometry: { type: 'Polygon', coordinates } })),
  };
}

const PROPS = { codeProp: 'kode', nameProp: 'nama', districtProp: 'kecamatan' };

describe('repairWardGeometry', () => {
  it('removes a 0.1 m spike that makes the ring touch itself, keeping the area, and says where', () => {
    const g: Polygon = { type: 'Polygon', coordinates: [withSpikeAtCorner(square(), 0.1 / 110_574)] };
    const r = repairWardGeometry(g);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.repair.actions).toHaveLength(1);
    expect(r.repair.actions[0]).toMatch(/outer ring: removed a spike 0\.10 m long at \[106\.01, -5\.99/);
    expect(r.repair.areaAfterM2).toBeCloseTo(r.repair.areaBeforeM2, 0);
    expect(r.geometry).toEqual({ type: 'Polygon', coordinates: [square()] });
  });

  it('removes repeated points and a spike that crosses an edge', () => {
    const ring = square();
    // Repeated corner, then a spike from the top edge that pokes 0.5 m out through the bottom-left part and back.
    const crossing = [ring[0]!, ring[0]!, ring[1]!, ring[2]!, [106.005, -5.99], [106.005, -6.0000045], [106.005, -5.99], ring[3]!, ring[4]!];
    const r = repairWardGeometry({ type: 'Polygon', coordinates: [crossing] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.repair.actions.join(' | ')).toMatch(/removed 1 repeated point/);
    expect(r.repair.actions.join(' | ')).toMatch(/removed a spike/);
    expect(Math.abs(r.repair.areaAfterM2 - ellipsoidalAreaM2({ type: 'Polygon', coordinates: [square()] }))).toBeLessThan(1);
  });

  it('rebuilds a ring with a small twist as the polygons it encloses, within the tolerance', () => {
    const ring = square();
    // A 44 m x 3 m twist in the top edge: two of its segments cross, making two small lobes of opposite turn.
    const loop = [ring[0]!, ring[1]!, ring[2]!, [106.0052, -5.99], [106.0048, -5.98997], [106.0052, -5.98997], [106.0048, -5.99], ring[3]!, ring[4]!];
    const r = repairWardGeometry({ type: 'Polygon', coordinates: [loop] });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.repair.actions.join(' | ')).toMatch(/crosses itself near .*rebuilt as the simple polygons it encloses/);
    expect(Math.abs(r.repair.areaAfterM2 - r.repair.areaBeforeM2)).toBeLessThan(0.001 * r.repair.areaBeforeM2);
  });

  it('refuses a bow-tie: rebuilding it changes the area far more than the tolerance', () => {
    const bow = { type: 'Polygon' as const, coordinates: [[[106, -6], [106.01, -5.99], [106.01, -6], [106, -5.99], [106, -6]]] };
    const r = repairWardGeometry(bow);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/would change its area from 0 m2 to 61\d{4} m2 .* more than the tolerance of 0\.1 %/);
    // With a tolerance that allows it, the same repair is accepted.
    expect(repairWardGeometry({ type: 'Polygon', coordinates: [[[106, -6], [106.01, -5.99], [106.01, -6], [106.0002, -5.99], [106, -6]]] }, { pct: 5 }).ok).toBe(false);
  });
});

describe('ward import with repair', () => {
  it('one 0.1 m spike refuses the whole file without repair, and imports it with repair, listing the repair', () => {
    const rings = Array.from({ length: 196 }, (_, i) => [square(106.0 + (i % 14) * 0.011, -6.0 + Math.floor(i / 14) * 0.011)]);
    rings[77] = [withSpikeAtCorner(rings[77]![0]!, 0.1 / 110_574)];
    const input = fileOf(rings);
    try {
      validateWardCollection(input, PROPS);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.details?.map((d) => d.path)).toEqual(['features[77] (code T.077)']);
    }
    const r = validateWardCollection(input, PROPS, { repair: {} });
    expect(r.wards).toHaveLength(196);
    expect(r.repairs).toHaveLength(1);
    expect(r.repairs[0]).toMatchObject({ feature: 77, code: 'T.077', name: 'Ward 77' });
    expect(r.repairs[0]!.actions[0]).toMatch(/removed a spike/);
  });

  it('refuses, by name, what cannot be repaired within the tolerance, and imports nothing', () => {
    const rings = [[square()], [[[106.02, -6], [106.03, -5.99], [106.03, -6], [106.02, -5.99], [106.02, -6]]]];
    try {
      validateWardCollection(fileOf(rings), PROPS, { repair: {} });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e)).toBe(true);
      if (!isAppError(e)) return;
      expect(e.details).toHaveLength(1);
      expect(e.details![0]!.path).toBe('features[1] (code T.001)');
      expect(e.details![0]!.message).toMatch(/intersects itself near .*cannot be repaired: the repair would change its area/);
    }
  });

  it('Banten (1,552 villages): refused as published, imported with repair, naming the one ring that crosses itself', () => {
    const text = readSharedData('banten-desa.geojson');
    expect(() => parseWardFile(text, PROPS)).toThrow(/36\.73\.05\.1005/);
    const r = parseWardFile(text, PROPS, { repair: {} });
    expect(r.wards).toHaveLength(1552);
    expect(r.repairs.map((x) => x.code)).toEqual(['36.73.05.1005']);
    const rep = r.repairs[0]!;
    expect(rep.name).toBe('Banjarsari');
    expect(rep.actions.join(' | ')).toMatch(/removed a spike 340 m long at \[106\.18421, -6\.1289012\]/);
    // PostGIS gives 6,517,929.7 m2 for the published ring (ST_Area(geography)); the repair keeps it.
    expect(Math.abs(rep.areaBeforeM2 - 6_517_929.7)).toBeLessThan(1);
    expect(Math.abs(rep.areaAfterM2 - rep.areaBeforeM2)).toBeLessThan(1);
  });
});
