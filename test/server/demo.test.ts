/**
 * `npm start` on an empty database: the demo city on its own database file, polled for real by the in-process
 * collector over loopback, with incidents inside a minute; the configured database stays empty; the demo can be
 * turned off; a real database with data never starts it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../server/start-node.ts';
import { openSqlite } from '../../server/db/connect-node.ts';
import { createSnmpClient } from '../../collectors/snmp/index.ts';
import pg from 'pg';
import { PG_URL } from '../helpers/db.ts';

const ADMIN = { email: 'admin@demo.test', password: 'demo-test-password-123' };
const dirs: string[] = [];

function freshEnv(extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-demo-'));
  dirs.push(dir);
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    JANGKAU_DATA_DIR: dir,
    DATABASE_URL: join(dir, 'jangkau.db'),
    JANGKAU_ADMIN_EMAIL: ADMIN.email,
    JANGKAU_ADMIN_PASSWORD: ADMIN.password,
    LOG_QUIET: 'true',
    ...extra,
  };
}

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(ADMIN) });
  expect(res.status).toBe(200);
  return /jangkau_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
}

async function getJson<T>(base: string, path: string, cookie = ''): Promise<T> {
  const res = await fetch(base + path, { headers: { cookie } });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}

/** Wards and devices in a SQLite file, read with the app's own query builder. */
async function inventoryOf(file: string): Promise<{ wards: number; devices: number }> {
  const h = openSqlite(file);
  try {
    const w = await h.db.selectFrom('wards').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const d = await h.db.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { wards: Number(w.n), devices: Number(d.n) };
  } finally {
    await h.close();
  }
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the demo city on a fresh machine', () => {
  it('runs on its own database, shows devices up and down and incidents within a minute, leaves the real database empty, and stops its fleet on close', async () => {
    const env = freshEnv();
    // The operator's real database exists (migrated, one admin) but holds no ward and no device.
    const first = await startNodeServer(['--no-demo'], { ...env, JANGKAU_COLLECT: 'false' });
    await first.close();

    const t0 = Date.now();
    const s: RunningServer = await startNodeServer([], env);
    const base = `http://127.0.0.1:${s.port}`;
    let snmpTarget: { host: string; port: number } | null = null;
    try {
      const demo = await getJson<{ enabled: boolean; label: string; devices: number; wards: number }>(base, '/api/v1/demo');
      expect(demo.enabled).toBe(true);
      expect(demo.label).toMatch(/DEMO/);
      expect(existsSync(join(env.JANGKAU_DATA_DIR!, 'demo.db'))).toBe(true);
      const cookie = await signIn(base);

      const wards = await getJson<{ items: { code: string; name: string; population: number | null }[]; total: number }>(base, '/api/v1/wards?limit=100', cookie);
      expect(wards.total).toBe(demo.wards);
      expect(wards.total).toBeGreaterThanOrEqual(12);
      expect(wards.items.every((w) => (w.population ?? 0) > 0 && /Contoh/.test(w.name))).toBe(true);

      const devices = await getJson<{ items: { address: string; snmp: { port: number } | null }[]; total: number }>(base, '/api/v1/devices?limit=1000', cookie);
      expect(devices.total).toBe(demo.devices);
      expect(devices.total).toBeGreaterThanOrEqual(80);
      expect(devices.items.every((d) => d.address.startsWith('127.77.'))).toBe(true);
      const snmpDevice = devices.items.find((d) => d.snmp !== null)!;
      snmpTarget = { host: snmpDevice.address, port: snmpDevice.snmp!.port };

      // Live: the real collector polls the simulated fleet; some devices come up, one at least goes down.
      let up = 0;
      let down = 0;
      let incidents = 0;
      let firstIncidentS: number | null = null;
      while (Date.now() - t0 < 60_000) {
        const status = await getJson<{ items: { state: string; clients: number | null }[] }>(base, '/api/v1/status', cookie);
        up = status.items.filter((i) => i.state === 'up').length;
        down = status.items.filter((i) => i.state === 'down').length;
        incidents = (await getJson<{ items: unknown[] }>(base, '/api/v1/incidents?limit=50', cookie)).items.length;
        if (incidents > 0 && firstIncidentS === null) firstIncidentS = (Date.now() - t0) / 1000;
        if (up > devices.total / 2 && (down > 0 || incidents > 0)) break;
        await new Promise((r) => setTimeout(r, 2000));
      }
      console.log(`demo: ${up} up, ${down} down, ${incidents} incidents after ${((Date.now() - t0) / 1000).toFixed(1)} s (first incident at ${firstIncidentS ?? '-'} s)`);
      expect(up).toBeGreaterThan(devices.total / 2);
      expect(down + incidents).toBeGreaterThan(0);

      // Coverage and gaps are meaningful: some of the city is covered, not all of it.
      const coverage = await getJson<{ items: { coveredPct: number; residents: number | null }[] }>(base, '/api/v1/coverage/wards?layer=live', cookie);
      expect(coverage.items.some((w) => w.coveredPct > 0)).toBe(true);
      expect(coverage.items.some((w) => w.coveredPct < 50)).toBe(true);
      const gaps = await getJson<{ items: unknown[] }>(base, '/api/v1/gaps?limit=5', cookie);
      expect(gaps.items.length).toBeGreaterThan(0);
      const hotspots = await getJson<{ items: { state: string }[] }>(base, '/api/v1/public/hotspots');
      expect(hotspots.items.some((h) => h.state === 'up')).toBe(true);
      expect(hotspots.items.some((h) => h.state === 'planned')).toBe(true);
    } finally {
      await s.close();
    }

    // Nothing of the demo reached the configured database.
    expect(await inventoryOf(env.DATABASE_URL!)).toEqual({ wards: 0, devices: 0 });
    // The simulators are gone with the server.
    const client = createSnmpClient({ timeoutMs: 300, retries: 0, maxInFlight: 4 });
    try {
      await expect(client.get({ host: snmpTarget!.host, port: snmpTarget!.port, community: 'jangkau-demo', version: '2c' }, ['1.3.6.1.2.1.1.5.0'])).rejects.toThrow();
    } finally {
      await client.close();
    }
  }, 90_000);

  it('with a Postgres DATABASE_URL runs the demo on its own SQLite file and leaves Postgres untouched (not even migrated)', async () => {
    const name = `jangkau_demo_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    try {
      await admin.connect();
    } catch (cause) {
      throw new Error(`Postgres is not reachable at ${PG_URL}; start it (see README "Tests") - ${String(cause)}`);
    }
    await admin.query(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    try {
      const env = freshEnv({ DATABASE_URL: url.toString(), JANGKAU_COLLECT: 'false' });
      const s = await startNodeServer([], env);
      const base = `http://127.0.0.1:${s.port}`;
      try {
        expect(await getJson<{ enabled: boolean }>(base, '/api/v1/demo')).toMatchObject({ enabled: true });
        expect((await getJson<{ database: string }>(base, '/healthz')).database).toBe('sqlite');
        const cookie = await signIn(base);
        expect((await getJson<{ total: number }>(base, '/api/v1/wards?limit=100', cookie)).total).toBeGreaterThan(0);
      } finally {
        await s.close();
      }
      const real = new pg.Client({ connectionString: url.toString() });
      await real.connect();
      const tables = await real.query(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
      await real.end();
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it.each([
    ['JANGKAU_DEMO=false', [] as string[], { JANGKAU_DEMO: 'false' }],
    ['--no-demo', ['--no-demo'], {}],
  ])('starts empty with %s', async (_name, argv, extra) => {
    const env = freshEnv({ ...extra, JANGKAU_COLLECT: 'false' });
    const s = await startNodeServer(argv, env);
    const base = `http://127.0.0.1:${s.port}`;
    try {
      expect(await getJson(base, '/api/v1/demo')).toEqual({ enabled: false });
      const cookie = await signIn(base);
      expect((await getJson<{ total: number }>(base, '/api/v1/wards?limit=100', cookie)).total).toBe(0);
      expect((await getJson<{ total: number }>(base, '/api/v1/devices', cookie)).total).toBe(0);
      expect(existsSync(join(env.JANGKAU_DATA_DIR!, 'demo.db'))).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('never starts the demo beside a real database that has data', async () => {
    const env = freshEnv({ JANGKAU_COLLECT: 'false' });
    const setup = await startNodeServer(['--no-demo'], env);
    const setupBase = `http://127.0.0.1:${setup.port}`;
    try {
      const cookie = await signIn(setupBase);
      const ward = {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { kode: '36.72.01.1001', nama: 'Ciwaduk', kecamatan: 'Cilegon' },
            geometry: { type: 'Polygon', coordinates: [[[106.03, -6.02], [106.05, -6.02], [106.05, -6.0], [106.03, -6.0], [106.03, -6.02]]] },
          },
        ],
      };
      const res = await fetch(`${setupBase}/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan`, {
        method: 'POST',
        headers: { cookie, origin: setupBase, 'content-type': 'application/geo+json' },
        body: JSON.stringify(ward),
      });
      expect(res.status, await res.text()).toBeLessThan(300);
    } finally {
      await setup.close();
    }
    const s = await startNodeServer([], env);
    const base = `http://127.0.0.1:${s.port}`;
    try {
      expect(await getJson(base, '/api/v1/demo')).toEqual({ enabled: false });
      const cookie = await signIn(base);
      const wards = await getJson<{ items: { code: string }[] }>(base, '/api/v1/wards?limit=100', cookie);
      expect(wards.items.map((w) => w.code)).toEqual(['36.72.01.1001']);
      expect(existsSync(join(env.JANGKAU_DATA_DIR!, 'demo.db'))).toBe(false);
    } finally {
      await s.close();
    }
  });
});
