/**
 * Issue 17, item 5: reads that tolerate lag go to a streaming replica. A primary and a hot standby of our own (two
 * local Postgres clusters, test/peers/postgres/standby-pair.ts); the app writes to the primary and answers
 * `reads: 'replica'` routes (coverage, KPIs, reports, maps) from the standby. With replay paused on the standby, a new
 * access point is in the device list (primary) but not yet in coverage (replica); resumed, coverage catches up.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/db/connect-node.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { ALL_ROUTES } from '../../server/app.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { readSharedData } from '../helpers/shared-data.ts';
import { startStandbyPair, type StandbyPair } from '../peers/postgres/standby-pair.ts';

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a streaming replica for reads that tolerate lag', () => {
  let pair: StandbyPair;
  let primary: DbHandle;
  let replica: DbHandle;
  let standbyAdmin: pg.Client;
  let t: TestApp;
  let planner: string;

  beforeAll(async () => {
    pair = await startStandbyPair();
    primary = openPostgres(pair.primaryUrl, { max: 4 });
    await migrateToLatest(primary.db, 'postgres');
    replica = openPostgres(pair.standbyUrl, { max: 4 });
    standbyAdmin = new pg.Client({ connectionString: pair.standbyUrl });
    await standbyAdmin.connect();
    t = await makeTestApp(primary, { deps: { getReadDb: () => replica } });
    planner = await t.signIn('admin');
    const wards = await t.call('POST', '/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan', { as: planner, body: readSharedData('cilegon-kelurahan.geojson'), contentType: 'application/geo+json' });
    expect(wards.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await standbyAdmin?.query('select pg_wal_replay_resume()').catch(() => undefined);
    await standbyAdmin?.end();
    await replica?.close();
    await t?.handle.close();
    await pair?.stop();
  });

  it('the standby is a hot standby of the primary (in recovery, streaming)', async () => {
    const r = await standbyAdmin.query<{ r: boolean }>('select pg_is_in_recovery() as r');
    expect(r.rows[0]!.r).toBe(true);
  });

  it('answers coverage from the replica: a write shows in it only once the standby has replayed it', async () => {
    const aps = async (): Promise<number> => {
      const res = await t.call('GET', '/api/v1/coverage/wards', { as: planner });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-jangkau-read')).toBe('replica');
      return ((await res.json()) as { items: { accessPoints: number }[] }).items.reduce((a, w) => a + w.accessPoints, 0);
    };
    const site = (await (await t.call('POST', '/api/v1/sites', { as: planner, json: { name: 'Alun-alun', lat: -6.0169, lon: 106.0539, status: 'live' } })).json()) as { id: string };
    const add = async (name: string): Promise<void> => {
      const r = await t.call('POST', '/api/v1/devices', { as: planner, json: { name, role: 'ap', address: '127.0.0.1', siteId: site.id, coverage: { radiusM: 80 } } });
      expect(r.status).toBe(201);
    };
    await add('ap-1');
    await until('the replica to have the first access point', 20_000, async () => (await aps()) === 1);

    await standbyAdmin.query('select pg_wal_replay_pause()');
    await until('replay paused', 10_000, async () => (await standbyAdmin.query<{ s: string }>('select pg_get_wal_replay_pause_state() as s')).rows[0]!.s === 'paused');
    await add('ap-2');
    // The primary has it (the device list is not a lag-tolerant read) ...
    const list = (await (await t.call('GET', '/api/v1/devices?limit=10', { as: planner })).json()) as { total: number };
    expect(list.total).toBe(2);
    // ... the replica does not yet, so coverage still counts one.
    expect(await aps()).toBe(1);
    await standbyAdmin.query('select pg_wal_replay_resume()');
    await until('coverage from the replica to catch up', 20_000, async () => (await aps()) === 2);
  }, 60_000);

  it('KPIs, reports and the public map read from the replica too; writes never do', async () => {
    for (const path of ['/api/v1/kpis/wards', '/api/v1/reports', '/api/v1/public/summary', '/api/v1/coverage/regions?level=desa']) {
      const res = await t.call('GET', path, { as: planner });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-jangkau-read'), path).toBe('replica');
    }
    expect(ALL_ROUTES.filter((r) => r.reads === 'replica').every((r) => r.method === 'get')).toBe(true);
    const write = await t.call('POST', '/api/v1/sites', { as: planner, json: { name: 'Taman', lat: -6.02, lon: 106.05 } });
    expect(write.status).toBe(201);
  });
});
