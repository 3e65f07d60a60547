/**
 * Captive portal throughput: completed terms-flow sign-ins per second (hand-off parse, hotspot look-up, flow, CSRF,
 * citizen + consent + grant + portal session rows, hotspot user provisioned through an in-memory provisioner, CHAP
 * answer, page) against the Node server on embedded SQLite (file, WAL), load from a second process on loopback
 * (bench/portal-load.ts). Baseline in the same run: GET /healthz on the same server with the same load generator.
 *
 *   npx tsx bench/portal-signin.ts [seconds=10] [concurrency=32] [--no-append]
 *   BENCH_NO_TURNS=1 npx tsx bench/portal-signin.ts ...   (serves app.fetch directly, without the server's turns,
 *                                                          server/http/turns-node.ts, to measure what they cost)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { HotspotProvisioner } from '../core/hotspot.ts';
import { systemClock } from '../core/time.ts';
import { createApp } from '../server/app.ts';
import { takingTurns } from '../server/http/turns-node.ts';
import { createSecretBox } from '../server/crypto/secret-box.ts';
import { newId } from '../server/crypto/random.ts';
import { openSqlite } from '../server/db/connect-node.ts';
import { insertDevice } from '../server/db/devices.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { insertPortalHotspot } from '../server/portal/queries/hotspots.ts';
import { portalDb } from '../server/portal/queries/types.ts';
import { silentLogger } from '../server/log.ts';
import { TERMS_VERSION } from '../server/portal/pure/i18n.ts';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRouterOsHotspotProvisioner } from '../collectors/hotspot-provisioner.ts';
import { createRouterOsPool } from '../collectors/routeros/index.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const seconds = Number(args[0] ?? 10);
const concurrency = Number(args[1] ?? 32);
// `npm run bench` records the figures in bench/RESULTS.md (issue 14); --no-append only prints them.
const append = !process.argv.includes('--no-append');

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
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'portal-load.ts'), url, mode, String(seconds), String(concurrency), identity, address, TERMS_VERSION], {
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
  // Issue 14: by default the hotspot user is provisioned on a fake RouterOS router over the real API protocol, in a
  // child process (its CPU is not the server's); BENCH_ROUTER=memory keeps the earlier in-memory provisioner.
  const fleet = process.env.BENCH_ROUTER === 'memory' ? null : fork(fileURLToPath(new URL('./routeros-fleet.ts', import.meta.url)), ['1', '1', '0'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const router = fleet === null ? null : await new Promise<{ host: string; port: number; username: string; password: string }>((ok, fail) => {
    fleet.once('message', (m: unknown) => ok((m as { routers: Array<{ host: string; port: number; username: string; password: string }> }).routers[0]!));
    fleet.once('exit', (code) => fail(new Error(`router fleet exited ${code}`)));
  });
  const pool = createRouterOsPool({ commandTimeoutMs: 5000, maxSessionsPerRouter: 2 });
  const viaRouter =
    router === null
      ? null
      : createRouterOsHotspotProvisioner({
          pool,
          resolveTarget: async (id) => ({ deviceId: id, address: router.host, vendor: 'mikrotik', pollIntervalS: 60, snmp: null, routeros: { username: router.username, password: router.password, port: router.port, tls: false } }),
        });
  const provisioner: HotspotProvisioner = {
    upsertUser: async (r, u, o) => {
      if (viaRouter !== null) await viaRouter.upsertUser(r, u, o);
      provisioned++;
    },
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
    // Every virtual user comes from one address and one hotspot: the flood budgets are opened (they cost the same
    // statements either way, so the measured work is unchanged).
    config: {
      trustedOrigins: [],
      cookieSecure: null,
      sessionDays: 30,
      maxBodyBytes: 1024 * 1024,
      portalLimits: { flowsPerAddress: 1e9, grantsPerAddress: 1e9, flowsPerHotspot: 1e9, grantsPerHotspot: 1e9 },
    },
    provisioner,
  });
  // As start-node.ts serves it: one request started per loop turn, /healthz exempt (issue 10).
  const server = serve({ fetch: process.env.BENCH_NO_TURNS === '1' ? app.fetch : takingTurns(app.fetch, (path) => path === '/healthz'), hostname: '127.0.0.2', port: 0 });
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
  cpu0 = process.cpuUsage();
  const one = await runLoad(url, 'signin1', identity, address);
  const oneCpu = process.cpuUsage(cpu0);
  if (profiler !== null) writeFileSync(process.env.BENCH_PROFILE as string, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const cpuUsPer = (c: NodeJS.CpuUsage, r: LoadResult): number => (c.user + c.system) / (r.completed * ((r.seconds + 1.5) / r.seconds));
  const grants = await portalDb(handle.db).selectFrom('portal_grants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await new Promise<void>((ok) => server.close(() => ok()));
  await pool.close();
  fleet?.send('exit');
  await handle.close();
  rmSync(dir, { recursive: true, force: true });

  const ratio = signin.perSecond / base.perSecond;
  const baseUs = cpuUsPer(baseCpu, base);
  const signinUs = cpuUsPer(signinCpu, signin);
  const oneUs = cpuUsPer(oneCpu, one);
  const provisioning = router === null ? 'in-memory provisioner' : 'fake RouterOS router over the API (child process)';
  const lines = [
    `| ${new Date().toISOString().slice(0, 16)}Z | ${seconds} s x ${concurrency} users | ${base.perSecond.toFixed(0)} req/s (p99 ${base.p99Ms.toFixed(1)} ms) | ${signin.perSecond.toFixed(0)} sign-ins/s (p50 ${signin.p50Ms.toFixed(1)} ms, p99 ${signin.p99Ms.toFixed(1)} ms, ${signin.failed} failed) | ${ratio.toFixed(3)} | ${signinUs.toFixed(0)} us vs ${baseUs.toFixed(0)} us (${(baseUs / signinUs).toFixed(3)}) | ${String(grants.n)} grants, ${provisioned} users provisioned |`,
    `| ${new Date().toISOString().slice(0, 16)}Z | one-request terms sign-in (issue 14), ${seconds} s x ${concurrency} users, ${provisioning} | ${base.perSecond.toFixed(0)} req/s (p99 ${base.p99Ms.toFixed(1)} ms) | ${one.perSecond.toFixed(0)} sign-ins/s (p50 ${one.p50Ms.toFixed(1)} ms, p99 ${one.p99Ms.toFixed(1)} ms, ${one.failed} failed) | ${(one.perSecond / base.perSecond).toFixed(3)} | ${oneUs.toFixed(0)} us vs ${baseUs.toFixed(0)} us: ${(oneUs / baseUs).toFixed(1)}x /healthz | two-request flow on the same run: ${signin.perSecond.toFixed(0)}/s, ${signinUs.toFixed(0)} us (${(signinUs / baseUs).toFixed(1)}x) |`,
  ];
  process.stdout.write(`${JSON.stringify({ baseline: base, signin, oneRequest: one, serverCpuUsPerOneRequestSignIn: oneUs, ratio, serverCpuUsPerHealthz: baseUs, serverCpuUsPerSignIn: signinUs, grants: Number(grants.n), provisioned })}\n${lines.join('\n')}\n`);
  if (append) {
    // Rows go into the issue-14 table, before its end marker, wherever other sections were added since.
    const file = join(import.meta.dirname, 'RESULTS.md');
    const text = readFileSync(file, 'utf8');
    const marker = '<!-- /portal-signin rows -->';
    writeFileSync(file, text.includes(marker) ? text.replace(marker, `${lines.join('\n')}\n${marker}`) : `${text}${lines.join('\n')}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
