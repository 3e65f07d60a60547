/**
 * The pure parts of the collector pipeline: encode a batch for POST /api/v1/ingest and parse + validate it on the
 * server side (core/ingest.ts), step the state machine, turn polls into rates, roll rates up, and drive the
 * scheduler's bookkeeping for 50,000 devices. Each figure is given as a ratio to a baseline in the same process:
 * JSON.stringify + JSON.parse of the same batch without bigint conversion or schema (the least any ingest must do).
 */
import { performance } from 'node:perf_hooks';
import { encodeIngestBatch, parseIngestBody } from '../core/ingest.ts';
import type { IngestBatch } from '../core/ingest.ts';
import type { DeviceTarget, PollResult, PollSuccess } from '../core/observations.ts';
import { createStateBook } from '../collectors/state/state-book.ts';
import { createRateTracker, rateSample } from '../core/samples/rates.ts';
import { FIVE_MIN_MS, HOUR_MS, rollUp, rowOfSample } from '../core/samples/rollup.ts';
import type { RollupRow } from '../core/samples/rollup.ts';
import { createScheduler } from '../collectors/scheduler/scheduler.ts';

const T0 = 1_800_000_000_000;

function poll(device: number, k: number): PollSuccess {
  return {
    ok: true, deviceId: `dev-${device}`, startedAtMs: T0 + k * 60_000, durationMs: 20,
    system: { uptimeS: 1000 + k * 60, descr: 'RouterOS', objectId: '1.3.6.1.4.1.14988.1', name: `ap-${device}`, version: '7.19', cpuLoadPct: 3, memFreeBytes: 1e7 },
    interfaces: [1, 2, 3].map((index) => ({ index, name: `ether${index}`, operUp: true, inOctets: BigInt(k) * 7_500_000n + BigInt(index), outOctets: BigInt(k) * 750_000n, counterBits: 64 as const, speedBps: 1e9 })),
    ssids: [{ ssid: 'CilegonFreeWiFi', radio: 'wlan1', clients: (device + k) % 30 }],
    stations: [], hotspotActive: [], clients: (device + k) % 30,
  };
}

function time(label: string, fn: () => void, repeat = 3): number {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  process.stdout.write(`${label.padEnd(44)} ${best.toFixed(1).padStart(8)} ms\n`);
  return best;
}

