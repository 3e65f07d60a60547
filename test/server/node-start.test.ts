/** `npm start` as a newcomer runs it: a real HTTP server on embedded SQLite in a data folder, plus the CLI. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../server/start-node.ts';
import { runCli } from '../../server/cli.ts';
import { sharedDataPath } from '../helpers/shared-data.ts';

describe('the Node server with embedded SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-start-'));
  let base = '';
  let close: () => Promise<void> = async () => {};
  let cookie = '';
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    JANGKAU_DATA_DIR: dir,
    DATABASE_URL: join(dir, 'jangkau.db'),
    JANGKAU_ADMIN_EMAIL: 'admin@cilegon.go.id',
    JANGKAU_ADMIN_PASSWORD: 'start-test-password',
    LOG_QUIET: 'true',
    JANGKAU_DEMO: 'false',
    JANGKAU_COLLECT: 'false',
  };
  beforeAll(async () => {
    const s = await startNodeServer([], env);
    base = `http://127.0.0.1:${s.port}`;
    close = s.close;
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates and migrates the database file, generates a key with owner-only permissions, answers /healthz', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(statSync(join(dir, 'jangkau.db')).size).toBeGreaterThan(0);
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
    // Issue 10: the database and its WAL files are the owner's alone, and so is the data folder.
    for (const f of ['jangkau.db', 'jangkau.db-wal', 'jangkau.db-shm']) expect((statSync(join(dir, f)).mode & 0o777).toString(8), f).toBe('600');
  });

  it('creates a missing data folder owner-only (0700)', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'jangkau-fresh-')), 'data');
    const s = await startNodeServer([], { ...env, JANGKAU_DATA_DIR: fresh, DATABASE_URL: join(fresh, 'j.db') });
    try {
      expect((statSync(fresh).mode & 0o777).toString(8)).toBe('700');
      expect((statSync(join(fresh, 'j.db')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      await s.close();
      rmSync(dirname(fresh), { recursive: true, force: true });
    }
  });

  it('signs in with the configured admin and writes with a same-origin Origin header', async () => {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@cilegon.go.id', password: 'start-test-password' }),
    });
    expect(login.status).toBe(200);
    cookie = /jangkau_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
    const dev = await fetch(`${base}/api/v1/devices`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Router Kantor Wali Kota',
        role: 'router',
        address: '127.0.0.1',
        snmp: { community: 'plaintext-must-not-appear-7731' },
        routeros: { username: 'api', password: 'routeros-password-not-on-disk-4412' },
      }),
    });
    expect(dev.status).toBe(201);
    expect(await dev.json()).toHaveProperty('id');
  });

  it('keeps no plaintext secret in any file of the data folder (database, WAL, key)', async () => {
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
    for (const name of files(dir)) {
      const bytes = readFileSync(name).toString('latin1');
      expect(bytes, name).not.toContain('plaintext-must-not-appear-7731');
      expect(bytes, name).not.toContain('routeros-password-not-on-disk-4412');
      expect(bytes, name).not.toContain('start-test-password');
    }
  });

  it('imports wards and residents from the command line into the same database', async () => {
    const lines: string[] = [];
    const code = await runCli(
      ['import-wards', sharedDataPath('cilegon-kelurahan.geojson'), '--code-prop', 'kode', '--name-prop', 'nama', '--district-prop', 'kecamatan'],
      env,
      (l) => lines.push(l),
    );
    expect(code, lines.join('\n')).toBe(0);
    expect(lines[0]).toMatch(/43 created/);
    const bad = await runCli(['import-residents', sharedDataPath('cilegon-kecamatan-population.csv'), '--by', 'district', '--key-column', 'kecamatan'], env, (l) =>
      lines.push(l),
    );
    expect(bad).toBe(1);
    const list = await fetch(`${base}/api/v1/wards?limit=100`, { headers: { cookie } });
    expect(((await list.json()) as { total: number }).total).toBe(43);
  });

  it('refuses to start with a clear message when the configuration is wrong', async () => {
    await expect(startNodeServer([], { ...env, PORT: 'eighty' })).rejects.toThrow(/PORT/);
  });
});
