/**
 * The demo's simulated fleet (collectors/simulator) under the demo's own load: what it costs in CPU, next to what the
 * real collectors spend polling it, and how starting it scales with the number of devices (one socket per device,
 * each on its own 127.77.x.y address).
 *
 * The fleet runs in a child process (this file with --child), so its CPU is measured apart from the poller's.
 * Phases: (1) idle 10 s, no polls - the baseline; (2) demo load 30 s: every device polled every 10 s, spread over
 * the interval, as the in-process collector does; (3) flat out 10 s: polls back to back, 64 at a time.
 * Then, in this process, the start of fleets of 150 and 1,000 SNMP devices.
 *
 * Run: npx tsx bench/demo-fleet.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeviceTarget, PollResult } from '../core/observations.ts';
import { pollSnmpDevice } from '../collectors/drivers/index.ts';
import { createSnmpClient } from '../collectors/snmp/index.ts';
import { createRouterOsPool, pollRouterOsDevice } from '../collectors/routeros/index.ts';
import { startSimulatedFleet, type SimDevice, type SimEndpoint } from '../collectors/simulator/index.ts';
import { buildDemoCity } from '../server/demo/demo-city.ts';
import { simDeviceOf } from '../server/start-node-demo.ts';

function demoDevices(): SimDevice[] {
  return buildDemoCity().sites.flatMap((s) => (s.device === null ? [] : [simDeviceOf(s.device)]));
}

type ChildMsg = { type: 'ready'; endpoints: SimEndpoint[] } | { type: 'cpu'; cpuMs: number; answered: number; ignored: number };

async function child(): Promise<void> {
  const fleet = await startSimulatedFleet(demoDevices(), { addressPrefix: '127.78' });
  const send = (m: ChildMsg): void => void process.send?.(m);
  send({ type: 'ready', endpoints: fleet.endpoints });
  process.on('message', (m: unknown) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      send({ type: 'cpu', cpuMs: (u.user + u.system) / 1000, ...fleet.stats() });
    } else if (m === 'exit') void fleet.stop().then(() => process.exit(0));
  });
}

function ask(c: ChildProcess): Promise<Extract<ChildMsg, { type: 'cpu' }>> {
  return new Promise((resolve) => {
    const on = (m: ChildMsg): void => {
      if (m.type !== 'cpu') return;
      c.off('message', on);
      resolve(m);
    };
    c.on('message', on);
    c.send('cpu');
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const cpuMsHere = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function parent(): Promise<void> {
  const devices = demoDevices();
  const c = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const endpoints = await new Promise<SimEndpoint[]>((resolve) => c.once('message', (m: ChildMsg) => m.type === 'ready' && resolve(m.endpoints)));
  const byKey = new Map(endpoints.map((e) => [e.key, e]));
  const targets: DeviceTarget[] = devices.map((d) => {
    const e = byKey.get(d.key)!;
    return {
      deviceId: d.key,
      address: e.host,
      vendor: d.kind === 'snmp' ? d.vendor : 'mikrotik',
      pollIntervalS: 10,
      snmp: d.kind === 'snmp' ? { community: d.community, port: e.port, version: '2c' } : null,
      routeros: d.kind === 'routeros' ? { username: d.username, password: d.password, port: e.port, tls: false } : null,
    };
  });
  // As the in-process collector: 1.5 s SNMP timeout, one retry; RouterOS 5 s per command.
  const snmp = createSnmpClient({ timeoutMs: 1500, retries: 1, maxInFlight: 256 });
  const pool = createRouterOsPool({ commandTimeoutMs: 5000, maxSessionsPerRouter: 2 });
  const poll = (t: DeviceTarget): Promise<PollResult> => (t.snmp !== null ? pollSnmpDevice(snmp, t) : pollRouterOsDevice(pool, t));
  let ok = 0;
  let failed = 0;
  const count = (r: PollResult): void => void (r.ok ? ok++ : failed++);

  // (1) idle baseline
  const idle0 = await ask(c);
  await sleep(10_000);
  const idle1 = await ask(c);
  const idleCpuPct = ((idle1.cpuMs - idle0.cpuMs) / 10_000) * 100;

  // (2) demo load: each device every 10 s, spread over the interval
  const loadMs = 30_000;
  const a0 = await ask(c);
  const here0 = cpuMsHere();
  const inflight: Promise<void>[] = [];
  const timers = targets.map((t, i) => {
    const start = setTimeout(() => {
      inflight.push(poll(t).then(count));
      const every = setInterval(() => inflight.push(poll(t).then(count)), 10_000);
      timers.push(every as unknown as ReturnType<typeof setTimeout>);
    }, (i * 10_000) / targets.length);
    return start;
  });
  await sleep(loadMs);
  for (const t of timers) clearTimeout(t), clearInterval(t as unknown as ReturnType<typeof setInterval>);
  await Promise.all(inflight);
  const a1 = await ask(c);
  const hereMs = cpuMsHere() - here0;
  const demoPolls = ok + failed;
  const simMs = a1.cpuMs - a0.cpuMs;
  const simCpuPct = (simMs / loadMs) * 100;

  // (3) flat out: steady devices only, 64 polls at a time, 10 s
  const steady = targets.filter((t) => devices.find((d) => d.key === t.deviceId)!.fault.kind === 'none');
  const f0 = await ask(c);
  const fHere0 = cpuMsHere();
  const until = Date.now() + 10_000;
  let flat = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (Date.now() < until) {
        const t = steady[next++ % steady.length]!;
        if ((await poll(t)).ok) flat++;
      }
    }),
  );
  const f1 = await ask(c);
  const flatHereMs = cpuMsHere() - fHere0;
  c.send('exit');
  await Promise.allSettled([snmp.close(), pool.close()]);

  // Start cost of one socket per device, on its own address.
  const scale: string[] = [];
  for (const n of [150, 1000]) {
    const fake: SimDevice[] = Array.from({ length: n }, (_, i) => ({ key: `d${i}`, kind: 'snmp', vendor: 'ubiquiti-unifi', community: 'x', name: `d${i}`, seed: i, fault: { kind: 'none' }, clientsBase: 5 }));
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const fleet = await startSimulatedFleet(fake, { addressPrefix: '127.79' });
    const startMs = performance.now() - t0;
    const rssMb = (process.memoryUsage().rss - rss0) / 1e6;
    await fleet.stop();
    scale.push(`${n} devices: start ${startMs.toFixed(0)} ms, +${rssMb.toFixed(1)} MB RSS`);
  }

  console.log(`demo fleet: ${devices.length} devices (${endpoints.length} endpoints)`);
  console.log(`idle (baseline): simulator CPU ${idleCpuPct.toFixed(2)} % of one core`);
  console.log(
    `demo load (${demoPolls} polls in ${loadMs / 1000} s, ${ok} ok / ${failed} failed - flapping and down devices): simulator ${simCpuPct.toFixed(2)} % of one core ` +
      `(${((simMs / demoPolls) * 1000).toFixed(0)} us per poll), collector ${((hereMs / loadMs) * 100).toFixed(2)} % (${((hereMs / demoPolls) * 1000).toFixed(0)} us per poll); ` +
      `simulator/collector = ${(simMs / hereMs).toFixed(2)}; simulator demo/idle = ${(simCpuPct / Math.max(idleCpuPct, 0.01)).toFixed(1)}x`,
  );
  console.log(
    `flat out (10 s, 64 in flight): ${flat} good polls (${(flat / 10).toFixed(0)}/s), simulator ${((f1.cpuMs - f0.cpuMs) / flat * 1000).toFixed(0)} us per poll, ` +
      `collector ${((flatHereMs / flat) * 1000).toFixed(0)} us per poll; headroom over the demo's ${(devices.length / 10).toFixed(1)} polls/s = ${(flat / 10 / (devices.length / 10)).toFixed(0)}x`,
  );
  console.log(`start, one socket per device: ${scale.join('; ')}`);
}

if (process.argv.includes('--child')) await child();
else await parent();
