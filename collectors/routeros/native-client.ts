/**
 * Our own RouterOS API session over node:net / node:tls. Exists because node-routeros infers sentence boundaries from
 * TCP chunk boundaries and throws from socket handlers (see README.md). Properties:
 * - every sentence is one write with Nagle off; commands are tagged and may be pipelined on one session;
 * - every command has a deadline; an idle session probes the router and dies if the probe is not answered
 *   (half-open detection on top of TCP keepalive);
 * - every fault (bytes that are not words, unknown replies, stray tags, !fatal, resets, TLS) fails the session with a
 *   RouterOSError and rejects everything pending; no handler can throw.
 */
import { createHash } from 'node:crypto';
import { isIP, Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { RouterOSError, untaggedReplyMessage, toRouterOSError } from './errors.ts';
import { commandWords, type RosCommand, type RosReply, type RosRow, type RouterOSClient, type RouterOSClientOptions, type RouterOSEndpoint } from './types.ts';
import { encodeSentence, SentenceDecoder, WireFormatError } from './wire.ts';

interface PendingCommand {
  command: string;
  rows: RosRow[];
  trap: { message: string; category: number | null } | null;
  empty: boolean;
  timer: NodeJS.Timeout;
  resolve: (reply: RosReply) => void;
  reject: (err: RouterOSError) => void;
}

type SessionState = 'new' | 'connecting' | 'open' | 'dead';

/** Splits `=name=value` into [name, value]; null when the word is not an attribute. */
function splitAttribute(word: string): [string, string] | null {
  if (!word.startsWith('=')) return null;
  const eq = word.indexOf('=', 1);
  if (eq < 0) return [word.slice(1), ''];
  return [word.slice(1, eq), word.slice(eq + 1)];
}

export class NativeRouterOSClient implements RouterOSClient {
  private readonly endpoint: RouterOSEndpoint;
  private readonly options: RouterOSClientOptions;
  private socket: Socket | TLSSocket | null = null;
  private readonly decoder = new SentenceDecoder();
  private readonly pending = new Map<string, PendingCommand>();
  private nextTag = 1;
  private state: SessionState = 'new';
  private failure: RouterOSError | null = null;
  private lastRxMs = 0;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private connectReject: ((err: RouterOSError) => void) | null = null;
  private connectTimer: NodeJS.Timeout | null = null;

  constructor(endpoint: RouterOSEndpoint, options: RouterOSClientOptions) {
    this.endpoint = endpoint;
    this.options = options;
  }

  get alive(): boolean {
    return this.state === 'open' || this.state === 'connecting';
  }

  get inFlight(): number {
    return this.pending.size;
  }

  async connect(): Promise<void> {
    if (this.state !== 'new') throw new RouterOSError('config', 'a RouterOS client connects once; make a new one');
    this.state = 'connecting';
    await this.openSocket();
    await this.login();
    if (this.state !== 'connecting') throw this.failure ?? new RouterOSError('closed', 'session closed during login');
    this.state = 'open';
    this.startKeepalive();
  }

  run(command: RosCommand): Promise<RosReply> {
    if (this.state === 'dead' || this.state === 'new' || this.socket === null) {
      return Promise.reject(this.failure ?? new RouterOSError('closed', 'session is not open'));
    }
    const timeoutMs = command.timeoutMs ?? this.options.commandTimeoutMs;
    const tag = String(this.nextTag++);
    let frame: Buffer;
    try {
      frame = encodeSentence([...commandWords(command), `.tag=${tag}`]);
    } catch (err) {
      return Promise.reject(new RouterOSError('config', `cannot encode ${command.command}: ${(err as Error).message}`));
    }
    return new Promise<RosReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new RouterOSError('timeout', `no reply to ${command.command} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(tag, { command: command.command, rows: [], trap: null, empty: false, timer, resolve, reject });
      this.socket?.write(frame);
    });
  }

  close(): Promise<void> {
    if (this.state !== 'dead') this.fail(new RouterOSError('closed', 'session closed by the collector'), { graceful: true });
    return Promise.resolve();
  }

  private openSocket(): Promise<void> {
    const { host, port } = this.endpoint;
    return new Promise<void>((resolve, reject) => {
      this.connectReject = reject;
      const timer = setTimeout(() => {
        this.fail(new RouterOSError('timeout', `no connection to ${host}:${port} within ${this.options.connectTimeoutMs} ms`));
      }, this.options.connectTimeoutMs);
      this.connectTimer = timer;
      const onReady = (): void => {
        clearTimeout(timer);
        this.connectReject = null;
        if (this.state === 'dead') {
          reject(this.failure ?? new RouterOSError('closed', 'session closed'));
          return;
        }
        resolve();
      };
      let socket: Socket | TLSSocket;
      try {
        if (this.endpoint.tls) {
          const t = this.options.tlsOptions ?? {};
          const servername = t.servername ?? (isIP(host) === 0 ? host : undefined);
          socket = tlsConnect({ host, port, rejectUnauthorized: t.rejectUnauthorized ?? true, ca: t.ca, servername }, onReady);
        } else {
          socket = new Socket();
          socket.once('connect', onReady);
        }
      } catch (err) {
        clearTimeout(timer);
        this.connectReject = null;
        this.state = 'dead';
        reject(toRouterOSError(err));
        return;
      }
      this.socket = socket;
      socket.on('error', (err: Error) => this.fail(toRouterOSError(err)));
      socket.on('close', () => {
        clearTimeout(timer);
        this.fail(new RouterOSError('closed', 'connection closed by the router'));
      });
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      if (!this.endpoint.tls) socket.connect({ host, port });
    });
  }

  private async login(): Promise<void> {
    const { username, password } = this.endpoint;
    let reply: RosReply;
    try {
      reply = await this.run({ command: '/login', attributes: { name: username, password } });
    } catch (err) {
      const e = toRouterOSError(err);
      if (e.kind === 'trap') throw this.failAndReturn(new RouterOSError('auth', `login rejected: ${e.message}`, { category: e.category }));
      if (e.kind === 'fatal' && /session|too many|limit/i.test(e.message)) throw new RouterOSError('busy', e.message);
      throw e;
    }
    const challenge = reply.done.ret;
    if (challenge === undefined) return;
    // RouterOS before 6.43 answers with a challenge: reply with MD5(0 + password + challenge).
    const response = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from(password, 'utf8'), Buffer.from(challenge, 'hex')])).digest('hex');
    try {
      await this.run({ command: '/login', attributes: { name: username, response } });
    } catch (err) {
      const e = toRouterOSError(err);
      if (e.kind === 'trap') throw this.failAndReturn(new RouterOSError('auth', `login rejected: ${e.message}`, { category: e.category }));
      throw e;
    }
  }

  private failAndReturn(err: RouterOSError): RouterOSError {
    this.fail(err);
    return err;
  }

  private startKeepalive(): void {
    const intervalMs = this.options.keepaliveIntervalMs;
    if (intervalMs <= 0) return;
    this.lastRxMs = Date.now();
    this.keepaliveTimer = setInterval(() => {
      if (this.state !== 'open' || this.pending.size > 0) return;
      if (Date.now() - this.lastRxMs < intervalMs) return;
      this.run({ command: '/system/identity/print', proplist: ['name'] }).catch(() => undefined);
    }, Math.max(50, Math.floor(intervalMs / 2)));
    this.keepaliveTimer.unref();
  }

  private onData(chunk: Buffer): void {
    try {
      this.lastRxMs = Date.now();
      const sentences = this.decoder.push(chunk);
      for (const words of sentences) {
        if (this.state === 'dead') return;
        this.onSentence(words);
      }
    } catch (err) {
      if (err instanceof WireFormatError) this.fail(new RouterOSError('malformed', err.message));
      else this.fail(toRouterOSError(err));
    }
  }

  private onSentence(words: string[]): void {
    const reply = words[0];
    if (reply === undefined) return; // an empty sentence carries nothing
    if (!reply.startsWith('!')) {
      this.fail(new RouterOSError('malformed', `reply began with ${JSON.stringify(reply.slice(0, 40))}, not a !reply word`));
      return;
    }
    let tag: string | null = null;
    const attrs: RosRow = {};
    const bare: string[] = [];
    for (let i = 1; i < words.length; i++) {
      const word = words[i]!;
      if (word.startsWith('.tag=')) tag = word.slice(5);
      else if (word.startsWith('=')) {
        const pair = splitAttribute(word)!;
        attrs[pair[0]] = pair[1];
      } else if (word.startsWith('.')) continue; // other API attributes (e.g. .section) carry nothing we need
      else bare.push(word);
    }
    if (reply === '!fatal') {
      const message = attrs.message ?? bare.join(' ') ?? 'fatal';
      this.fail(new RouterOSError('fatal', `router closed the session: ${message || 'no reason given'}`));
      return;
    }
    if (bare.length > 0) {
      this.fail(new RouterOSError('malformed', `unexpected word ${JSON.stringify(bare[0]!.slice(0, 40))} in ${reply}`));
      return;
    }
    if (tag === null) {
      this.fail(new RouterOSError('protocol', untaggedReplyMessage(reply)));
      return;
    }
    const cmd = this.pending.get(tag);
    if (cmd === undefined) {
      this.fail(new RouterOSError('protocol', `${reply} for unknown tag ${JSON.stringify(tag.slice(0, 20))}`));
      return;
    }
    switch (reply) {
      case '!re':
        cmd.rows.push(attrs);
        return;
      case '!trap': {
        const category = attrs.category === undefined ? null : Number.parseInt(attrs.category, 10);
        cmd.trap = { message: attrs.message ?? 'trap without message', category: Number.isFinite(category) ? category : null };
        return;
      }
      case '!empty':
        cmd.empty = true;
        return;
      case '!done':
        this.pending.delete(tag);
        clearTimeout(cmd.timer);
        if (cmd.trap !== null) cmd.reject(new RouterOSError('trap', `${cmd.command}: ${cmd.trap.message}`, { category: cmd.trap.category }));
        else cmd.resolve({ rows: cmd.rows, done: attrs, empty: cmd.empty });
        return;
      default:
        this.fail(new RouterOSError('protocol', `unknown reply ${JSON.stringify(reply.slice(0, 40))} to ${cmd.command}`));
    }
  }

  /** Ends the session once: rejects everything pending with `err` and releases the socket. Never throws. */
  private fail(err: RouterOSError, opts: { graceful?: boolean } = {}): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.failure = err;
    if (this.keepaliveTimer !== null) clearInterval(this.keepaliveTimer);
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    for (const cmd of this.pending.values()) {
      clearTimeout(cmd.timer);
      cmd.reject(err);
    }
    this.pending.clear();
    this.connectReject?.(err);
    this.connectReject = null;
    const socket = this.socket;
    if (socket !== null) {
      if (opts.graceful === true && socket.writable) {
        socket.end();
        setTimeout(() => socket.destroy(), 1_000).unref();
      } else {
        socket.destroy();
      }
    }
  }
}

export function createNativeClient(endpoint: RouterOSEndpoint, options: RouterOSClientOptions): RouterOSClient {
  return new NativeRouterOSClient(endpoint, options);
}