// A batch of 5,000 poll results (one cycle of 5,000 devices), 3 interfaces each = 15,000 interface samples.
const DEVICES = 5000;
const items: PollResult[] = Array.from({ length: DEVICES }, (_, d) => poll(d, 1));
const batch: IngestBatch = { collectorId: 'bench', batchId: 'bench-000000001', createdAtMs: T0, items, events: [] };
const plain = items.map((p) => JSON.parse(JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as unknown);

const baseline = time('baseline: JSON stringify+parse (no schema)', () => {
  JSON.parse(JSON.stringify({ ...batch, items: plain }));
});
let body = '';
const encode = time('encodeIngestBatch + JSON.stringify', () => {
  body = JSON.stringify(encodeIngestBatch(batch));
});
const parse = time('parseIngestBody (size, JSON, zod, bigint)', () => {
  const r = parseIngestBody(body);
  if (!r.ok) throw new Error(r.message);
});
const samplesPerS = (DEVICES * 3) / ((encode + parse) / 1000);

const book = createStateBook();
const failing: PollResult[] = items.map((p, d) => (d % 10 === 0 ? { ok: false, deviceId: p.deviceId, startedAtMs: p.startedAtMs, durationMs: 1000, error: { kind: 'timeout', message: 'x' } } : p));
const steps = time(`stepDeviceState x ${DEVICES} (10 % failing)`, () => {
  for (const p of failing) book.apply(p);
});

const tracker = createRateTracker();
for (let d = 0; d < DEVICES; d++) tracker.push(poll(d, 0));
const rows: RollupRow[] = [];
const nextPolls: PollSuccess[][] = [1, 2, 3].map((k) => Array.from({ length: DEVICES }, (_, d) => poll(d, k)));
let round = 0;
const rates = time(`rateSample x ${DEVICES}`, () => {
  rows.length = 0;
  const polls = nextPolls[round++]!;
  for (let d = 0; d < DEVICES; d++) {
    const s = tracker.push(polls[d]!);
    if (s !== null) rows.push(rowOfSample(s));
  }
});

// Issue 11: rateSample when the driver already gave each interface its role (SNMP drivers do) against rateSample
// assigning roles from ifType and names itself (results without roles, e.g. RouterOS API). Interleaved, best of 9
// each, so machine load hits both alike.
const withRole = (p: PollSuccess): PollSuccess => ({ ...p, interfaces: p.interfaces.map((i) => ({ ...i, role: 'physical' as const })) });
const prevPlain = Array.from({ length: DEVICES }, (_, d) => poll(d, 1));
const nextPlain = Array.from({ length: DEVICES }, (_, d) => poll(d, 2));
const prevRole = prevPlain.map(withRole);
const nextRole = nextPlain.map(withRole);
let bestAssign = Infinity;
let bestGiven = Infinity;
for (let i = 0; i < 9; i++) {
  // Alternate which goes first, so neither always runs after the other's garbage.
  const runs: [() => void, (ms: number) => void][] = [
    [() => { for (let d = 0; d < DEVICES; d++) rateSample(prevPlain[d]!, nextPlain[d]!); }, (ms) => { bestAssign = Math.min(bestAssign, ms); }],
    [() => { for (let d = 0; d < DEVICES; d++) rateSample(prevRole[d]!, nextRole[d]!); }, (ms) => { bestGiven = Math.min(bestGiven, ms); }],
  ];
  if (i % 2 === 1) runs.reverse();
  for (const [run, keep] of runs) {
    const t = performance.now();
    run();
    keep(performance.now() - t);
  }
}
process.stdout.write(`${'rateSample x 5000, roles assigned / given'.padEnd(44)} ${bestAssign.toFixed(1).padStart(8)} / ${bestGiven.toFixed(1)} ms\n`);

// An hour of per-minute rows for 1,000 devices -> 5-min -> hourly.
const hourRows: RollupRow[] = [];
for (let d = 0; d < 1000; d++) for (let m = 0; m < 60; m++) hourRows.push({ seriesKey: `dev-${d}`, bucketStartMs: T0 + m * 60_000, bucketMs: 0, samples: 1, rateSamples: 1, clientSamples: 1, inBpsAvg: m * 1000, inBpsMax: m * 1000, outBpsAvg: m, outBpsMax: m, clientsAvg: m % 9, clientsMax: m % 9, inBytes: BigInt(m), outBytes: 1n });
const roll = time('rollUp 60,000 rows -> 5 min -> 1 h', () => {
  rollUp(rollUp(hourRows, FIVE_MIN_MS), HOUR_MS);
});

// Scheduler bookkeeping: 50,000 devices, instant polls, on real timers, for one 10 s interval.
async function schedulerCycle(): Promise<{ ms: number; polls: number; cpuUsPerPoll: number }> {
  let polls = 0;
  const s = createScheduler({
    poll: async (t: DeviceTarget) => ({ ok: false, deviceId: t.deviceId, startedAtMs: 0, durationMs: 0, error: { kind: 'timeout', message: '' } }),
    onResult: () => { polls += 1; },
    maxConcurrent: 1024,
  });
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  for (let d = 0; d < 50_000; d++) s.upsert({ deviceId: `dev-${d}`, address: '127.0.0.1', vendor: null, pollIntervalS: 10, snmp: null, routeros: null });
  await new Promise((r) => setTimeout(r, 10_000));
  await s.stop();
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t, polls, cpuUsPerPoll: (cpu.user + cpu.system) / Math.max(1, polls) };
}
const sched = await schedulerCycle();

process.stdout.write(`\nratios to the baseline (${baseline.toFixed(1)} ms for ${DEVICES} poll results):\n`);
process.stdout.write(`  encode ${(encode / baseline).toFixed(2)}x, parse+validate ${(parse / baseline).toFixed(2)}x, state step ${(steps / baseline).toFixed(2)}x, rates ${(rates / baseline).toFixed(2)}x, roll-up ${(roll / baseline).toFixed(2)}x\n`);
process.stdout.write(`  rateSample assigning roles itself / with roles given: ${(bestAssign / bestGiven).toFixed(2)}x\n`);
process.stdout.write(`  interface samples through encode+parse: ${Math.round(samplesPerS).toLocaleString('en')} /s\n`);
process.stdout.write(`  scheduler: ${sched.polls} polls of 50,000 devices in one 10 s interval, ${sched.cpuUsPerPoll.toFixed(1)} us CPU per poll (scheduler + a no-op poll)\n`);
