/**
 * A fake MikroTik router for tests and benchmarks: a TCP (API, 8728-style) or TLS (API-SSL) server on a loopback
 * address that speaks the real RouterOS API wire protocol - length-prefixed words, zero-byte sentence ends, `/login`
 * with name and password, `.tag` echoed on every reply, `!re`/`!done`/`!trap`/`!fatal`/`!empty` - holds state that
 * tests can read and change (`router.state`), and misbehaves on demand (`router.faults`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { encodeSentence, SentenceDecoder } from '../../../collectors/routeros/wire.ts';
import type { Row } from './query.ts';
import { defaultRouterState, executeCommand, type CommandRequest, type FakeRouterState, type ReplySentence } from './router-state.ts';
import { selfSignedCert } from './tls-cert.ts';

/** What the router does to one command (by path) instead of answering it properly. */
export type CommandFault =
  | 'garbage' // bytes that cannot be words (reserved control bytes)
  | 'garbage-words' // a well-framed sentence that is not a reply
  | 'huge-word' // a length prefix announcing a 4 GiB word
  | 'unknown-reply' // `!weird` instead of `!re`, then `!done`
  | 'untagged' // replies without .tag
  | 'tag-done-only' // rows without .tag, only the final `!done` tagged (some API proxies and clones do this)
  | 'wrong-tag' // replies with a tag nobody sent
  | 'close-mid-reply' // one row, half of the next sentence, then FIN
  | 'reset' // TCP RST
  | 'silent' // never answers this command (half-open)
  | 'fatal' // `!fatal` + reason, then close
  | 'trap'; // `!trap =category=2 =message=interrupted`, `!done`

export interface FakeRouterFaults {
  /** Answer an empty print with `!empty` then `!done`, as RouterOS 7.18+ does. */
  emptyReplies: boolean;
  /** Delay before every reply (login included). */
  replyDelayMs: number;
  /** Accept TCP, then never read or answer anything. */
  silentOnAccept: boolean;
  /** Connections beyond this many open ones are closed at once (RouterOS `/ip service` max-sessions). */
  maxSessions: number | null;
  /** Per command path, e.g. { '/interface/print': 'garbage' }. */
  commands: Record<string, CommandFault>;
  /** Behave like RouterOS before 6.43: answer /login with a challenge (=ret=) and expect an MD5 =response=. */
  legacyLogin: boolean;
}

export interface FakeRouterStats {
  connections: number;
  sessionsOpen: number;
  /** Most connections open at the same time. */
  peakSessions: number;
  loginsOk: number;
  loginsFailed: number;
  refusedOverLimit: number;
  /** Replies held back by `replyDelayMs` and since written (a client that gave up earlier saw none of them). */
  delayedRepliesWritten: number;
  /** Every command received after login, in order, with its words (to assert .proplist and queries). */
  commands: Array<{ command: string; words: string[] }>;
}

export interface FakeRouterOptions {
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** API-SSL with a self-signed certificate made at start (see tls-cert.ts). */
  tls?: boolean;
  username?: string;
  password?: string;
  /** More API accounts besides username/password (e.g. a read-only poller and a portal account). */
  extraUsers?: Array<{ name: string; password: string }>;
  state?: Partial<FakeRouterState>;
  faults?: Partial<FakeRouterFaults>;
}

