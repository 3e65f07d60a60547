/**
 * Issue 10 acceptance: 100 concurrent wrong sign-ins (POST /api/v1/auth/login) against a freshly started Node server
 * process, from one address and from 100 addresses (X-Forwarded-For through the trusted proxy 127.0.0.1). Measured:
 * the server's RSS growth over its idle RSS (/proc), the slowest answer, and /healthz polled every 20 ms during the
 * burst, as a ratio to /healthz on the same idle server just before (the baseline in the same run).
 *
 *   npx tsx bench/sign-in-burst.ts [sqlite|postgres]
 */
import { startServerProcess, ADMIN, type ServerProcess } from '../test/security/server-process.ts';

const dialect = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const MIB = 1024 * 1024;

async function healthzLoop(s: ServerProcess, stop: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (!stop()) {
    const t0 = performance.now();
    await (await fetch(`${s.base}/healthz`)).arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((ok) => setTimeout(ok, 20));
  }
  return times;
}

function p(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function run(label: string, s: ServerProcess, requests: Array<{ email: string; client: string }>): Promise<void> {
  let done = false;
  const idle = await (async () => {
    const end = performance.now() + 1000;
    return healthzLoop(s, () => performance.now() > end);
  })();
  const before = s.rss();
  let peak = before;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, s.rss());
      await new Promise((ok) => setTimeout(ok, 20));
    }
  })();
  const health = healthzLoop(s, () => done);
  const t0 = performance.now();
  const answers = await Promise.all(
    requests.map(async (q) => {
      const r = await s.login(q.email, 'wrong-password-123', q.client);
      await r.arrayBuffer();
      return { status: r.status, ms: performance.now() - t0 };
    }),
  );
  done = true;
  const [times] = await Promise.all([health, sampler]);
  const statuses: Record<number, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const idleP50 = p(idle, 0.5);
  console.log(
    `${dialect} ${label}: RSS ${(before / MIB).toFixed(0)} -> peak ${(peak / MIB).toFixed(0)} MiB (+${((peak - before) / MIB).toFixed(0)}), ` +
      `slowest answer ${(Math.max(...answers.map((a) => a.ms)) / 1000).toFixed(2)} s, statuses ${JSON.stringify(statuses)}, ` +
      `/healthz during: n=${times!.length} p50 ${p(times!, 0.5).toFixed(1)} ms, worst ${Math.max(...times!).toFixed(1)} ms ` +
      `(idle p50 ${idleP50.toFixed(1)} ms; worst/idle-p50 = ${(Math.max(...times!) / idleP50).toFixed(1)}x)`,
  );
}

const s = await startServerProcess(dialect);
try {
  const warm = await s.login(ADMIN.email, ADMIN.password, '10.9.0.1');
  if (warm.status !== 200) throw new Error(`warm-up sign-in failed: ${warm.status}`);
  await run('one address', s, Array.from({ length: 100 }, (_, i) => ({ email: `orang-${i}@tidak-ada.test`, client: '10.1.0.1' })));
  await run('100 addresses', s, Array.from({ length: 100 }, (_, i) => ({ email: `warga-${i}@tidak-ada.test`, client: `10.2.0.${i + 1}` })));
} finally {
  await s.stop();
}
