/**
 * Preloaded into a server process by bench/sign-in-burst.ts (`node --import ./bench/event-loop-probe.ts ...`): samples
 * the process's event-loop delay with perf_hooks.monitorEventLoopDelay and appends one line per 50 ms interval,
 * `<epoch ms> <max delay ms> <mean delay ms>`, to the file named by JANGKAU_BENCH_ELD_FILE, so the bench can tell
 * how long the server's own loop was blocked during each phase (apart from the client's and the machine's delays).
 * With JANGKAU_BENCH_HZ_FILE set it also appends, per GET /healthz, `<epoch ms when the server read it> <ms until its
 * answer was handed to the socket>`, so a slow probe can be split into time before the server read it and time inside.
 */
import { appendFileSync } from 'node:fs';
import http from 'node:http';
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

const hzFile = process.env.JANGKAU_BENCH_HZ_FILE;
if (hzFile !== undefined && hzFile !== '') {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]): boolean {
    if (event === 'request' && (args[0] as http.IncomingMessage).url === '/healthz') {
      const at = Date.now();
      const t0 = performance.now();
      (args[1] as http.ServerResponse).once('finish', () => appendFileSync(hzFile, `${at} ${(performance.now() - t0).toFixed(1)}\n`));
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}
