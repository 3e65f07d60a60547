/**
 * A province's first gaps and the event loop: Banten's 1,552 villages (published file, the four self-intersecting
 * ones repaired as a ward import with repair=true does) x 10,000 seeded access points. Two fresh engines on the same
 * input, in one process:
 * - baseline: `engine.gaps('live')` in one step, as every gaps answer did before; it holds the loop for all of it;
 * - sliced: `engine.prepareGaps('live', GAP_SLICING)` (the server's 20 ms slices) and then `gaps()`.
 * Reported: wall time of each, the longest event-loop stall during each (perf_hooks.monitorEventLoopDelay), the
 * sliced stall as a ratio to the baseline's, whether the two answers are identical, and the engine build (a stall of
 * its own, outside both windows).
 *
 *   npx tsx bench/gaps-slices.ts [devices=10000]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { createCoverageEngine, seededRandom, type CoverageWard } from '../geo/coverage/index.ts';
import { seededDevices } from '../geo/coverage/synthetic.ts';
import { repairWardGeometry } from '../geo/wards/repair-ward-geometry.ts';
import { GAP_SLICING } from '../server/services/coverage/coverage-engine-cache.ts';
import { readSharedData } from '../test/helpers/shared-data.ts';

const count = Number(process.argv[2] ?? 10_000);

interface Village {
  properties: { kode: string; nama: string; kecamatan: string };
  geometry: CoverageWard['geometry'];
}

const villages = (JSON.parse(readSharedData('banten-desa.geojson')) as { features: Village[] }).features;
const wards: CoverageWard[] = villages.map((f) => {
  const repaired = repairWardGeometry(f.geometry);
  return { code: f.properties.kode, name: f.properties.nama, district: f.properties.kecamatan, geometry: repaired.ok ? (repaired.geometry as CoverageWard['geometry']) : f.geometry, population: 1000 };
});
const devices = seededDevices(wards, count, seededRandom(count), { radiusMinM: 50, radiusMaxM: 150 });

async function measure<T>(run: () => Promise<T>): Promise<{ ms: number; stallMs: number; value: T }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  // A timer that keeps the loop's delay sampled even while `run` awaits nothing but its own pauses.
  const tick = setInterval(() => {}, 5);
  h.enable();
  // The histogram measures between two of its own timer turns: let it take a few before the work starts.
  await new Promise((ok) => setTimeout(ok, 50));
  const t0 = performance.now();
  const value = await run();
  const ms = performance.now() - t0;
  // One more turn so a stall at the very end is recorded.
  await new Promise((ok) => setTimeout(ok, 10));
  h.disable();
  clearInterval(tick);
  return { ms, stallMs: h.max / 1e6, value };
}

// The engines are built first, outside the measured windows: building one is a stall of its own (reported).
const b0 = performance.now();
const first = createCoverageEngine(wards, devices);
const buildMs = performance.now() - b0;
const second = createCoverageEngine(wards, devices);
const oneStep = await measure(async () => first.gaps('live', { limit: 20 }));
const sliced = await measure(async () => {
  await second.prepareGaps('live', GAP_SLICING);
  return second.gaps('live', { limit: 20 });
});
const same = JSON.stringify(oneStep.value) === JSON.stringify(sliced.value);
console.log(
  `| ${new Date().toISOString().slice(0, 16)}Z | ${loadavg()[0]!.toFixed(1)} | Banten ${wards.length} villages x ${count} APs | ` +
    `one step: ${(oneStep.ms / 1000).toFixed(1)} s, longest stall ${(oneStep.stallMs / 1000).toFixed(2)} s | ` +
    `sliced: ${(sliced.ms / 1000).toFixed(1)} s, longest stall ${(sliced.stallMs / 1000).toFixed(2)} s | ` +
    `stall ratio ${(sliced.stallMs / oneStep.stallMs).toFixed(3)} | ${oneStep.value.totalGaps} gaps, answers ${same ? 'identical' : 'DIFFERENT'} | ` +
    `engine build (one step, not sliced) ${(buildMs / 1000).toFixed(1)} s |`,
);
if (!same) process.exitCode = 1;
