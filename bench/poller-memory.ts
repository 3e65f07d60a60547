/**
 * Poller memory over a long run: the real scheduler, SNMP client, drivers and state book poll a simulated fleet on
 * loopback (bench/snmp-fleet-agent.ts, in its own process) and drop results after the state step.
 *   npx tsx bench/poller-memory.ts [minutes=10] [devices=5000] [intervalS=10]
 * Every 10 s after a forced GC it samples heap used and RSS. Reports the first minute as the baseline (warm-up done)
 * and the slope of heap used over the rest, as a ratio of the baseline: flat means the slope stays near zero.
 * Run with node's --expose-gc (this file re-executes itself with it).
 */
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPoller } from '../collectors/poller.ts';
import { createScheduler } from '../collectors/scheduler/scheduler.ts';
import { createStateBook } from '../collectors/state/state-book.ts';
import { pollSnmpDevice } from '../collectors/drivers/index.ts';
import { createSnmpClient } from '../collectors/snmp/index.ts';
import type { DeviceTarget } from '../core/observations.ts';

if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const minutes = Number(process.argv[2] ?? 10);
const devices = Number(process.argv[3] ?? 5000);
const intervalS = Number(process.argv[4] ?? 10);

async function main(): Promise<void> {
  const hosts = Array.from({ length: 20 }, (_, i) => `127.91.0.${i + 1}`);
  const child = fork(fileURLToPath(new URL('./snmp-fleet-agent.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise<number[]>((resolve, reject) => {
    child.once('message', (m: { type: string; ports?: number[]; message?: string }) => (m.type === 'ready' && m.ports ? resolve(m.ports) : reject(new Error(m.message ?? 'fleet failed'))));
    child.send({ hosts, devices, silentEvery: 50 });
  });
  const snmp = createSnmpClient({ timeoutMs: 1000, retries: 1, maxInFlight: 256 });
  const poll = createPoller({ snmp: (t) => pollSnmpDevice(snmp, t) });
  const book = createStateBook();
  let results = 0;
  let failures = 0;
  const scheduler = createScheduler({
    poll,
    maxConcurrent: 256,
    onResult: (r) => {
      results += 1;
      if (!r.ok) failures += 1;
      book.apply(r);
    },
  });
  for (let d = 0; d < devices; d++) {
    const target: DeviceTarget = {
      deviceId: `d${d}`,
      address: hosts[d % hosts.length] as string,
      vendor: 'mikrotik',
      pollIntervalS: intervalS,
      snmp: { community: `d${d}`, port: ports[d % ports.length] as number, version: '2c' },
      routeros: null,
    };
    scheduler.upsert(target);
  }
  const samples: { tS: number; heapMB: number; rssMB: number }[] = [];
  const t0 = Date.now();
  const endAt = t0 + minutes * 60_000;
  while (Date.now() < endAt) {
    await new Promise((r) => setTimeout(r, 10_000));
    globalThis.gc?.();
    const m = process.memoryUsage();
    samples.push({ tS: (Date.now() - t0) / 1000, heapMB: m.heapUsed / 1e6, rssMB: m.rss / 1e6 });
    process.stdout.write(`t=${samples.at(-1)!.tS.toFixed(0)}s heap ${samples.at(-1)!.heapMB.toFixed(1)} MB rss ${samples.at(-1)!.rssMB.toFixed(1)} MB polls ${results} failed ${failures}\n`);
  }
  await scheduler.stop({ deadlineMs: 3000 });
  await snmp.close();
  child.send({ type: 'stop' });
  const warm = samples.filter((s) => s.tS >= 60);
  const base = warm[0] ?? samples[0]!;
  const n = warm.length;
  const mx = warm.reduce((a, s) => a + s.tS, 0) / n;
  const my = warm.reduce((a, s) => a + s.heapMB, 0) / n;
  const slope = warm.reduce((a, s) => a + (s.tS - mx) * (s.heapMB - my), 0) / Math.max(1e-9, warm.reduce((a, s) => a + (s.tS - mx) ** 2, 0));
  const grow10 = slope * 600;
  console.log(JSON.stringify({
    minutes, devices, intervalS, polls: results, failed: failures,
    heapAtOneMinuteMB: Number(base.heapMB.toFixed(1)),
    heapEndMB: Number(warm.at(-1)!.heapMB.toFixed(1)),
    rssEndMB: Number(warm.at(-1)!.rssMB.toFixed(1)),
    heapSlopeMBPerHour: Number((slope * 3600).toFixed(2)),
    growthOver10MinAsRatioOfBaseline: Number((grow10 / base.heapMB).toFixed(4)),
  }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
