import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { area } from '@turf/turf';
import type { CoverageWard } from '../../../geo/coverage/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');

function sharedFile(name: string): string {
  const file = path.join(sharedData, name);
  if (!existsSync(file)) throw new Error(`missing ${file}: the repo must be checked out beside shared/ (expected ../shared/data/${name})`);
  return file;
}

/**
 * The 43 Cilegon kelurahan with residents from the kecamatan CSV spread over each kecamatan's kelurahan by area
 * (no per-kelurahan figures exist; see shared/data/SOURCES.md).
 */
export function cilegonWards(): CoverageWard[] {
  const fc = JSON.parse(readFileSync(sharedFile('cilegon-kelurahan.geojson'), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const csv = readFileSync(sharedFile('cilegon-kecamatan-population.csv'), 'utf8').trim().split('\n').slice(1);
  const byDistrict = new Map(csv.map((line) => {
    const [code, , count] = line.split(',');
    return [code!, Number(count)] as const;
  }));
  const districtArea = new Map<string, number>();
  const areas = fc.features.map((f: Feature<Polygon | MultiPolygon>) => area(f));
  fc.features.forEach((f, i) => {
    const d = String(f.properties?.['kode_kecamatan']);
    districtArea.set(d, (districtArea.get(d) ?? 0) + areas[i]!);
  });
  return fc.features.map((f, i) => {
    const d = String(f.properties?.['kode_kecamatan']);
    const residents = byDistrict.get(d);
    return {
      code: String(f.properties?.['kode']),
      name: String(f.properties?.['nama']),
      district: String(f.properties?.['kecamatan']),
      geometry: f.geometry,
      population: residents === undefined ? null : Math.round((residents * areas[i]!) / districtArea.get(d)!),
    };
  });
}
