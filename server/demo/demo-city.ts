/**
 * The demo's generated city, from a seed (pure, deterministic): 16 wards in 4 districts laid over Cilegon's real
 * place on the map, named clearly as samples, with residents; ~120 sites with an access point each (some wards dense,
 * some nearly empty, so gaps show), 4 hotspot gateways, a few planned sites without devices; and how each device
 * behaves (steady, flapping, or down) so incidents appear within the first minute.
 */
import type { Polygon } from 'geojson';
import { seededRandom, randomBetween, type RandomSource } from '../../core/seeded-random.ts';
import { randomPointInWard, syntheticWards } from '../../geo/coverage/synthetic.ts';

export const DEMO_LABEL = 'DEMO - data kota contoh / sample city data';
/**
 * The default city. Seeds 2026 and 6 lay footprints that make polyclip-ts's union throw "Unable to complete output
 * ring" inside geo/coverage gap-pieces.ts (GET /api/v1/gaps answers 500): reported to geo/coverage; 7 does not.
 */
export const DEMO_SEED = 7;

export type DemoBehaviour =
  | { kind: 'steady' }
  | { kind: 'down' }
  | { kind: 'flap'; firstAfterS: number; everyS: number; silentS: number };

export interface DemoDevicePlan {
  key: string;
  name: string;
  role: 'ap' | 'gateway';
  /** How the collector reaches it: SNMP (UniFi or MikroTik access points) or the RouterOS API (gateways). */
  protocol: 'snmp' | 'routeros';
  vendor: 'ubiquiti-unifi' | 'mikrotik';
  radiusM: number;
  clientsBase: number;
  seed: number;
  behaviour: DemoBehaviour;
}

export interface DemoSitePlan {
  name: string;
  lat: number;
  lon: number;
  status: 'live' | 'planned';
  provider: string | null;
  device: DemoDevicePlan | null;
}

export interface DemoCity {
  seed: number;
  /** GeoJSON FeatureCollection text; properties kode, nama, kecamatan. */
  wardsGeoJson: string;
  /** CSV `kode,penduduk`, one line per ward. */
  residentsCsv: string;
  wardCount: number;
  residents: number;
  sites: DemoSitePlan[];
}

export interface DemoCityOptions {
  /** Default DEMO_SEED. */
  seed?: number;
  /** Access-point sites (default 120). */
  accessPoints?: number;
}

const PLACES = ['Balai Warga', 'Masjid', 'Posyandu', 'Taman', 'Sekolah', 'Pasar', 'Puskesmas', 'Lapangan', 'Kantor Kelurahan', 'Terminal', 'Alun-alun', 'Perpustakaan'];
const PROVIDERS = ['ISP Contoh A', 'ISP Contoh B'];
const DISTRICTS = ['Kecamatan Contoh A', 'Kecamatan Contoh B', 'Kecamatan Contoh C', 'Kecamatan Contoh D'];
const COLUMNS = 4;
const ROWS = 4;
const WARD_SIZE_M = 2_300;
/** South-west corner: the sample city sits where Cilegon is (about 106.0 E, 6.0 S). */
const ORIGIN = { lon: 105.99, lat: -6.06 };

