/**
 * Issue 17, item 2: several server processes on one Postgres behind any proxy. Two `server/entry.node.ts` processes
 * on the same database (a schema of the local Postgres): a session made on one is honoured by the other and ended
 * from either; sign-in failures count together across both; a device added through one shows in the other's
 * coverage (its engine is brought up to date from the database on each request); one killed with SIGKILL, the
 * other serves on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL } from '../helpers/db.ts';
import { readSharedData } from '../helpers/shared-data.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EMAIL = 'admin@banten.go.id';
const PASSWORD = 'several-servers-password';

interface Server { child: ChildProcess; base: string }

async function startServer(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/entry.node.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, JANGKAU_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), JANGKAU_ADMIN_EMAIL: EMAIL, JANGKAU_ADMIN_PASSWORD: PASSWORD, JANGKAU_DEMO: 'false', JANGKAU_COLLECT: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out.slice(-800)}`)), 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString('utf8');
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-800)}`)));
  });
  return { child, base };
}

describe('two server processes on one Postgres', () => {
  const schema = `t_multi_${Date.now().toString(36)}`;
  let a: Server;
  let b: Server;
  beforeAll(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    // Both start at once: the migrations run once (advisory lock), the first admin is made once.
    [a, b] = await Promise.all([startServer(url), startServer(url)]);
  }, 120_000);
  afterAll(async () => {
    for (const s of [a, b]) if (s !== undefined && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  });

  const login = (s: Server, password: string): Promise<Response> =>
    fetch(`${s.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password }) });

  it('shares sessions, sign-in limits and coverage between the processes, and survives losing one', async () => {
    const res = await login(a, PASSWORD);
    expect(res.status).toBe(200);
    const cookie = /jangkau_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
    // The session made on A is honoured on B.
    expect((await fetch(`${b.base}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(200);

    // Wards through B, a site and an access point through A, coverage read on B.
    const wards = await fetch(`${b.base}/api/v1/wards/import?codeProp=kode&nameProp=nama&districtProp=kecamatan`, { method: 'POST', headers: { cookie, origin: b.base, 'content-type': 'application/geo+json' }, body: readSharedData('cilegon-kelurahan.geojson') });
    expect(wards.status).toBe(200);
    const coverage = async (s: Server): Promise<number> =>
      ((await (await fetch(`${s.base}/api/v1/coverage/wards`, { headers: { cookie } })).json()) as { items: { accessPoints: number }[] }).items.reduce((x, w) => x + w.accessPoints, 0);
    expect(await coverage(b)).toBe(0);
    const site = (await (await fetch(`${a.base}/api/v1/sites`, { method: 'POST', headers: { cookie, origin: a.base, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Alun-alun', lat: -6.0169, lon: 106.0539, status: 'live' }) })).json()) as { id: string };
    const dev = await fetch(`${a.base}/api/v1/devices`, { method: 'POST', headers: { cookie, origin: a.base, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ap-1', role: 'ap', address: '127.0.0.1', siteId: site.id, coverage: { radiusM: 80 } }) });
    expect(dev.status).toBe(201);
    expect(await coverage(b)).toBe(1);

    // Sign-in failures count together: 5 per account per 15 minutes, three on A and two on B, then both refuse.
    for (const s of [a, a, a, b, b]) expect((await login(s, 'wrong-password-123')).status).toBe(401);
    expect((await login(a, PASSWORD)).status).toBe(429);
    expect((await login(b, PASSWORD)).status).toBe(429);

    // Signing out on B ends the session on A.
    expect((await fetch(`${b.base}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: b.base } })).status).toBe(200);
    expect((await fetch(`${a.base}/api/v1/auth/me`, { headers: { cookie } })).status).toBe(401);

    // One process dies hard; the other serves on.
    a.child.kill('SIGKILL');
    await new Promise<void>((r) => a.child.once('exit', () => r()));
    expect((await fetch(`${b.base}/healthz`)).status).toBe(200);
  }, 120_000);
});
