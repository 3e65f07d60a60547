/**
 * Sign-in attacked by many at once (issue 10), against the real Node server process on SQLite and Postgres. Client
 * addresses come through the trusted-proxy header (the server trusts 127.0.0.1 as its proxy).
 * - A burst of 100 wrong sign-ins, from one address and from 100 addresses, on a freshly started server: memory stays
 *   bounded, every request is answered (401, 429 or 503), and /healthz keeps answering quickly throughout.
 * - 60 wrong passwords at once for one account: at most 5 are evaluated (401), the rest are refused before hashing
 *   (429 by the budget, 503 by the full hash queue), and the right password is refused after.
 * - Strangers cannot lock an account: the admin still signs in from an address that worked before.
 * - A client-written X-Forwarded-For entry does not buy a fresh budget.
 * - A /healthz that reaches the server behind 100 sign-ins is not held for all of them: the server starts a few
 *   requests per event-loop turn (server/http/turns-node.ts). Judged by the order of the answers, not by a time: on
 *   SQLite the order is fixed; on Postgres /healthz's `select 1` round trip races the sign-ins' turns, with a wide
 *   margin (it came 1st; the bound is 50th; without turns it came 92nd).
 */
import { connect, type Socket } from 'node:net';
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

/** One kept-alive HTTP/1.1 connection to the server, with the time (order) of the first answer bytes after `armed`. */
interface RawConn {
  socket: Socket;
  send(text: string): void;
  /** Resolves at the first bytes of the next answer. */
  nextAnswer(): Promise<string>;
}

async function rawConn(base: string): Promise<RawConn> {
  const u = new URL(base);
  const socket = connect(Number(u.port), u.hostname);
  socket.setNoDelay(true);
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  let waiting: ((s: string) => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    const w = waiting;
    waiting = null;
    w?.(chunk.toString('latin1'));
  });
  return {
    socket,
    send: (text) => socket.write(text),
    nextAnswer: () => new Promise<string>((ok) => (waiting = ok)),
  };
}

const HEALTHZ_REQUEST = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

function loginRequest(email: string, client: string): string {
  const body = JSON.stringify({ email, password: 'wrong-password-123' });
  return (
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Forwarded-For: ${client}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
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

  it('answers a /healthz that arrives behind 100 sign-ins before most of them', async () => {
    // 101 kept-alive connections, each used once first, so the server has accepted them all.
    const conns = await Promise.all(Array.from({ length: 101 }, () => rawConn(s.base)));
    try {
      await Promise.all(
        conns.map(async (c) => {
          const first = c.nextAnswer();
          c.send(HEALTHZ_REQUEST);
          expect(await first).toMatch(/^HTTP\/1\.1 200/);
        }),
      );
      // Stop the server, put 100 sign-ins and then one /healthz in its sockets, and let it go on: it finds all 101
      // waiting at once, the /healthz last. Without turns it ran every sign-in's handler before reading /healthz.
      const order: string[] = [];
      const answered = conns.map((c, i) => c.nextAnswer().then((text) => order.push(i === 100 ? 'healthz' : text.slice(9, 12))));
      process.kill(s.pid, 'SIGSTOP');
      try {
        conns.slice(0, 100).forEach((c, i) => c.send(loginRequest(`antre-${i}@tidak-ada.test`, `10.5.0.${i + 1}`)));
        conns[100]!.send(HEALTHZ_REQUEST);
        await new Promise((ok) => setTimeout(ok, 100));
      } finally {
        process.kill(s.pid, 'SIGCONT');
      }
      await Promise.all(answered);
      const position = order.indexOf('healthz') + 1;
      console.log(`[sign-in burst ${dialect}] /healthz answered as ${position} of 101; the others: ${order.filter((x) => x !== 'healthz').join(' ')}`);
      expect(order.filter((x) => x !== 'healthz' && x !== '401' && x !== '429' && x !== '503')).toEqual([]);
      // On SQLite it is the first answer; on Postgres its `select 1` makes a round trip while sign-ins take their turns
      // (8 a turn). Without turns it came after every refused sign-in (92nd).
      expect(position).toBeLessThanOrEqual(50);
    } finally {
      for (const c of conns) c.socket.destroy();
    }
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
