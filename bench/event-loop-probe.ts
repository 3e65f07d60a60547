/**
 * Preloaded into a server process by bench/sign-in-burst.ts (`node --import ./bench/event-loop-probe.ts ...`): samples
 * the process's event-loop delay with perf_hooks.monitorEventLoopDelay and appends one line per 50 ms interval,
 * `<epoch ms> <max delay ms> <mean delay ms>`, to the file named by JANGKAU_BENCH_ELD_FILE, so the bench can tell
 * how long the server's own loop was blocked during each phase (apart from the client's and the machine's delays).
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.JANGKAU_BENCH_ELD_FILE;
if (file !== undefined && file !== '') {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const timer = setInterval(() => {
    const max = h.max / 1e6;
    const mean = h.count > 0 ? h.mean / 1e6 : 0;
    appendFileSync(file, `${Date.now()} ${max.toFixed(1)} ${mean.toFixed(2)}\n`);
    h.reset();
  }, 50);
  timer.unref();
}
