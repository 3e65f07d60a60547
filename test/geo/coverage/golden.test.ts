import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { COVERAGE_LAYERS, createCoverageEngine, type CoverageDevice, type CoverageWard, type WardFiguresResult } from '../../../geo/coverage/index.ts';
import { createProjection, polygonArea } from '../../../geo/coverage/projection.ts';
import { cilegonWards } from './cilegon.ts';

/**
 * Golden fixtures: fixtures/in/<name>.geojson -> fixtures/out/<name>.geojson. Each output holds its input features
 * plus footprints, gaps and the figures, so it opens in any GeoJSON viewer. Regenerate with REGEN=1.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const inDir = path.join(here, 'fixtures/in');
const outDir = path.join(here, 'fixtures/out');
const regen = process.env['REGEN'] === '1';

interface FixtureInput extends FeatureCollection<Geometry | null> {
  description: string;
  options: { cellSizeM?: number; capRadiusM?: number; devicePerPartRadiusM?: number };
}

function load(name: string): { input: FixtureInput; wards: CoverageWard[]; devices: CoverageDevice[] } {
  const input = JSON.parse(readFileSync(path.join(inDir, `${name}.geojson`), 'utf8')) as FixtureInput;
  const wards: CoverageWard[] = [];
  const devices: CoverageDevice[] = [];
  const refs = input.features.filter((f) => f.properties?.['kind'] === 'ward-ref').map((f) => String(f.properties?.['code']));
  if (refs.length > 0) {
    const all = cilegonWards();
    for (const code of refs) {
      const ward = all.find((w) => w.code === code);
      if (ward === undefined) throw new Error(`ward ${code} is not in the Cilegon file`);
      wards.push(ward);
      const parts = ward.geometry.type === 'Polygon' ? [ward.geometry.coordinates] : ward.geometry.coordinates;
      parts.forEach((rings, k) => {
        const outer = rings[0]!.slice(0, -1);
        const lon = outer.reduce((s, p) => s + p[0]!, 0) / outer.length;
        const lat = outer.reduce((s, p) => s + p[1]!, 0) / outer.length;
        devices.push({ id: `${code}-part-${k}`, lon, lat, up: true, spec: { radiusM: input.options.devicePerPartRadiusM ?? 80 } });
      });
    }
  }
  for (const f of input.features) {
    const p = f.properties ?? {};
    if (p['kind'] === 'ward') {
      wards.push({ code: p['code'], name: p['name'], district: p['district'], population: p['population'] ?? null, geometry: f.geometry as Polygon | MultiPolygon });
    } else if (p['kind'] === 'device') {
      const point = f.geometry?.type === 'Point' ? f.geometry.coordinates : null;
      devices.push({ id: p['id'], lon: point?.[0] ?? null, lat: point?.[1] ?? null, spec: p['spec'] ?? null, up: p['up'], availability: p['availability'], status: p['status'] });
    }
  }
  return { input, wards, devices };
}

function run(name: string): { output: FeatureCollection<Geometry | null>; figures: Record<string, WardFiguresResult>; wards: CoverageWard[]; devices: CoverageDevice[] } {
  const { input, wards, devices } = load(name);
  const engine = createCoverageEngine(wards, devices, {
    ...(input.options.cellSizeM === undefined ? {} : { cellSizeM: input.options.cellSizeM }),
    ...(input.options.capRadiusM === undefined ? {} : { capRadiusM: input.options.capRadiusM }),
  });
  const figures = Object.fromEntries(COVERAGE_LAYERS.map((layer) => [layer, engine.wardFigures(layer)])) as Record<string, WardFiguresResult>;
  const gaps = engine.gaps('planned', { minAreaM2: 50 });
  const fromShared = input.features.some((f) => f.properties?.['kind'] === 'ward-ref');
  const features: Array<Feature<Geometry | null>> = [
    ...input.features,
    ...(fromShared ? devices.map((d): Feature<Geometry> => ({ type: 'Feature', properties: { kind: 'device', id: d.id, spec: d.spec }, geometry: { type: 'Point', coordinates: [d.lon!, d.lat!] } })) : []),
    ...engine.footprints('planned').features.map((f) => ({ ...f, properties: { kind: 'footprint', ...f.properties, fill: '#2b8cbe', 'fill-opacity': 0.3 } })),
    ...gaps.items.map((g): Feature<Geometry | null> => ({
      type: 'Feature',
      properties: { kind: 'gap', wardCode: g.wardCode, areaM2: g.areaM2, residents: g.residents, centroid: g.centroid, fill: '#e34a33', 'fill-opacity': 0.4 },
      // Gaps of the shared Cilegon wards would copy their geometry into the repo: keep only the figures.
      geometry: fromShared ? null : g.geometry,
    })),
  ];
  const output = {
    type: 'FeatureCollection' as const,
    description: input.description,
    figures,
    gapSummary: gaps.wards,
    issues: engine.issues(),
    warnings: engine.warnings(),
    features,
  };
  return { output, figures, wards, devices };
}

const names = readdirSync(inDir).filter((f) => f.endsWith('.geojson')).map((f) => f.replace(/\.geojson$/, '')).sort();

describe('golden coverage fixtures', () => {
  it('has the degenerate cases', () => {
    expect(names).toEqual(expect.arrayContaining(['border-crossing', 'sea-edge', 'full-cover', 'identical-footprints', 'island-ward', 'cilegon-islands', 'bad-input']));
  });

  for (const name of names) {
    it(`${name}: output matches fixtures/out/${name}.geojson`, () => {
      const { output } = run(name);
      const file = path.join(outDir, `${name}.geojson`);
      const text = `${JSON.stringify(output, null, 1)}\n`;
      if (regen) writeFileSync(file, text);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(text));
    });
  }
});

const circle = (r: number): number => Math.PI * r * r;
const near = (value: number, expected: number, relative: number): void => {
  expect(Math.abs(value - expected) / expected).toBeLessThan(relative);
};

describe('what the fixtures must show', () => {
  it('border-crossing: each ward gets half, the city counts the circle once', () => {
    const { figures } = run('border-crossing');
    const [west, east] = figures['planned']!.items;
    near(west!.coveredAreaM2, circle(150) / 2, 0.01);
    near(east!.coveredAreaM2, circle(150) / 2, 0.01);
    near(figures['planned']!.city.coveredAreaM2, circle(150), 0.005);
    expect(west!.accessPoints + east!.accessPoints).toBe(1);
  });

  it('sea-edge: only the half on land counts', () => {
    const { figures } = run('sea-edge');
    near(figures['planned']!.items[0]!.coveredAreaM2, circle(200) / 2, 0.01);
  });

  it('full-cover: the small ward is 100% covered and has no gap', () => {
    const { figures, output } = run('full-cover');
    expect(figures['planned']!.items[0]!.coveredPct).toBe(100);
    expect(output.features.filter((f) => f.properties?.['kind'] === 'gap' && f.properties['wardCode'] === 'F.1')).toHaveLength(0);
  });

  it('identical-footprints: area once, expected 0.95 of it, reliable none', () => {
    const { figures } = run('identical-footprints');
    const planned = figures['planned']!.city.coveredAreaM2;
    near(planned, circle(120), 0.005);
    near(figures['expected']!.city.coveredAreaM2, 0.95 * planned, 1e-6);
    expect(figures['reliable']!.city.coveredAreaM2).toBe(0);
    expect(figures['live']!.city.coveredAreaM2).toBe(planned);
  });

  it('island-ward: the lake is not ward area, the island is', () => {
    const { figures } = run('island-ward');
    const w = figures['planned']!.items[0]!;
    const projection = createProjection(106, -6);
    const lakeM2 = polygonArea([[[106.003, -6.006], [106.006, -6.006], [106.006, -6.003], [106.003, -6.003]].map(([x, y]) => projection.forward(x!, y!))]);
    // The 250 m footprint holds the whole 332 m lake square (half-diagonal 235 m); the 100 m one sits inside the island.
    near(w.coveredAreaM2, circle(250) - lakeM2 + circle(100), 0.005);
    near(w.areaM2, polygonArea([[[106, -6.009], [106.009, -6.009], [106.009, -6], [106, -6]].map(([x, y]) => projection.forward(x!, y!))]) - lakeM2
      + polygonArea([[[106.012, -6.004], [106.014, -6.004], [106.014, -6.002], [106.012, -6.002]].map(([x, y]) => projection.forward(x!, y!))]), 0.002);
  });

  it('cilegon-islands: footprints on each part of the MultiPolygon wards count for their ward', () => {
    const { figures, devices } = run('cilegon-islands');
    const planned = figures['planned']!;
    expect(planned.city.accessPoints + planned.outsideCity.accessPoints).toBe(devices.length);
    for (const w of planned.items) expect(w.coveredAreaM2).toBeGreaterThan(0);
  });

  it('bad-input: no location and at sea are outside the city, the negative radius is an issue, the huge one capped', () => {
    const { output, figures } = run('bad-input');
    const o = output as unknown as { issues: Array<{ deviceId: string }>; warnings: Array<{ deviceId: string; warnings: string[] }> };
    expect(figures['planned']!.outsideCity.deviceIds).toEqual(['at-sea', 'no-location']);
    expect(o.issues.map((i) => i.deviceId)).toEqual(['negative']);
    expect(o.warnings.find((w) => w.deviceId === 'huge')!.warnings.join()).toMatch(/capped at 400 m/);
    expect(figures['planned']!.items[0]!.accessPoints).toBe(3); // negative, huge, sector; retired is left out
    expect(figures['live']!.items[0]!.liveAccessPoints).toBe(2);
  });
});
