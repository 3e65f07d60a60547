/**
 * SNMP collector benchmark (npx tsx bench/snmp-poll.ts). The simulated fleet runs in a child process (the snmprec
 * responder, bench/snmp-fleet-agent.ts) so the poller's CPU is measured alone. Every figure is compared with a
 * baseline run in the same process: snmp-native's GETNEXT walk, and net-snmp's client on the same fleet.
 *   1. 48-port ifTable: our GETBULK walk vs snmp-native getSubtree (GETNEXT) vs our GETNEXT walk.
 *   2. N devices x 10 OIDs GET over many loopback addresses: wall, poller CPU per device, vs net-snmp.
 *   3. 5,000 devices of which 1,000 are silent (1 s timeout, 1 retry): cycle time.
 * Env: SNMP_BENCH_SIZES=5000,10000,20000,50000  SNMP_BENCH_WINDOW=256  SNMP_BENCH_ROUNDS=3  SNMP_BENCH_ONLY=iftable|fleet|silent
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import snmpNative from 'snmp-native';
import netSnmp from 'net-snmp';
import { createSnmpClient } from '../collectors/snmp/index.ts';
import type { SnmpClient, SnmpTarget } from '../collectors/snmp/index.ts';
import type { FleetConfig } from './snmp-fleet-agent.ts';
import { FLEET_OIDS } from './snmp-fleet-agent.ts';

interface Fleet {
  child: ChildProcess;
  hosts: string[];
  ports: number[];
  stop(): Promise<void>;
  cpuMs(): Promise<number>;
}

function hostsFor(count: number, second: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.${second}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
}

async function startFleet(cfg: FleetConfig): Promise<Fleet> {
  const child = fork(fileURLToPath(new URL('./snmp-fleet-agent.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ports = await new Promise<number[]>((resolve, reject) => {
    child.once('message', (m: { type: string; ports?: number[]; message?: string }) => {
      if (m.type === 'ready' && m.ports) resolve(m.ports);
      else reject(new Error(m.message ?? 'fleet failed'));
    });
    child.send(cfg);
  });
  return {
    child,
    hosts: cfg.hosts,
    ports,
    cpuMs: () => new Promise((resolve) => {
      child.once('message', (m: { usage: NodeJS.CpuUsage }) => resolve((m.usage.user + m.usage.system) / 1000));
      child.send({ type: 'cpu' });
    }),
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.send({ type: 'stop' });
    }),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function nativeSubtree(host: string, port: number, community: string, oid: string): Promise<number> {
  const session = new snmpNative.Session({ host, port, community });
  return new Promise((resolve, reject) => {
    session.getSubtree({ oid: '.' + oid, timeouts: [1000, 1000] }, (err, vbs) => {
      session.close();
      if (err) reject(err);
      else resolve(vbs.length);
    });
  });
}

const lines: string[] = [];
function report(line: string): void {
  lines.push(line);
  console.log(line);
}

async function benchIfTable(): Promise<void> {
  const fleet = await startFleet({ hosts: ['127.20.0.1'], devices: 0, silentEvery: 0 });
  const host = fleet.hosts[0] as string;
  const port = fleet.ports[0] as number;
  const client = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: 256 });
  const target: SnmpTarget = { host, port, community: 'iftable48', version: '2c' };
  const root = '1.3.6.1.2.1.2.2';
  const bulkCount = (await client.walk(target, root)).length;
  const nextCount = (await client.walk(target, root, { useGetNext: true })).length;
  const nativeCount = await nativeSubtree(host, port, 'iftable48', root);
  if (bulkCount !== nextCount || bulkCount !== nativeCount) throw new Error(`walks disagree: ${bulkCount}/${nextCount}/${nativeCount}`);
  const bulk: number[] = [];
  const next: number[] = [];
  const native: number[] = [];
  for (let i = 0; i < 25; i++) {
    bulk.push(await timeIt(() => client.walk(target, root)));
    next.push(await timeIt(() => client.walk(target, root, { useGetNext: true })));
    native.push(await timeIt(() => nativeSubtree(host, port, 'iftable48', root)));
  }
  const b = median(bulk);
  report(`| 48-port ifTable walk (${bulkCount} varbinds) | GETBULK (max-rep 50): ${b.toFixed(1)} ms | snmp-native getSubtree: ${median(native).toFixed(1)} ms (**${(median(native) / b).toFixed(1)}x** slower) | our GETNEXT: ${median(next).toFixed(1)} ms (${(median(next) / b).toFixed(1)}x) |`);
  await client.close();
  await fleet.stop();
}

/**
 * Polls n devices through our client. Like the collector's scheduler (a global bound of polls in flight), the
 * harness keeps `workers` device polls outstanding; the client's own window bounds the datagrams.
 */
async function runOurs(client: SnmpClient, fleet: Fleet, n: number, community: (d: number) => string, workers: number): Promise<{ wallMs: number; cpuUs: number; ok: number; failed: Record<string, number> }> {
  const failed: Record<string, number> = {};
  let ok = 0;
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) {
      const d = next++;
      const i = d % fleet.hosts.length;
      const target: SnmpTarget = { host: fleet.hosts[i] as string, port: fleet.ports[i] as number, community: community(d), version: '2c' };
      try {
        const vbs = await client.get(target, FLEET_OIDS);
        if (vbs.length === FLEET_OIDS.length) ok++;
        else failed.short = (failed.short ?? 0) + 1;
      } catch (err) {
        const kind = (err as { kind?: string }).kind ?? 'other';
        failed[kind] = (failed[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, n) }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuUs: cpu.user + cpu.system, ok, failed };
}

