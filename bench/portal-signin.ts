/**
 * Captive portal throughput: completed terms-flow sign-ins per second (hand-off parse, hotspot look-up, flow, CSRF,
 * citizen + consent + grant + portal session rows, hotspot user provisioned through an in-memory provisioner, CHAP
 * answer, page) against the Node server on embedded SQLite (file, WAL), load from a second process on loopback
 * (bench/portal-load.ts). Baseline in the same run: GET /healthz on the same server with the same load generator.
 *
 *   npx tsx bench/portal-signin.ts [seconds=10] [concurrency=32] [--append]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { HotspotProvisioner } from '../core/hotspot.ts';
import { systemClock } from '../core/time.ts';
import { createApp } from '../server/app.ts';
import { createSecretBox } from '../server/crypto/secret-box.ts';
import { newId } from '../server/crypto/random.ts';
import { openSqlite } from '../server/db/connect-node.ts';
import { insertDevice } from '../server/db/devices.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { insertPortalHotspot } from '../server/db/portal-hotspots.ts';
import { portalDb } from '../server/db/portal-types.ts';
import { silentLogger } from '../server/log.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const seconds = Number(args[0] ?? 10);
const concurrency = Number(args[1] ?? 32);
const append = process.argv.includes('--append');

interface LoadResult {
  mode: string;
  completed: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function runLoad(url: string, mode: string, identity: string, address: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'portal-load.ts'), url, mode, String(seconds), String(concurrency), identity, address], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jk-portal-bench-'));
  const handle = openSqlite(process.env.BENCH_DB === 'memory' ? ':memory:' : join(dir, 'bench.sqlite'));
  await migrateToLatest(handle.db);
  const at = new Date().toISOString();
  const deviceId = newId();
  const identity = 'rw01-bench';
  const address = '10.5.50.1';
  await insertDevice(handle.db, {
    id: deviceId, site_id: null, name: identity, role: 'router', vendor: 'mikrotik', model: null, address: '127.0.0.1', snmp_port: null, snmp_version: null,
    routeros_port: 8728, routeros_tls: 0, routeros_username: 'x', secrets_sealed: null, poll_interval_s: 60, enabled: 1, coverage: null, created_at: at, updated_at: at,
  });
  await insertPortalHotspot(handle.db, {
    id: newId(), device_id: deviceId, identity, server_name: null, server_address: address, login_mode: 'form', methods: '["terms","otp","voucher"]', user_profile: 'warga',
    rate_limit: '2M/5M', terms_session_s: 3600, signed_session_s: 14400, daily_time_s: 14400, daily_bytes: 2e9, max_devices: 2, enabled: 1, created_at: at, updated_at: at,
  });
  let provisioned = 0;
  const provisioner: HotspotProvisioner = {
    upsertUser: async () => void provisioned++,
    activeLogin: async () => undefined,
    removeUser: async () => undefined,
    upsertProfile: async () => undefined,
    kickActive: async () => ({ kicked: 0 }),
  };
  const key = new Uint8Array(32);
  crypto.getRandomValues(key);
  const app = createApp({
    getDb: () => handle,
    clock: systemClock,
    secrets: await createSecretBox(key),
    log: silentLogger,
    clientAddress: () => '10.5.50.23',
    config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1024 * 1024 },
    provisioner,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.2', port: 0 });
  await new Promise<void>((ok) => server.once('listening', () => ok()));
  const url = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;

  // Server CPU per completed operation: robust on a shared machine where wall-clock rates swing with other load.
  let cpu0 = process.cpuUsage();
  const base = await runLoad(url, 'healthz', identity, address);
  const baseCpu = process.cpuUsage(cpu0);
  // BENCH_PROFILE=file.cpuprofile records the server's CPU profile during the sign-in phase.
  const profiler = process.env.BENCH_PROFILE === undefined ? null : new Session();
  if (profiler !== null) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  cpu0 = process.cpuUsage();
  const signin = await runLoad(url, 'signin', identity, address);
  const signinCpu = process.cpuUsage(cpu0);
  if (profiler !== null) writeFileSync(process.env.BENCH_PROFILE as string, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const cpuUsPer = (c: NodeJS.CpuUsage, r: LoadResult): number => (c.user + c.system) / (r.completed * ((r.seconds + 1.5) / r.seconds));
  const grants = await portalDb(handle.db).selectFrom('portal_grants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await new Promise<void>((ok) => server.close(() => ok()));
  await handle.close();
  rmSync(dir, { recursive: true, force: true });

  const ratio = signin.perSecond / base.perSecond;
  const baseUs = cpuUsPer(baseCpu, base);
  const signinUs = cpuUsPer(signinCpu, signin);
  const lines = [
    `| ${new Date().toISOString().slice(0, 16)}Z | ${seconds} s x ${concurrency} users | ${base.perSecond.toFixed(0)} req/s (p99 ${base.p99Ms.toFixed(1)} ms) | ${signin.perSecond.toFixed(0)} sign-ins/s (p50 ${signin.p50Ms.toFixed(1)} ms, p99 ${signin.p99Ms.toFixed(1)} ms, ${signin.failed} failed) | ${ratio.toFixed(3)} | ${signinUs.toFixed(0)} us vs ${baseUs.toFixed(0)} us (${(baseUs / signinUs).toFixed(3)}) | ${String(grants.n)} grants, ${provisioned} users provisioned |`,
  ];
  process.stdout.write(`${JSON.stringify({ baseline: base, signin, ratio, serverCpuUsPerHealthz: baseUs, serverCpuUsPerSignIn: signinUs, grants: Number(grants.n), provisioned })}\n${lines.join('\n')}\n`);
  if (append) appendFileSync(join(import.meta.dirname, 'RESULTS.md'), `${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
