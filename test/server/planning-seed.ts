/**
 * Shared seeding of the planning, KPI and report tests: Cilegon wards with district residents imported through the
 * API, a seeded set of live sites each with one access point reported up through the collectors' ingest route,
 * and random points that lie inside a ward (for candidates and reports).
 */
import { expect } from 'vitest';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { seededRandom } from '../../geo/coverage/index.ts';
import { createWardLocator } from '../../geo/wards/index.ts';
import type { TestApp } from '../helpers/app.ts';
import { readSharedData } from '../helpers/shared-data.ts';

export const CITY_BBOX = { lon0: 105.925, lon1: 106.085, lat0: -6.078, lat1: -5.878 } as const;

export interface Seeded {
  admin: string;
  token: string;
  deviceIds: string[];
  devicesByWard: Map<string, string[]>;
  siteIds: string[];
}

export async function seedWards(t: TestApp, admin: string): Promise<void> {
  const w = await t.call('POST', '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan', {
    as: admin, body: readSharedData('cilegon-kelurahan.geojson'), contentType: 'application/geo+json',
  });
  expect(w.status, await w.clone().text()).toBeLessThan(300);
  const r = await t.call('POST', '/api/v1/wards/residents?by=district&keyColumn=kecamatan&valueColumn=population_2025s1', {
    as: admin, body: readSharedData('cilegon-kecamatan-population.csv'), contentType: 'text/csv',
  });
  expect(r.status, await r.clone().text()).toBeLessThan(300);
}

/** Random points inside wards (exactly inside a polygon, not just near one), reproducible from the seed. */
export function cityPoints(count: number, seed: number): Array<{ lon: number; lat: number; wardCode: string }> {
  const fc = JSON.parse(readSharedData('cilegon-kelurahan.geojson')) as FeatureCollection<Polygon | MultiPolygon, { kode: string }>;
  const locator = createWardLocator(fc.features.map((f) => {
    const coords = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat(2);
    const xs = coords.map((p) => p[0]!);
    const ys = coords.map((p) => p[1]!);
    return { code: f.properties.kode, geometry: f.geometry, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const };
  }));
  const rnd = seededRandom(seed);
  const out: Array<{ lon: number; lat: number; wardCode: string }> = [];
  while (out.length < count) {
    const lon = CITY_BBOX.lon0 + rnd() * (CITY_BBOX.lon1 - CITY_BBOX.lon0);
    const lat = CITY_BBOX.lat0 + rnd() * (CITY_BBOX.lat1 - CITY_BBOX.lat0);
    const loc = locator.locateDetailed(lon, lat);
    if (loc !== null && loc.match === 'inside' && loc.boundaryDistanceM > 30) out.push({ lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, wardCode: loc.code });
  }
  return out;
}

/** Live sites with one access point each, reported up a minute ago. Providers alternate between two names. */
export async function seedLiveSites(t: TestApp, admin: string, count: number, seed: number): Promise<Seeded> {
  const token = ((await (await t.call('POST', '/api/v1/auth/tokens', { as: admin, json: { name: 'collector' } })).json()) as { token: string }).token;
  const devicesByWard = new Map<string, string[]>();
  const deviceIds: string[] = [];
  const siteIds: string[] = [];
  const rnd = seededRandom(seed + 1);
  const points = cityPoints(count, seed);
  for (const [i, p] of points.entries()) {
    const site = (await (await t.call('POST', '/api/v1/sites', {
      as: admin, json: { name: `Titik ${i}`, lat: p.lat, lon: p.lon, status: 'live', provider: i % 2 === 0 ? 'NetA' : 'NetB', contractedMbps: i % 3 === 0 ? 30 : 100 },
    })).json()) as { id: string; wardCode: string | null };
    const dev = (await (await t.call('POST', '/api/v1/devices', {
      as: admin, json: { siteId: site.id, name: `AP ${i}`, role: 'ap', address: `127.0.${Math.floor(i / 200)}.${(i % 200) + 1}`, coverage: { radiusM: 60 + Math.round(rnd() * 140) } },
    })).json()) as { id: string };
    siteIds.push(site.id);
    deviceIds.push(dev.id);
    if (site.wardCode !== null) devicesByWard.set(site.wardCode, [...(devicesByWard.get(site.wardCode) ?? []), dev.id]);
  }
  await ingestStatus(t, token, deviceIds.map((id) => ({ id, to: 'up', atMs: t.clock.nowMs() - 60_000 })));
  return { admin, token, deviceIds, devicesByWard, siteIds };
}

export async function ingestStatus(t: TestApp, token: string, events: Array<{ id: string; to: 'up' | 'down'; atMs: number }>): Promise<void> {
  const now = t.clock.nowMs();
  const res = await t.app.request('http://localhost/api/v1/ingest', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      collectorId: 'test', batchId: `b-${now}-${Math.random().toString(36).slice(2)}`, createdAtMs: now, items: [],
      events: events.map((e) => ({ type: 'status_changed', deviceId: e.id, atMs: e.atMs, detectedAtMs: e.atMs, from: e.to === 'up' ? 'unknown' : 'up', to: e.to })),
    }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

export function candidatesCsv(points: ReadonlyArray<{ lon: number; lat: number }>, options: { costEvery?: number } = {}): string {
  const kinds = ['ward-office', 'school', 'mosque', 'health-post', 'park', 'other'];
  const lines = ['name,lat,lon,kind,cost,feasible'];
  points.forEach((p, i) => {
    const cost = options.costEvery !== undefined && i % options.costEvery === 0 ? '' : String(10 + (i % 7) * 5);
    lines.push(`Kandidat ${i},${p.lat},${p.lon},${kinds[i % kinds.length]},${cost},${i % 25 === 24 ? 'no' : 'yes'}`);
  });
  return lines.join('\n') + '\n';
}
