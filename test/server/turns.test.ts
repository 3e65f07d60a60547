/**
 * Issue 10: the server's load levellers, below the burst test in test/security/sign-in-attacks.test.ts.
 * - `createTurns` starts queued requests in arrival order, a few per event-loop turn, so I/O is polled between turns.
 * - `takingTurns` lets the exempt paths (/healthz) past the queue, query string or not.
 * - The server's own Postgres pool (`openDatabase(url, { warm: true })`) opens all its connections at start and keeps
 *   them, so a burst never waits for Postgres to start a backend.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/connect-node.ts';
import { createTurns, MAX_WAITING, takingTurns } from '../../server/http/turns-node.ts';
import { PG_URL } from '../helpers/db.ts';
import { waitUntil } from '../helpers/wait.ts';

describe('turns', () => {
  it('starts at most `perTurn` queued requests per loop turn, in arrival order', async () => {
    const turns = createTurns(2);
    const started: number[] = [];
    const all = [0, 1, 2, 3, 4].map((i) => turns.take().then(() => started.push(i)));
    expect(turns.waiting).toBe(5);
    expect(started).toEqual([]);
    await nextTurn();
    expect(started).toEqual([0, 1]);
    // A request queued now waits behind those already queued.
    const late = turns.take().then(() => started.push(5));
    await nextTurn();
    expect(started).toEqual([0, 1, 2, 3]);
    await Promise.all([...all, late]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(turns.waiting).toBe(0);
  });

  it('lets I/O in between two turns', async () => {
    const turns = createTurns();
    const events: string[] = [];
    const busy = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    // Each request holds the loop 2 ms once started, as a sign-in's handler does about 1 ms.
    const queued = Array.from({ length: 50 }, (_, i) => turns.take().then(() => (busy(2), events.push(`r${i}`))));
    // The timer is due after the first turn's 8 starts; it fires in the next turn's timers phase, long before the last.
    setTimeout(() => events.push('timer'), 0);
    await Promise.all(queued);
    expect(events.indexOf('timer')).toBeGreaterThan(-1);
    expect(events.indexOf('timer')).toBeLessThanOrEqual(16);
  });

  it('keeps exempt paths out of the queue', async () => {
    const turns = createTurns();
    const seen: string[] = [];
    const fetch = takingTurns(
      (req: Request) => {
        seen.push(new URL(req.url).pathname);
        return new Response('ok');
      },
      (path) => path === '/healthz',
      turns,
    );
    const call = (path: string): Response | Promise<Response> => fetch(new Request(`http://x${path}`), { incoming: { url: path } });
    const queued = call('/api/v1/auth/login');
    const probed = call('/healthz?full=1');
    expect(seen).toEqual(['/healthz']);
    expect(turns.waiting).toBe(1);
    await Promise.all([queued, probed]);
    expect(seen).toEqual(['/healthz', '/api/v1/auth/login']);
  });
});

describe('turns under a flood and for clients that left', () => {
  const handler = (seen: string[]) => (req: Request): Response => {
    seen.push(new URL(req.url).pathname);
    return new Response('ok');
  };

  it('reads the client address on arrival and does not start a request whose client left while it waited', async () => {
    const seen: string[] = [];
    const fetch = takingTurns(handler(seen), (path) => path === '/healthz', createTurns());
    let reads = 0;
    const socket = { destroyed: false, get remoteAddress() { reads += 1; return '10.0.0.9'; } };
    const waiting = fetch(new Request('http://x/api/v1/auth/login'), { incoming: { url: '/api/v1/auth/login', socket } });
    // Read at once, before its turn: Node keeps the address only once it was read.
    expect(reads).toBe(1);
    socket.destroyed = true;
    expect((await waiting).status).toBe(499);
    expect(seen).toEqual([]);
  });

  it('refuses at once, with 503 and Retry-After, what arrives past the waiting limit', async () => {
    const seen: string[] = [];
    const fetch = takingTurns(handler(seen), (path) => path === '/healthz', createTurns());
    const call = (path: string): Response | Promise<Response> => fetch(new Request(`http://x${path}`), { incoming: { url: path } });
    const queued = Array.from({ length: MAX_WAITING }, () => call('/api/v1/sites'));
    const refused = await call('/api/v1/sites');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: 'unavailable', reason: 'server.busy' });
    // /healthz is not held to the limit, and every queued request is answered.
    expect((await call('/healthz')).status).toBe(200);
    expect((await Promise.all(queued)).every((r) => r.status === 200)).toBe(true);
    expect(seen).toHaveLength(MAX_WAITING + 1);
  });
});

describe('the server pool on Postgres', () => {
  it('opens its connections at start and keeps them', async () => {
    const name = `jangkau-warm-${process.pid}-${Date.now().toString(36)}`;
    const url = new URL(PG_URL);
    url.searchParams.set('application_name', name);
    const handle = openDatabase(url.toString(), { warm: true });
    const observer = new pg.Client({ connectionString: PG_URL });
    await observer.connect();
    const count = async (): Promise<number> =>
      Number((await observer.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [name])).rows[0].n);
    try {
      // Nothing was queried: the pool opened its 10 connections by itself.
      await waitUntil(async () => (await count()) === 10, 'the pool to open 10 connections');
      await handle.close();
      await waitUntil(async () => (await count()) === 0, 'the pool to close them');
    } finally {
      await handle.close().catch(() => {});
      await observer.end();
    }
  });
});
