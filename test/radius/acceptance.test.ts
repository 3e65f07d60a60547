/**
 * The acceptance, run as an operator would: `npm start` with JANGKAU_RADIUS=true (the real Node server on
 * embedded SQLite, everything set up over HTTP), radtest and radclient as the NAS; then `npm run radius` as its own
 * process on the same database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../server/start-node.ts';
import { acctInput, radclient, radiusServerEnv, radtest, SECRET } from './helpers.ts';

describe('RADIUS acceptance: npm start with JANGKAU_RADIUS=true, and npm run radius', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-radius-'));
  const env = radiusServerEnv(dir, { email: 'admin@cilegon.go.id', password: 'radius-acceptance-pw' });
  let s: RunningServer;
  let base = '';
  let cookie = '';
  let codes: string[] = [];
  let child: ChildProcess | null = null;
  const api = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${base}${path}`, { method, headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  beforeAll(async () => {
    s = await startNodeServer([], env);
    base = `http://127.0.0.1:${s.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: env.JANGKAU_ADMIN_EMAIL!, password: env.JANGKAU_ADMIN_PASSWORD! }) });
    cookie = /jangkau_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
    const site = (await (await api('POST', '/api/v1/sites', { name: 'Balai RW 03', lat: -6.0, lon: 106.05, status: 'live' })).json()) as { id: string };
    const device = (await (await api('POST', '/api/v1/devices', { siteId: site.id, name: 'hs-rw03', role: 'router', address: '127.0.0.1' })).json()) as { id: string };
    const hotspot = await api('POST', '/api/v1/portal/hotspots', { deviceId: device.id, identity: 'hs-rw03', serverAddress: '10.5.50.1', rateLimit: '2M/5M' });
    expect(hotspot.status).toBe(201);
    const hotspotId = ((await hotspot.json()) as { id: string }).id;
    const client = await api('POST', '/api/v1/radius/clients', { name: 'hs-rw03', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', hotspotId });
    expect(client.status).toBe(201);
    const batch = (await (await api('POST', '/api/v1/portal/voucher-batches', { name: 'RW 03', count: 4, hotspotId })).json()) as { id: string };
    const sheet = await (await api('GET', `/api/v1/portal/voucher-batches/${batch.id}/sheet`)).text();
    codes = [...sheet.matchAll(/\b([2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5})\b/g)].map((m) => m[1]!);
    codes = [...new Set(codes)];
    expect(codes.length).toBe(4);
    await s.radius!.reloadClients();
  });
  afterAll(async () => {
    if (child !== null && child.exitCode === null) child.kill('SIGTERM');
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('radtest with a valid voucher code gets Access-Accept with a Session-Timeout; a wrong code gets Access-Reject', async () => {
    const ok = await radtest(codes[0]!, codes[0]!, s.radius!.authPort);
    expect(ok.replyCode).toBe('Access-Accept');
    expect(Number(ok.reply.get('Session-Timeout')![0])).toBeGreaterThan(0);
    const wrong = await radtest('ZZZZZ-ZZZZZ', 'ZZZZZ-ZZZZZ', s.radius!.authPort);
    expect(wrong.replyCode).toBe('Access-Reject');
  });

  it('drops an Access-Request without Message-Authenticator from a client that requires it', async () => {
    const res = await radclient(['-x', '-t', '1', '-r', '1', `127.0.0.1:${s.radius!.authPort}`, 'auth', SECRET], `User-Name = "${codes[0]}"\nUser-Password = "${codes[0]}"\n`);
    expect(res.replyCode).toBeNull();
    expect(s.radius!.metrics.totals.drops.missing_message_authenticator).toBeGreaterThanOrEqual(1);
  });

  it('radclient accounting Start then Stop shows the session bytes in GET /api/v1/portal/usage', async () => {
    const ok = await radtest(codes[1]!, codes[1]!, s.radius!.authPort);
    const cls = ok.reply.get('Class')![0]!;
    const acct = (i: string) => radclient(['-x', '-t', '3', '-r', '1', `127.0.0.1:${s.radius!.acctPort}`, 'acct', SECRET], i);
    expect((await acct(acctInput({ status: 'Start', session: 'acc-1', user: codes[1]!, classHex: cls }))).replyCode).toBe('Accounting-Response');
    expect((await acct(acctInput({ status: 'Stop', session: 'acc-1', user: codes[1]!, classHex: cls, time: 95, inOctets: 31_337, outOctets: 4_242_424 }))).replyCode).toBe('Accounting-Response');
    const usage = (await (await api('GET', '/api/v1/portal/usage')).json()) as { byHotspot: Array<{ bytesIn: number; bytesOut: number; sessions: number }> };
    expect(usage.byHotspot).toHaveLength(1);
    expect(usage.byHotspot[0]).toMatchObject({ bytesIn: 31_337, bytesOut: 4_242_424, sessions: 1 });
  });

  it('runs as its own process (npm run radius) on the same database', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/radius/main.ts'], {
      env: { ...process.env, ...env, JANGKAU_RADIUS_AUTH_PORT: '0', JANGKAU_RADIUS_ACCT_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 30_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /RADIUS listening on \S+ auth (\d+) acct (\d+)/.exec(out);
        if (m !== null) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    });
    const port = Number(/auth (\d+)/.exec(line)![1]);
    const ok = await radtest(codes[2]!, codes[2]!, port);
    expect(ok.replyCode).toBe('Access-Accept');
    const status = await radclient(['-x', '-t', '2', '-r', '1', `127.0.0.1:${port}`, 'status', SECRET], 'Message-Authenticator = 0x00\n');
    expect(status.replyCode).toBe('Access-Accept');
    child.kill('SIGTERM');
    await new Promise((ok2) => child!.once('exit', ok2));
    // It flushed its figures on the way out: the console sees both processes.
    const stats = (await (await api('GET', '/api/v1/radius/stats?minutes=10')).json()) as { servers: unknown[]; totals: { accepts: number } };
    expect(stats.totals.accepts).toBeGreaterThanOrEqual(1);
    await s.radius!.flushStats();
    const both = (await (await api('GET', '/api/v1/radius/stats?minutes=10')).json()) as { servers: unknown[] };
    expect(both.servers).toHaveLength(2);
  });
});
