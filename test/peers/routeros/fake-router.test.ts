/** The fake router on the raw wire: what any RouterOS API client (not only ours) would see. */
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSentence, SentenceDecoder } from '../../../collectors/routeros/wire.ts';
import { rowMatches } from './query.ts';
import { startFakeRouter, type FakeRouter } from './fake-router.ts';

class RawClient {
  private readonly decoder = new SentenceDecoder();
  private readonly inbox: string[][] = [];
  private waiters: Array<() => void> = [];
  closed = false;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.inbox.push(...this.decoder.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }
  send(...words: string[]): void {
    this.socket.write(encodeSentence(words));
  }
  /** Sentences up to and including the `!done` (or `!fatal`). */
  async reply(): Promise<string[][]> {
    const out: string[][] = [];
    for (;;) {
      while (this.inbox.length > 0) {
        const s = this.inbox.shift()!;
        out.push(s);
        if (s[0] === '!done' || s[0] === '!fatal') return out;
      }
      if (this.closed) return out;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

async function open(router: FakeRouter): Promise<RawClient> {
  const socket = router.tls
    ? tlsConnect({ host: router.host, port: router.port, ca: router.certPem ?? undefined })
    : connect({ host: router.host, port: router.port });
  await new Promise<void>((resolve, reject) => {
    socket.once(router.tls ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  return new RawClient(socket);
}

async function login(router: FakeRouter): Promise<RawClient> {
  const c = await open(router);
  c.send('/login', `=name=${router.username}`, `=password=${router.password}`, '.tag=L');
  expect(await c.reply()).toEqual([['!done', '.tag=L']]);
  return c;
}

let router: FakeRouter;

describe('fake RouterOS router', () => {
  afterEach(async () => {
    await router.close();
  });

  it.each([false, true])('logs in with name/password and echoes .tag on every reply (tls: %s)', async (tls) => {
    router = await startFakeRouter({ host: '127.0.0.8', tls });
    const bad = await open(router);
    bad.send('/login', '=name=jangkau', '=password=salah', '.tag=x');
    expect(await bad.reply()).toEqual([['!trap', '=message=invalid user name or password (6)', '.tag=x'], ['!done', '.tag=x']]);
    bad.socket.destroy();
    const c = await login(router);
    c.send('/interface/print', '=.proplist=name,rx-byte', '.tag=7');
    const reply = await c.reply();
    expect(reply.every((s) => s.at(-1) === '.tag=7')).toBe(true);
    expect(reply.slice(0, -1).map((s) => s.slice(1, -1))).toEqual(router.state.interfaces.map((r) => [`=name=${r.name}`, `=rx-byte=${r['rx-byte']}`]));
    c.socket.destroy();
  });

  it('answers queries, count-only, !empty, unknown commands and /quit like RouterOS', async () => {
    router = await startFakeRouter({ host: '127.0.0.8', faults: { emptyReplies: true } });
    const c = await login(router);
    c.send('/interface/print', '?running=true', '=.proplist=name', '.tag=q');
    const running = router.state.interfaces.filter((r) => r.running === 'true').map((r) => ['!re', `=name=${r.name}`, '.tag=q']);
    expect(await c.reply()).toEqual([...running, ['!done', '.tag=q']]);
    c.send('/interface/print', '?type=ether', '?running=false', '?#|', '=count-only=', '.tag=c');
    const n = router.state.interfaces.filter((r) => r.type === 'ether' || r.running === 'false').length;
    expect(await c.reply()).toEqual([['!done', `=ret=${n}`, '.tag=c']]);
    c.send('/interface/print', '?name=nope', '.tag=e');
    expect(await c.reply()).toEqual([['!empty', '.tag=e'], ['!done', '.tag=e']]);
    c.send('/no/such/thing', '.tag=u');
    expect(await c.reply()).toEqual([['!trap', '=category=0', '=message=no such command prefix', '.tag=u'], ['!done', '.tag=u']]);
    c.send('/quit', '.tag=z');
    expect(await c.reply()).toEqual([['!fatal', 'session terminated on request']]);
  });

  it('counts concurrent sessions and closes those over max-sessions', async () => {
    router = await startFakeRouter({ host: '127.0.0.8', faults: { maxSessions: 2 } });
    const a = await login(router);
    const b = await login(router);
    const c = await open(router);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(c.closed).toBe(true);
    expect(router.stats).toMatchObject({ peakSessions: 2, refusedOverLimit: 1, loginsOk: 2 });
    a.socket.destroy();
    b.socket.destroy();
  });
});

describe('RouterOS query words', () => {
  it.each([
    [{ name: 'a', n: '5' }, ['name=a'], true],
    [{ name: 'a', n: '5' }, ['name=b'], false],
    [{ name: 'a', n: '5' }, ['>n=3', '<n=9'], true],
    [{ name: 'a', n: '5' }, ['name=b', 'n=5', '#|'], true],
    [{ name: 'a', n: '5' }, ['name=a', '#!'], false],
    [{ name: 'a' }, ['-n'], true],
    [{ name: 'a' }, ['n'], false],
  ])('query %j %j -> %s', (row, queries, expected) => {
    expect(rowMatches(row, queries)).toBe(expected);
  });
});
