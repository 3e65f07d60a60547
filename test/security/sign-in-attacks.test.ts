/**
 * Sign-in attacked by many at once (issue 10), against the real Node server process on SQLite and Postgres. Client
 * addresses come through the trusted-proxy header (the server trusts 127.0.0.1 as its proxy).
 * - A burst of 100 wrong sign-ins, from one address and from 100 addresses, on a freshly started server: memory stays
 *   bounded, every request is answered (401, 429 or 503), and /healthz keeps answering quickly throughout.
 * - 60 wrong passwords at once for one account: at most 5 are evaluated (401), the rest are refused before hashing
 *   (429 by the budget, 503 by the full hash queue), and the right password is refused after.
 * - Strangers cannot lock an account: the admin still signs in from an address that worked before.
 * - A client-written X-Forwarded-For entry does not buy a fresh budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/db.ts';
import { ADMIN, startServerProcess, type ServerProcess } from './server-process.ts';

const MIB = 1024 * 1024;
/**
 * The acceptance bound is 100 ms (bench/RESULTS.md has the measured figures); this test runs beside other test files
 * on a shared machine, so it holds /healthz to a bound that still fails the unbounded server (48 s) by far.
 */
const HEALTHZ_BOUND_MS = 3000;

interface BurstFigures {
  rssGrowthMiB: number;
  slowestMs: number;
  healthzWorstMs: number;
  healthzCount: number;
  statuses: Record<number, number>;
}

async function burst(s: ServerProcess, requests: Array<{ email: string; client: string }>): Promise<BurstFigures> {
  const before = s.rss();
  let peak = before;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, s.rss());
      await new Promise((ok) => setTimeout(ok, 20));
    }
  })();
  let healthzWorstMs = 0;
  let healthzCount = 0;
  const healthz = (async () => {
    while (running) {
      const t0 = performance.now();
      const r = await fetch(`${s.base}/healthz`);
      await r.arrayBuffer();
      expect(r.status).toBe(200);
      healthzWorstMs = Math.max(healthzWorstMs, performance.now() - t0);
      healthzCount++;
      await new Promise((ok) => setTimeout(ok, 20));
    }
  })();
  const started = performance.now();
  const answers = await Promise.all(
    requests.map(async (q) => {
      const r = await s.login(q.email, 'wrong-password-123', q.client);
      await r.arrayBuffer();
      return { status: r.status, ms: performance.now() - started, retryAfter: r.headers.get('retry-after') };
    }),
  );
  // Let the queue drain and the last samples land before stopping the watchers.
  await new Promise((ok) => setTimeout(ok, 200));
  running = false;
  await Promise.all([sampler, healthz]);
  const statuses: Record<number, number> = {};
  for (const a of answers) {
    statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    if (a.status === 429 || a.status === 503) expect(Number(a.retryAfter)).toBeGreaterThan(0);
  }
  return { rssGrowthMiB: (peak - before) / MIB, slowestMs: Math.max(...answers.map((a) => a.ms)), healthzWorstMs, healthzCount, statuses };
}

