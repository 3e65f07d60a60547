/**
 * RouterOS poll cycle benchmark: 500 fake routers on loopback (separate process, one address each), one cycle =
 * /interface/print + /ip/hotspot/active/print on every router, all at once. Compares, in the same process:
 * - ours: createRouterOsPool (native transport, default) + pollRouterOsDevice(resources: interfaces, hotspotActive);
 * - ours with the hardened node-routeros transport;
 * - baseline: plain node-routeros 1.6.9 as documented (one RouterOSAPI per router, Nagle on, no deadlines).
 * Cold = connect + login + poll; warm = poll on the kept sessions (median of 5). Run: npx tsx bench/routeros-poll.ts [routers]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DeviceTarget } from '../core/observations.ts';
import { createRouterOsPool, pollRouterOsDevice, type RouterOSTransport } from '../collectors/routeros/index.ts';

const require = createRequire(import.meta.url);
const { RouterOSAPI } = require('node-routeros') as typeof import('node-routeros');

const ROUTERS = Number(process.argv[2] ?? 500);
const WARM_RUNS = 5;
const ROUNDS = 3;

interface RouterAddr {
  host: string;
  port: number;
  username: string;
  password: string;
}
interface CycleFigures {
  coldMs: number;
  warmMs: number;
  cpuUsPerRouter: number;
  failures: number;
  peakSessionsPerRouter: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function ask(child: ChildProcess, msg: string): Promise<{ peak: number; connections: number }> {
  return new Promise((resolve) => {
    const on = (m: unknown): void => {
      const reply = m as { type?: string; peak: number; connections: number };
      if (reply.type === 'stats') {
        child.off('message', on);
        resolve(reply);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

async function timeCycle(run: () => Promise<number>): Promise<{ ms: number; cpuUs: number; failures: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const failures = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuUs: cpu.user + cpu.system, failures };
}

async function benchOurs(child: ChildProcess, routers: RouterAddr[], transport: RouterOSTransport): Promise<CycleFigures> {
  await ask(child, 'stats');
  const pool = createRouterOsPool({ transport, connectTimeoutMs: 5_000, commandTimeoutMs: 5_000, keepaliveIntervalMs: 0 });
  const targets: DeviceTarget[] = routers.map((r, i) => ({
    deviceId: `r${i}`,
    address: r.host,
    vendor: 'mikrotik',
    pollIntervalS: 60,
    snmp: null,
    routeros: { username: r.username, password: r.password, port: r.port, tls: false },
  }));
  const cycle = async (): Promise<number> => {
    const results = await Promise.all(targets.map((t) => pollRouterOsDevice(pool, t, { resources: ['interfaces', 'hotspotActive'] })));
    const bad = results.filter((r) => !r.ok || r.interfaces.length === 0 || r.hotspotActive.length === 0);
    if (bad.length > 0 && !bad[0]!.ok) console.error('  first failure:', bad[0]!.error);
    return bad.length;
  };
  const cold = await timeCycle(cycle);
  const warm: Array<{ ms: number; cpuUs: number; failures: number }> = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await timeCycle(cycle));
  const stats = await ask(child, 'stats');
  await pool.close();
  return {
    coldMs: cold.ms,
    warmMs: median(warm.map((w) => w.ms)),
    cpuUsPerRouter: median(warm.map((w) => w.cpuUs)) / routers.length,
    failures: cold.failures + warm.reduce((n, w) => n + w.failures, 0),
    peakSessionsPerRouter: stats.peak,
  };
}

async function benchPlainNodeRouteros(child: ChildProcess, routers: RouterAddr[]): Promise<CycleFigures> {
  await ask(child, 'stats');
  const apis = routers.map((r) => new RouterOSAPI({ host: r.host, port: r.port, user: r.username, password: r.password, timeout: 10 }));
  for (const api of apis) api.on('error', () => undefined);
  const cycle = async (): Promise<number> => {
    const results = await Promise.allSettled(
      apis.map(async (api) => {
        if (!api.connected) await api.connect();
        const [ifaces, active] = await Promise.all([
          api.write('/interface/print', ['=.proplist=.id,name,type,running,disabled,rx-byte,tx-byte']),
          api.write('/ip/hotspot/active/print', ['=.proplist=user,address,mac-address,uptime,bytes-in,bytes-out']),
        ]);
        if (ifaces.length === 0 || active.length === 0) throw new Error('empty');
      }),
    );
    return results.filter((r) => r.status === 'rejected').length;
  };
  const cold = await timeCycle(cycle);
  const warm: Array<{ ms: number; cpuUs: number; failures: number }> = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await timeCycle(cycle));
  const stats = await ask(child, 'stats');
  await Promise.allSettled(apis.map((a) => a.close()));
  return {
    coldMs: cold.ms,
    warmMs: median(warm.map((w) => w.ms)),
    cpuUsPerRouter: median(warm.map((w) => w.cpuUs)) / routers.length,
    failures: cold.failures + warm.reduce((n, w) => n + w.failures, 0),
    peakSessionsPerRouter: stats.peak,
  };
}

/** Mean latency of sequential commands on one router: where Nagle's ~40 ms per command shows. */
async function sequentialLatencyMs(router: RouterAddr, kind: 'plain-node-routeros' | RouterOSTransport, commands: number): Promise<number> {
  if (kind === 'plain-node-routeros') {
    const api = new RouterOSAPI({ host: router.host, port: router.port, user: router.username, password: router.password, timeout: 10 });
    api.on('error', () => undefined);
    await api.connect();
    const t0 = performance.now();
    for (let i = 0; i < commands; i++) await api.write('/system/identity/print');
    const ms = (performance.now() - t0) / commands;
    await api.close().catch(() => undefined);
    return ms;
  }
  const pool = createRouterOsPool({ transport: kind, keepaliveIntervalMs: 0 });
  const endpoint = { host: router.host, port: router.port, tls: false, username: router.username, password: router.password };
  await pool.run(endpoint, { command: '/system/identity/print' });
  const t0 = performance.now();
  for (let i = 0; i < commands; i++) await pool.run(endpoint, { command: '/system/identity/print' });
  const ms = (performance.now() - t0) / commands;
  await pool.close();
  return ms;
}