function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A point near [lon, lat], up to `spreadM` away. */
function near(random: RandomSource, lon: number, lat: number, spreadM: number): [number, number] {
  const r = spreadM * Math.sqrt(random());
  const a = 2 * Math.PI * random();
  return [lon + (r * Math.cos(a)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (r * Math.sin(a)) / 110_574];
}

export function buildDemoCity(options: DemoCityOptions = {}): DemoCity {
  const seed = options.seed ?? DEMO_SEED;
  const random = seededRandom(seed);
  const wards = syntheticWards(random, { columns: COLUMNS, rows: ROWS, wardSizeM: WARD_SIZE_M, originLon: ORIGIN.lon, originLat: ORIGIN.lat, edgeVertices: 6 });
  const named = wards.map((w, i) => {
    const row = Math.floor(i / COLUMNS);
    const col = i % COLUMNS;
    const district = DISTRICTS[(row >= ROWS / 2 ? 2 : 0) + (col >= COLUMNS / 2 ? 1 : 0)] as string;
    const n = String(i + 1).padStart(2, '0');
    return { ...w, code: `DEMO.${n}`, name: `Kelurahan Contoh ${i + 1}`, district };
  });
  const wardsGeoJson = JSON.stringify({
    type: 'FeatureCollection',
    features: named.map((w) => ({ type: 'Feature', properties: { kode: w.code, nama: w.name, kecamatan: w.district }, geometry: w.geometry as Polygon })),
  });
  const residentsCsv = ['kode,penduduk', ...named.map((w) => `${w.code},${w.population ?? 0}`)].join('\n') + '\n';

  // Dense wards near the middle, thin ones at the edges, two with nothing at all: gaps worth planning.
  const weights = named.map((_, i) => {
    const row = Math.floor(i / COLUMNS);
    const col = i % COLUMNS;
    const central = (row === 1 || row === 2 ? 1 : 0) + (col === 1 || col === 2 ? 1 : 0);
    return (0.3 + central) * randomBetween(random, 0.5, 1.5);
  });
  const empty = [named.length - 1, COLUMNS - 1];
  for (const i of empty) weights[i] = 0;
  const total = weights.reduce((a, b) => a + b, 0);
  const accessPoints = options.accessPoints ?? 120;

  const sites: DemoSitePlan[] = [];
  let apNo = 0;
  const plans: DemoDevicePlan[] = [];
  named.forEach((ward, i) => {
    const count = Math.round((accessPoints * (weights[i] as number)) / total);
    const centres = Array.from({ length: 1 + Math.floor(random() * 3) }, () => randomPointInWard(ward, random));
    for (let k = 0; k < count; k++) {
      const centre = pick(random, centres);
      const [lon, lat] = near(random, centre[0], centre[1], 500);
      apNo++;
      const no = String(apNo).padStart(3, '0');
      const device: DemoDevicePlan = {
        key: `ap-${no}`,
        name: `AP Contoh ${no}`,
        role: 'ap',
        protocol: 'snmp',
        vendor: random() < 0.65 ? 'ubiquiti-unifi' : 'mikrotik',
        radiusM: Math.round(randomBetween(random, 110, 230)),
        clientsBase: Math.round(randomBetween(random, 3, 25)),
        seed: Math.floor(random() * 2 ** 31),
        behaviour: { kind: 'steady' },
      };
      plans.push(device);
      sites.push({ name: `${pick(random, PLACES)} ${ward.name.replace('Kelurahan ', '')} #${k + 1}`, lat, lon, status: 'live', provider: pick(random, PROVIDERS), device });
    }
  });

  // One hotspot gateway per district, at its "kantor kecamatan" (the first ward of the district).
  DISTRICTS.forEach((district, d) => {
    const ward = named.find((w) => w.district === district)!;
    const [lon, lat] = randomPointInWard(ward, random);
    const device: DemoDevicePlan = {
      key: `gw-${d + 1}`,
      name: `Gateway Hotspot ${district.replace('Kecamatan ', '')}`,
      role: 'gateway',
      protocol: 'routeros',
      vendor: 'mikrotik',
      radiusM: 150,
      clientsBase: Math.round(randomBetween(random, 20, 45)),
      seed: Math.floor(random() * 2 ** 31),
      behaviour: { kind: 'steady' },
    };
    plans.push(device);
    sites.push({ name: `Kantor ${district}`, lat, lon, status: 'live', provider: PROVIDERS[0] as string, device });
  });

  // Behaviour: two access points stay down; one in twelve flaps, the first three within the first ten seconds so a
  // newcomer sees incidents open within a minute; one gateway flaps later.
  const aps = plans.filter((p) => p.role === 'ap');
  const order = aps.map((p, i) => ({ p, r: seededRandom(seed + i)() })).sort((a, b) => a.r - b.r).map((x) => x.p);
  order.slice(0, 2).forEach((p) => (p.behaviour = { kind: 'down' }));
  const flappers = order.slice(2, 2 + Math.max(3, Math.round(aps.length / 12)));
  flappers.forEach((p, i) => {
    const firstAfterS = i < 3 ? 3 + i * 3 : Math.round(randomBetween(random, 45, 300));
    p.behaviour = { kind: 'flap', firstAfterS, everyS: Math.round(randomBetween(random, 240, 420)), silentS: Math.round(randomBetween(random, 60, 80)) };
  });
  const gw = plans.find((p) => p.key === 'gw-3');
  if (gw !== undefined) gw.behaviour = { kind: 'flap', firstAfterS: 90, everyS: 480, silentS: 70 };

  // Planned sites without devices, in the two empty wards and a few thin ones: what the planner works on.
  const plannedIn = [...empty, 0, 8, 7];
  plannedIn.forEach((i, k) => {
    const ward = named[i];
    if (ward === undefined) return;
    const [lon, lat] = randomPointInWard(ward, random);
    sites.push({ name: `Rencana ${pick(random, PLACES)} ${ward.name.replace('Kelurahan ', '')} #${k + 1}`, lat, lon, status: 'planned', provider: null, device: null });
  });

  return { seed, wardsGeoJson, residentsCsv, wardCount: named.length, residents: named.reduce((a, w) => a + (w.population ?? 0), 0), sites };
}