describe.each(DIALECTS)('sign-in under attack, real server (%s)', (dialect) => {
  let s: ServerProcess;
  beforeAll(async () => {
    s = await startServerProcess(dialect);
  }, 90_000);
  afterAll(async () => s?.stop());

  it('answers 100 concurrent wrong sign-ins with bounded memory, within 30 s, while /healthz keeps answering', async () => {
    // Fresh server: one sign-in of the admin first, so what follows measures the burst, not the first compile.
    const warm = await s.login(ADMIN.email, ADMIN.password, '10.9.0.1');
    expect(warm.status).toBe(200);
    const oneAddress = await burst(
      s,
      Array.from({ length: 100 }, (_, i) => ({ email: `orang-${i}@tidak-ada.test`, client: '10.1.0.1' })),
    );
    const manyAddresses = await burst(
      s,
      Array.from({ length: 100 }, (_, i) => ({ email: `warga-${i}@tidak-ada.test`, client: `10.2.${Math.floor(i / 200)}.${(i % 200) + 1}` })),
    );
    console.log(`[sign-in burst ${dialect}] one address: ${JSON.stringify(oneAddress)}; 100 addresses: ${JSON.stringify(manyAddresses)}`);
    for (const f of [oneAddress, manyAddresses]) {
      expect(Object.keys(f.statuses).map(Number).every((st) => st === 401 || st === 429 || st === 503)).toBe(true);
      expect(f.rssGrowthMiB).toBeLessThanOrEqual(256);
      expect(f.slowestMs).toBeLessThan(30_000);
      expect(f.healthzCount).toBeGreaterThan(0);
      expect(f.healthzWorstMs).toBeLessThan(HEALTHZ_BOUND_MS);
    }
    // One address: its budget of 30 attempts is reserved before any hashing, so at most 30 are evaluated (401); the
    // rest are refused early, by that budget (429) or by the full hash queue (503, which gives a reservation back).
    expect(oneAddress.statuses[401] ?? 0).toBeLessThanOrEqual(30);
    // 100 addresses, 100 accounts: no budget applies, the bounded hash queue does: most are refused early (503).
    expect(manyAddresses.statuses[503] ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('evaluates at most 5 of 60 concurrent wrong passwords for one account, then refuses the right one', async () => {
    const cookieRes = await s.login(ADMIN.email, ADMIN.password, '10.9.0.1');
    const cookie = (cookieRes.headers.get('set-cookie') ?? '').split(';')[0]!;
    const email = `sasaran-${dialect}@keamanan.test`;
    const created = await fetch(`${s.base}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: s.base },
      body: JSON.stringify({ email, password: 'kata-sandi-benar-123', role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => s.login(email, `salah-${i}`, '10.3.0.1').then((r) => r.status)));
    // The hash queue admits as many as it has places (running + waiting room) and refuses the rest at once (503,
    // nothing reserved, nothing evaluated). Of those admitted, exactly 5 reserve a try and are evaluated (401); the
    // others are refused by the budget before hashing (429). On a very busy machine one of the 5 may wait past the
    // queue's 5 s and be refused too (503, its reservation given back): never more than 5 are evaluated.
    expect(answers.filter((st) => st !== 401 && st !== 429 && st !== 503)).toEqual([]);
    expect(answers.filter((st) => st === 401).length).toBeLessThanOrEqual(5);
    expect(answers.filter((st) => st === 401).length).toBeGreaterThan(0);
    expect(answers.filter((st) => st === 401 || st === 429).length).toBeGreaterThan(5);
    const right = await s.login(email, 'kata-sandi-benar-123', '10.3.0.1');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    // A spoofed leftmost X-Forwarded-For entry is the client's own writing: the same budget still applies.
    const spoofed = await Promise.all(Array.from({ length: 35 }, (_, i) => s.login(email, 'kata-sandi-benar-123', '10.3.0.1', `203.0.113.${i + 1}`).then((r) => r.status)));
    // (Those past the hash queue's places are refused before the budget, 503: none is evaluated either way.)
    expect(spoofed.filter((st) => st !== 429 && st !== 503)).toEqual([]);
    expect(spoofed.filter((st) => st === 429).length).toBeGreaterThan(0);
  }, 120_000);

  it('lets strangers slow an account down but never lock its owner out of an address that worked before', async () => {
    // The admin signed in from 10.9.0.1 above. Now 60 addresses guess the admin's password at once.
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => s.login(ADMIN.email, `tebakan-${i}`, `10.4.0.${i + 1}`).then((r) => r.status)));
    expect(answers.filter((st) => st !== 401 && st !== 429 && st !== 503)).toEqual([]);
    expect(answers.filter((st) => st === 401).length).toBeLessThanOrEqual(5);
    expect(answers.filter((st) => st === 401).length).toBeGreaterThan(0);
    // A new address is held to the strangers' budget, now spent...
    expect((await s.login(ADMIN.email, ADMIN.password, '10.4.1.1')).status).toBe(429);
    // ...but the admin's known address signs in.
    expect((await s.login(ADMIN.email, ADMIN.password, '10.9.0.1')).status).toBe(200);
  }, 120_000);
});