async function runNetSnmp(fleet: Fleet, n: number, window: number): Promise<{ wallMs: number; cpuUs: number; ok: number }> {
  let ok = 0;
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < n) {
      const d = next++;
      const i = d % fleet.hosts.length;
      await new Promise<void>((resolve) => {
        const session = netSnmp.createSession(fleet.hosts[i] as string, `d${d}`, { port: fleet.ports[i] as number, retries: 1, timeout: 1000, version: netSnmp.Version2c });
        session.on('error', () => undefined);
        session.get(FLEET_OIDS, (error: Error | null, varbinds?: unknown[]) => {
          if (!error && varbinds?.length === FLEET_OIDS.length) ok++;
          session.close();
          resolve();
        });
      });
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuUs: cpu.user + cpu.system, ok };
}

async function benchFleet(sizes: number[], window: number): Promise<void> {
  const max = Math.max(...sizes);
  const fleet = await startFleet({ hosts: hostsFor(250, 30), devices: max, silentEvery: 0 });
  const client = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: window });
  await runOurs(client, fleet, 5000, (d) => `d${d}`, window); // warm-up (JIT, agent's per-community cache)
  await runNetSnmp(fleet, 1000, window);
  const rounds = Number(process.env.SNMP_BENCH_ROUNDS ?? 3);
  for (const n of sizes) {
    // The machine is shared: rounds alternate ours / net-snmp so both see the same load; medians are reported.
    const ours: Array<Awaited<ReturnType<typeof runOurs>> & { agentCpuMs: number }> = [];
    const theirs: Array<Awaited<ReturnType<typeof runNetSnmp>>> = [];
    for (let round = 0; round < rounds; round++) {
      const agentCpu0 = await fleet.cpuMs();
      const r = await runOurs(client, fleet, n, (d) => `d${d}`, window);
      ours.push({ ...r, agentCpuMs: (await fleet.cpuMs()) - agentCpu0 });
      if (n <= 20000) theirs.push(await runNetSnmp(fleet, n, window));
    }
    const wall = median(ours.map((r) => r.wallMs));
    const cpu = median(ours.map((r) => r.cpuUs));
    const ok = Math.min(...ours.map((r) => r.ok));
    const agentCpu = median(ours.map((r) => r.agentCpuMs));
    let cmp = 'net-snmp: not run at this size';
    if (theirs.length > 0) {
      const nsWall = median(theirs.map((r) => r.wallMs));
      const nsCpu = median(theirs.map((r) => r.cpuUs));
      cmp = `net-snmp: ${nsWall.toFixed(0)} ms wall (**${(nsWall / wall).toFixed(1)}x**), ${(nsCpu / n).toFixed(1)} us CPU/device (${(nsCpu / cpu).toFixed(1)}x), ${Math.min(...theirs.map((r) => r.ok))} ok`;
    }
    const walls = ours.map((r) => r.wallMs.toFixed(0)).join('/');
    report(`| ${n.toLocaleString('en')} devices x 10 OIDs, window ${window} | ${wall.toFixed(0)} ms wall (rounds ${walls}), ${(cpu / n).toFixed(1)} us poller CPU/device, min ${ok} ok, agent CPU ${agentCpu.toFixed(0)} ms | ${cmp} |`);
  }
  await client.close();
  await fleet.stop();
}

async function benchSilent(configs: Array<{ window: number; slotHoldMs: number }>): Promise<void> {
  const fleet = await startFleet({ hosts: hostsFor(250, 40), devices: 5000, silentEvery: 5 });
  for (const { window, slotHoldMs } of configs) {
    const client = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: window, slotHoldMs });
    // All 5,000 polls start at once (one whole cycle due together); only the client's window bounds the datagrams.
    const r = await runOurs(client, fleet, 5000, (d) => `d${d}`, 5000);
    report(`| 5,000 devices, 1,000 silent (1 s timeout, 1 retry), window ${window}, slotHoldMs ${slotHoldMs} | cycle ${r.wallMs.toFixed(0)} ms, ${r.ok} ok, failed ${JSON.stringify(r.failed)} | baseline: the 2 s two tries of one silent device |`);
    await client.close();
  }
  await fleet.stop();
}

async function main(): Promise<void> {
  const sizes = (process.env.SNMP_BENCH_SIZES ?? '5000,10000,20000,50000').split(',').map(Number);
  const window = Number(process.env.SNMP_BENCH_WINDOW ?? 256);
  report(`SNMP bench, node ${process.version}, ${new Date().toISOString()}`);
  const only = process.env.SNMP_BENCH_ONLY;
  if (!only || only === 'iftable') await benchIfTable();
  if (!only || only === 'fleet') await benchFleet(sizes, window);
  if (!only || only === 'silent') await benchSilent([{ window: 256, slotHoldMs: Infinity }, { window: 256, slotHoldMs: 100 }, { window: 1024, slotHoldMs: 100 }]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
