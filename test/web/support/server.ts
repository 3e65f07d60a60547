/**
 * The real Node server on an ephemeral loopback port with a fresh SQLite database, seeded through its own API:
 * the 43 Cilegon wards, their residents, sites at ward centroids and one access point per site.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer } from '../../../server/start-node.ts';
import { readSharedData } from '../../helpers/shared-data.ts';

export const ADMIN = { email: 'admin@jangkau.test', password: 'correct-horse-battery-staple' };

export interface RunningServer {
  baseUrl: string;
  close(): Promise<void>;
  /** Calls the API as a signed-in browser of this origin would. */
  call(method: string, path: string, init?: { json?: unknown; body?: string; contentType?: string; cookie?: string }): Promise<Response>;
  signIn(email: string, password: string): Promise<string>;
  adminCookie: string;
  /** Whether the server serves this route now (from its OpenAPI document). */
  hasRoute(method: string, template: string): Promise<boolean>;
}

export async function startSeededServer(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-web-'));
  const running = await startNodeServer([], {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'j.db'),
    JANGKAU_DATA_DIR: dir,
    JANGKAU_ADMIN_EMAIL: ADMIN.email,
    JANGKAU_ADMIN_PASSWORD: ADMIN.password,
    LOG_QUIET: 'true',
    JANGKAU_DEMO: 'false',
    JANGKAU_COLLECT: 'false',
  });
  const baseUrl = `http://127.0.0.1:${running.port}`;
  let adminCookie = '';
  const call: RunningServer['call'] = (method, path, init = {}) => {
    const headers: Record<string, string> = { origin: baseUrl, cookie: init.cookie ?? adminCookie };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body !== undefined) {
      headers['content-type'] = init.contentType ?? 'text/plain';
      body = init.body;
    }
    return fetch(baseUrl + path, { method, headers, ...(body === undefined ? {} : { body }) });
  };
  const signIn = async (email: string, password: string): Promise<string> => {
    const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl }, body: JSON.stringify({ email, password }) });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  };
  adminCookie = await signIn(ADMIN.email, ADMIN.password);
  let paths: Set<string> | null = null;
  const hasRoute = async (method: string, template: string): Promise<boolean> => {
    if (paths === null) {
      const doc = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      paths = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    }
    return paths.has(`${method.toUpperCase()} ${template}`);
  };
  return {
    baseUrl,
    call,
    signIn,
    hasRoute,
    get adminCookie() {
      return adminCookie;
    },
    close: async () => {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Seeded {
  wards: number;
  sites: { id: string; name: string }[];
  devices: { id: string; name: string }[];
}

/** Wards + residents + one site and one AP per ward centroid (43 of each). */
export async function seedCity(s: RunningServer): Promise<Seeded> {
  const geojson = readSharedData('cilegon-kelurahan.geojson');
  const wardsRes = await s.call('POST', '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan', { body: geojson, contentType: 'application/geo+json' });
  if (!wardsRes.ok) throw new Error(`ward import failed: ${wardsRes.status} ${await wardsRes.text()}`);
  const population = readSharedData('cilegon-kecamatan-population.csv');
  const res = await s.call('POST', '/api/v1/wards/residents?by=district&keyColumn=kecamatan&valueColumn=population_2025s1', { body: population, contentType: 'text/csv' });
  if (!res.ok) throw new Error(`residents import failed: ${res.status} ${await res.text()}`);
  const fc = JSON.parse(geojson) as { features: { properties: { nama: string; centroid_lat: number; centroid_lng: number } }[] };
  const rows = ['name,lat,lon,status,provider,contractedMbps'];
  fc.features.forEach((f, i) => {
    const status = i % 5 === 4 ? 'planned' : 'live';
    rows.push(`Balai ${f.properties.nama},${f.properties.centroid_lat.toFixed(6)},${f.properties.centroid_lng.toFixed(6)},${status},Telkom,50`);
  });
  const sitesRes = await s.call('POST', '/api/v1/sites/import', { body: rows.join('\n'), contentType: 'text/csv' });
  if (!sitesRes.ok) throw new Error(`site import failed: ${sitesRes.status} ${await sitesRes.text()}`);
  const sites = ((await (await s.call('GET', '/api/v1/sites?limit=1000')).json()) as { items: { id: string; name: string }[] }).items;
  const devRows = ['name,role,address,siteId,vendor,snmpCommunity,snmpPort,radiusM'];
  sites.forEach((site, i) => devRows.push(`AP ${site.name.replace(/^Balai /, '')},ap,127.0.0.1,${site.id},mikrotik,public,${20000 + i},120`));
  const devRes = await s.call('POST', '/api/v1/devices/import', { body: devRows.join('\n'), contentType: 'text/csv' });
  if (!devRes.ok) throw new Error(`device import failed: ${devRes.status} ${await devRes.text()}`);
  const devices = ((await (await s.call('GET', '/api/v1/devices?limit=1000')).json()) as { items: { id: string; name: string }[] }).items;
  return { wards: fc.features.length, sites, devices };
}

/**
 * Three hours of poll results through the real ingest route, as a collector would send them: most access points
 * up with clients and traffic, two down with an open incident, one degraded. Skipped when ingest is not served.
 */
export async function seedActivity(s: RunningServer, devices: readonly { id: string }[], options: { nowMs: number }): Promise<{ down: string[]; degraded: string[] } | null> {
  if (!(await s.hasRoute('POST', '/api/v1/ingest'))) return null;
  const stepMs = 10 * 60_000;
  const start = options.nowMs - 3 * 3_600_000;
  const down = devices.slice(0, 2).map((d) => d.id);
  const degraded = devices.slice(2, 3).map((d) => d.id);
  const items: unknown[] = [];
  const events: unknown[] = [];
  devices.forEach((d, i) => {
    const failFrom = down.includes(d.id) ? options.nowMs - 40 * 60_000 : Infinity;
    events.push({ type: 'status_changed', deviceId: d.id, atMs: start, detectedAtMs: start, from: 'unknown', to: 'up' });
    let octets = 1_000_000n * BigInt(i + 1);
    for (let t = start, k = 0; t <= options.nowMs - 60_000; t += stepMs, k++) {
      if (t >= failFrom) {
        items.push({ ok: false, deviceId: d.id, startedAtMs: t, durationMs: 3000, error: { kind: 'timeout', message: 'no answer from 127.0.0.1 within 3000 ms' } });
        continue;
      }
      // A daily-looking wave of users, different for each access point.
      const clients = Math.max(0, Math.round(8 + 6 * Math.sin((k + i) / 3) + (i % 5)));
      octets += BigInt(clients) * 45_000_000n;
      items.push({
        ok: true,
        deviceId: d.id,
        startedAtMs: t,
        durationMs: 40 + (i % 7) * 5,
        system: { uptimeS: 86_400 + (t - start) / 1000, descr: 'RouterOS RB952Ui-5ac2nD', objectId: null, name: `ap-${i}`, version: '7.18', cpuLoadPct: 12, memFreeBytes: 20_000_000 },
        // The bridge carries the radio's bytes again (issue 11): its role is virtual and the totals leave it out.
        interfaces: [
          { index: 1, name: 'wlan1', operUp: true, inOctets: octets.toString(), outOctets: (octets / 4n).toString(), counterBits: 64, speedBps: null },
          { index: 2, name: 'bridge1', operUp: true, inOctets: octets.toString(), outOctets: (octets / 4n).toString(), counterBits: 64, speedBps: null },
        ],
        ssids: [{ ssid: 'Cilegon-Free-WiFi', radio: 'wlan1', clients }],
        stations: [],
        hotspotActive: [],
        clients,
      });
    }
    if (down.includes(d.id)) {
      events.push({ type: 'status_changed', deviceId: d.id, atMs: failFrom, detectedAtMs: failFrom + 3 * stepMs, from: 'up', to: 'down' });
      events.push({ type: 'incident_opened', deviceId: d.id, incidentId: `${d.id}@${failFrom}`, startedAtMs: failFrom, detectedAtMs: failFrom + 3 * stepMs, cause: { kind: 'timeout', message: 'no answer within 3000 ms' } });
    }
    if (degraded.includes(d.id)) {
      events.push({ type: 'status_changed', deviceId: d.id, atMs: options.nowMs - 20 * 60_000, detectedAtMs: options.nowMs - 20 * 60_000, from: 'up', to: 'degraded' });
    }
  });
  const batch = { collectorId: 'web-test', batchId: `web-test-${options.nowMs}`, createdAtMs: options.nowMs, items, events };
  const res = await s.call('POST', '/api/v1/ingest', { body: JSON.stringify(batch), contentType: 'application/json' });
  if (!res.ok) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  return { down, degraded };
}