export interface FakeRouter {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  /** PEM of the certificate when tls, to trust it from a client. */
  readonly certPem: string | null;
  readonly username: string;
  readonly password: string;
  /** Live state: tests read and change it directly (e.g. router.state.hotspotActive). */
  readonly state: FakeRouterState;
  /** Live fault switches; change them between commands. */
  readonly faults: FakeRouterFaults;
  readonly stats: FakeRouterStats;
  /** The hotspot user with this name, or undefined. */
  hotspotUser(name: string): Row | undefined;
  /** Drops every open connection abruptly (RST), keeps listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

function parseCommand(words: string[]): CommandRequest & { tag: string | null } {
  const req: CommandRequest & { tag: string | null } = { command: words[0] ?? '', attributes: {}, queries: [], proplist: null, tag: null };
  for (const word of words.slice(1)) {
    if (word.startsWith('.tag=')) req.tag = word.slice(5);
    else if (word.startsWith('=.proplist=')) req.proplist = word.slice(11).split(',').filter((s) => s !== '');
    else if (word.startsWith('=')) {
      const eq = word.indexOf('=', 1);
      if (eq < 0) req.attributes[word.slice(1)] = '';
      else req.attributes[word.slice(1, eq)] = word.slice(eq + 1);
    } else if (word.startsWith('?')) req.queries.push(word.slice(1));
  }
  return req;
}

/** TCP RST where the socket allows it (plain TCP); TLS sockets are destroyed (FIN after close_notify-less end). */
function reset(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function frame(sentences: ReplySentence[], tag: string | null): Buffer {
  return Buffer.concat(sentences.map((words) => encodeSentence(tag === null ? words : [...words, `.tag=${tag}`])));
}

export async function startFakeRouter(options: FakeRouterOptions = {}): Promise<FakeRouter> {
  const host = options.host ?? '127.0.0.1';
  const username = options.username ?? 'jangkau';
  const password = options.password ?? 'sandi-rahasia';
  const state: FakeRouterState = { ...defaultRouterState(), ...options.state };
  const faults: FakeRouterFaults = { emptyReplies: false, replyDelayMs: 0, silentOnAccept: false, maxSessions: null, commands: {}, legacyLogin: false, ...options.faults };
  const stats: FakeRouterStats = { connections: 0, sessionsOpen: 0, peakSessions: 0, loginsOk: 0, loginsFailed: 0, refusedOverLimit: 0, delayedRepliesWritten: 0, commands: [] };
  const sockets = new Set<Socket>();
  const cert = options.tls === true ? selfSignedCert(host) : null;

  function onConnection(socket: Socket): void {
    socket.on('error', () => undefined);
    if (faults.maxSessions !== null && sockets.size >= faults.maxSessions) {
      stats.refusedOverLimit++;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    stats.connections++;
    stats.sessionsOpen = sockets.size;
    stats.peakSessions = Math.max(stats.peakSessions, sockets.size);
    socket.on('close', () => {
      sockets.delete(socket);
      stats.sessionsOpen = sockets.size;
    });
    socket.setNoDelay(true);
    if (faults.silentOnAccept) return;
    const decoder = new SentenceDecoder();
    let loggedIn = false;
    let dead = false;
    let challenge: Buffer | null = null;

    const send = (data: Buffer): void => {
      if (dead) return;
      if (faults.replyDelayMs > 0) {
        setTimeout(() => {
          if (dead || socket.destroyed) return;
          stats.delayedRepliesWritten++;
          socket.write(data);
        }, faults.replyDelayMs);
      }
      else socket.write(data);
    };

    const handle = (words: string[]): void => {
      const req = parseCommand(words);
      if (req.command === '') return;
      if (!loggedIn) {
        if (req.command !== '/login') {
          send(frame([['!trap', '=message=not logged in'], ['!done']], req.tag));
          return;
        }
        if (faults.legacyLogin) {
          if (req.attributes.response === undefined) {
            challenge = randomBytes(16);
            send(frame([['!done', `=ret=${challenge.toString('hex')}`]], req.tag));
            return;
          }
          const expected = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from(password, 'utf8'), challenge ?? Buffer.alloc(0)])).digest('hex');
          if (challenge !== null && req.attributes.name === username && req.attributes.response === expected) {
            loggedIn = true;
            stats.loginsOk++;
            send(frame([['!done']], req.tag));
          } else {
            stats.loginsFailed++;
            send(frame([['!trap', '=message=cannot log in'], ['!done']], req.tag));
          }
          return;
        }
        const accountOk =
          (req.attributes.name === username && req.attributes.password === password) ||
          (options.extraUsers ?? []).some((u) => u.name === req.attributes.name && u.password === req.attributes.password);
        if (accountOk) {
          loggedIn = true;
          stats.loginsOk++;
          send(frame([['!done']], req.tag));
        } else {
          stats.loginsFailed++;
          send(frame([['!trap', '=message=invalid user name or password (6)'], ['!done']], req.tag));
        }
        return;
      }
      stats.commands.push({ command: req.command, words });
      if (req.command === '/quit') {
        send(encodeSentence(['!fatal', 'session terminated on request']));
        dead = true;
        socket.end();
        return;
      }
      const fault = faults.commands[req.command];
      switch (fault) {
        case undefined:
          send(frame(executeCommand(state, req, { emptyReplies: faults.emptyReplies }), req.tag));
          return;
        case 'garbage':
          send(Buffer.from([0xf8, 0xff, 0xfe, 0x13, 0x37, 0x00, 0x42]));
          return;
        case 'garbage-words':
          send(encodeSentence(['HTTP/1.1 400 Bad Request', 'Content-Length: 0']));
          return;
        case 'huge-word':
          send(Buffer.from([0xf0, 0xff, 0xff, 0xff, 0xff, 0x41, 0x41]));
          return;
        case 'unknown-reply':
          send(frame([['!weird', '=name=x'], ['!done']], req.tag));
          return;
        case 'untagged':
          send(frame([['!re', '=name=x'], ['!done']], null));
          return;
        case 'tag-done-only': {
          const sentences = executeCommand(state, req, { emptyReplies: faults.emptyReplies });
          send(Buffer.concat([frame(sentences.filter((w) => w[0] !== '!done'), null), frame([['!done']], req.tag)]));
          return;
        }
        case 'wrong-tag':
          send(frame([['!re', '=name=x'], ['!done']], `${req.tag ?? ''}x`));
          return;
        case 'close-mid-reply': {
          const whole = frame(executeCommand(state, req, { emptyReplies: false }), req.tag);
          const first = frame([['!re', '=name=partial']], req.tag);
          socket.write(Buffer.concat([first, whole.subarray(0, Math.max(1, Math.floor(whole.length / 2)))]));
          dead = true;
          socket.end();
          return;
        }
        case 'reset':
          dead = true;
          reset(socket);
          return;
        case 'silent':
          return;
        case 'fatal':
          send(encodeSentence(['!fatal', 'not enough memory']));
          setTimeout(() => socket.end(), faults.replyDelayMs + 5);
          return;
        case 'trap':
          send(frame([['!trap', '=category=2', '=message=interrupted'], ['!done']], req.tag));
          return;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      if (dead) return;
      try {
        for (const words of decoder.push(chunk)) handle(words);
      } catch {
        // A client sending non-words: the real router drops the connection.
        dead = true;
        socket.destroy();
      }
    });
  }

  const server: Server = cert === null ? createTcpServer(onConnection) : createTlsServer({ key: cert.key, cert: cert.cert }, onConnection);
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;

  return {
    host,
    port,
    tls: cert !== null,
    certPem: cert?.cert ?? null,
    username,
    password,
    state,
    faults,
    stats,
    hotspotUser: (name: string): Row | undefined => state.hotspotUsers.find((u) => u.name === name),
    dropConnections: (): void => {
      for (const s of sockets) reset(s);
    },
    close: (): Promise<void> =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