function fmt(label: string, f: CycleFigures, base: CycleFigures | null): string {
  const ratio = base === null ? '' : ` | ${(base.coldMs / f.coldMs).toFixed(1)}x / ${(base.warmMs / f.warmMs).toFixed(1)}x faster than baseline`;
  return `${label.padEnd(34)} cold ${f.coldMs.toFixed(0).padStart(5)} ms, warm ${f.warmMs.toFixed(0).padStart(5)} ms, CPU ${f.cpuUsPerRouter.toFixed(0)} us/router, peak sessions/router ${f.peakSessionsPerRouter}, failures ${f.failures}${ratio}`;
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(new URL('./routeros-fleet.ts', import.meta.url)), [String(ROUTERS)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const routers = await new Promise<RouterAddr[]>((resolve, reject) => {
    child.once('message', (m: unknown) => resolve((m as { routers: RouterAddr[] }).routers));
    child.once('exit', (code) => reject(new Error(`fleet exited with ${code}`)));
  });
  console.log(`${routers.length} fake routers ready (8 interfaces + 20 hotspot users each); node ${process.version}; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const first = routers[0]!;
  const seq = { plain: await sequentialLatencyMs(first, 'plain-node-routeros', 40), native: await sequentialLatencyMs(first, 'native', 40), wrapped: await sequentialLatencyMs(first, 'node-routeros', 40) };
  console.log(`sequential command latency, one router: plain node-routeros ${seq.plain.toFixed(2)} ms, native ${seq.native.toFixed(2)} ms (${(seq.plain / seq.native).toFixed(0)}x), hardened node-routeros ${seq.wrapped.toFixed(2)} ms (${(seq.plain / seq.wrapped).toFixed(0)}x)`);
  // Rounds interleave the three so machine noise hits all of them alike; medians are reported.
  const rounds: Array<{ baseline: CycleFigures; native: CycleFigures; wrapped: CycleFigures }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push({ baseline: await benchPlainNodeRouteros(child, routers), native: await benchOurs(child, routers, 'native'), wrapped: await benchOurs(child, routers, 'node-routeros') });
  }
  const pick = (key: 'baseline' | 'native' | 'wrapped'): CycleFigures => ({
    coldMs: median(rounds.map((x) => x[key].coldMs)),
    warmMs: median(rounds.map((x) => x[key].warmMs)),
    cpuUsPerRouter: median(rounds.map((x) => x[key].cpuUsPerRouter)),
    failures: rounds.reduce((n, x) => n + x[key].failures, 0),
    peakSessionsPerRouter: Math.max(...rounds.map((x) => x[key].peakSessionsPerRouter)),
  });
  const baseline = pick('baseline');
  const native = pick('native');
  const wrapped = pick('wrapped');
  console.log(`${ROUTERS} routers, one cycle = /interface/print + /ip/hotspot/active/print each; medians of ${ROUNDS} rounds (warm: median of ${WARM_RUNS} cycles each)`);
  console.log(fmt('baseline: plain node-routeros', baseline, null));
  console.log(fmt('ours: pool + native (default)', native, baseline));
  console.log(fmt('ours: pool + hardened node-routeros', wrapped, baseline));
  const worstNative = Math.max(...rounds.map((x) => Math.max(x.native.coldMs, x.native.warmMs)));
  const target = worstNative <= 2_000 && native.peakSessionsPerRouter <= 2 && native.failures === 0;
  console.log(`target (every native cycle <= 2000 ms, worst ${worstNative.toFixed(0)} ms; <= 2 sessions/router): ${target ? 'met' : 'NOT met'}`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  child.send('exit');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
