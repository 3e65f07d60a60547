/**
 * node-routeros 1.6.9 behind RouterOSClient, hardened. The library is used for what it does right (login, channels,
 * tag bookkeeping, word encoding); everything it gets wrong is wrapped:
 * - Framing: its Receiver ignores the zero byte that ends a sentence and guesses sentence ends from TCP chunk
 *   boundaries, and it throws (UNKNOWNREPLY, UNREGISTEREDTAG) from inside the socket's 'data' handler. We replace that
 *   handler with our own SentenceDecoder; each validated sentence is re-encoded and handed to its Receiver alone, in a
 *   try/catch. Garbage, unknown replies and stray tags fail the session with a typed error before it sees them.
 * - `!empty` (RouterOS 7.18+) is consumed here (the `!done` that follows ends the command with no rows).
 * - `!trap` category: read from the sentence here, attached to the rejection.
 * - Nagle: setNoDelay(true), and each command's words are corked into one segment.
 * - Deadlines on connect and every command, a keepalive probe on idle sessions, its socket idle timeout disabled
 *   after login, 'error' listeners everywhere (its EventEmitters otherwise throw ERR_UNHANDLED_ERROR).
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { TlsOptions } from 'node:tls';
import { RouterOSError, untaggedReplyMessage, toRouterOSError } from './errors.ts';
import { commandWords, type RosCommand, type RosReply, type RosRow, type RouterOSClient, type RouterOSClientOptions, type RouterOSEndpoint } from './types.ts';
import { encodeSentence, SentenceDecoder, WireFormatError } from './wire.ts';

const require = createRequire(import.meta.url);
const nodeRouteros = require('node-routeros') as typeof import('node-routeros');

/** The parts of node-routeros' private state we reach into (names as in its dist/ of 1.6.9). */
interface ConnectorInternals {
  socket: Socket;
  receiver: { processRawData(data: Buffer): void };
  write(words: string[]): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}
interface ApiInternals {
  connector: ConnectorInternals | null;
  connectionHoldInterval?: NodeJS.Timeout;
  keptaliveby?: NodeJS.Timeout;
}

interface TagState {
  trap: { message: string; category: number | null } | null;
  empty: boolean;
  done: RosRow | null;
}

export interface NodeRouterosClientOptions extends RouterOSClientOptions {
  /** Only for the benchmark's baseline; default true. */
  noDelay?: boolean;
}

type State = 'new' | 'connecting' | 'open' | 'dead';

function attributesOf(words: string[]): { tag: string | null; attrs: RosRow; bare: string[] } {
  let tag: string | null = null;
  const attrs: RosRow = {};
  const bare: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('.tag=')) tag = word.slice(5);
    else if (word.startsWith('=')) {
      const eq = word.indexOf('=', 1);
      if (eq < 0) attrs[word.slice(1)] = '';
      else attrs[word.slice(1, eq)] = word.slice(eq + 1);
    } else if (!word.startsWith('.')) bare.push(word);
  }
  return { tag, attrs, bare };
}

export class NodeRouterosClient implements RouterOSClient {
  private readonly endpoint: RouterOSEndpoint;
  private readonly options: NodeRouterosClientOptions;
  private readonly api: InstanceType<typeof nodeRouteros.RouterOSAPI>;
  private connector: ConnectorInternals | null = null;
  private readonly decoder = new SentenceDecoder();
  private readonly tags = new Map<string, TagState>();
  private readonly rejecters = new Set<(err: RouterOSError) => void>();
  private lastWrittenTag: string | null = null;
  private loginTag: string | null = null;
  private lastSocketError: Error | null = null;
  private state: State = 'new';
  private failure: RouterOSError | null = null;
  private running = 0;
  private lastRxMs = 0;
  private keepaliveTimer: NodeJS.Timeout | null = null;

  constructor(endpoint: RouterOSEndpoint, options: NodeRouterosClientOptions) {
    this.endpoint = endpoint;
    this.options = options;
    const t = options.tlsOptions ?? {};
    this.api = new nodeRouteros.RouterOSAPI({
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.username,
      password: endpoint.password,
      timeout: Math.max(1, Math.ceil(options.connectTimeoutMs / 1000)),
      tls: endpoint.tls ? ({ rejectUnauthorized: t.rejectUnauthorized ?? true, ca: t.ca, servername: t.servername } as TlsOptions) : undefined,
      keepalive: false,
    });
    this.api.on('error', (err: unknown) => this.fail(this.mapSocketError(err)));
    this.api.on('close', () => this.fail(new RouterOSError('closed', 'connection closed by the router')));
  }

  get alive(): boolean {
    return this.state === 'open' || this.state === 'connecting';
  }

  get inFlight(): number {
    return this.running;
  }

  async connect(): Promise<void> {
    if (this.state !== 'new') throw new RouterOSError('config', 'a RouterOS client connects once; make a new one');
    this.state = 'connecting';
    const connecting = this.api.connect();
    connecting.catch(() => undefined);
    this.instrument();
    const deadlineMs = this.options.connectTimeoutMs + this.options.commandTimeoutMs;
    await this.guard(connecting, deadlineMs, `no login on ${this.endpoint.host}:${this.endpoint.port} within ${deadlineMs} ms`, (err) => {
      const login = this.loginTag === null ? undefined : this.tags.get(this.loginTag);
      if (login?.trap) return new RouterOSError('auth', `login rejected: ${login.trap.message}`, { category: login.trap.category });
      if (err instanceof Error && (err as { errno?: unknown }).errno === 'CANTLOGIN') return new RouterOSError('auth', 'login rejected');
      return this.mapSocketError(err);
    });
    if (this.loginTag !== null) this.tags.delete(this.loginTag);
    if (this.state !== 'connecting') throw this.failure ?? new RouterOSError('closed', 'session closed during login');
    this.state = 'open';
    this.connector?.socket.setTimeout(0); // its idle timeout would kill pooled sessions; our probe replaces it
    this.startKeepalive();
  }

  async run(command: RosCommand): Promise<RosReply> {
    if (this.state !== 'open') throw this.failure ?? new RouterOSError('closed', 'session is not open');
    this.lastWrittenTag = null;
    const words = commandWords(command);
    this.running++;
    try {
      const writing = this.api.write(words) as Promise<Array<Record<string, unknown>>>;
      writing.catch(() => undefined);
      const tag = this.lastWrittenTag as string | null;
      const timeoutMs = command.timeoutMs ?? this.options.commandTimeoutMs;
      const data = await this.guard(writing, timeoutMs, `no reply to ${command.command} within ${timeoutMs} ms`, (err) => {
        const state = tag === null ? undefined : this.tags.get(tag);
        if (state?.trap) return new RouterOSError('trap', `${command.command}: ${state.trap.message}`, { category: state.trap.category });
        return toRouterOSError(err);
      });
      const state = tag === null ? undefined : this.tags.get(tag);
      if (tag !== null) this.tags.delete(tag);
      const done = state?.done ?? {};
      // node-routeros pushes the attributes of !done as one more row; take it back off.
      const rowsRaw = Object.keys(done).length > 0 ? data.slice(0, -1) : data;
      const rows = rowsRaw.map((row) => {
        const clean: RosRow = {};
        for (const [k, v] of Object.entries(row)) if (typeof v === 'string') clean[k] = v;
        return clean;
      });
      return { rows, done, empty: state?.empty ?? false };
    } finally {
      this.running--;
    }
  }

  close(): Promise<void> {
    this.fail(new RouterOSError('closed', 'session closed by the collector'));
    return Promise.resolve();
  }

  /** Races a node-routeros promise against a deadline and this session's failure. */
  private guard<T>(work: Promise<T>, timeoutMs: number, timeoutMessage: string, mapError: (err: unknown) => RouterOSError): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const rejecter = (err: RouterOSError): void => {
        clearTimeout(timer);
        this.rejecters.delete(rejecter);
        reject(err);
      };
      const timer = setTimeout(() => this.fail(new RouterOSError('timeout', timeoutMessage)), timeoutMs);
      this.rejecters.add(rejecter);
      work.then(
        (value) => {
          clearTimeout(timer);
          this.rejecters.delete(rejecter);
          if (this.state === 'dead') reject(this.failure ?? new RouterOSError('closed', 'session closed'));
          else resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          this.rejecters.delete(rejecter);
          reject(this.state === 'dead' && this.failure !== null ? this.failure : mapError(err));
        },
      );
    });
  }

  private instrument(): void {
    const connector = (this.api as unknown as ApiInternals).connector;
    if (connector === null) throw new RouterOSError('config', 'node-routeros created no connector');
    this.connector = connector;
    const socket = connector.socket;
    socket.setNoDelay(this.options.noDelay ?? true);
    socket.removeAllListeners('data');
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.prependListener('error', (err: Error) => {
      this.lastSocketError = err;
      this.fail(toRouterOSError(err));
    });
    socket.on('close', () => this.fail(new RouterOSError('closed', 'connection closed by the router')));
    connector.on('error', () => undefined);
    connector.on('timeout', () => this.fail(new RouterOSError('timeout', 'socket idle timeout')));
    const originalWrite = connector.write.bind(connector);
    connector.write = (words: string[]): unknown => {
      const tagWord = words.find((w) => w.startsWith('.tag='));
      if (tagWord !== undefined) {
        const tag = tagWord.slice(5);
        this.tags.set(tag, { trap: null, empty: false, done: null });
        this.lastWrittenTag = tag;
        if (this.loginTag === null) this.loginTag = tag;
      }
      socket.cork();
      try {
        return originalWrite(words);
      } finally {
        socket.uncork();
      }
    };
  }

  private startKeepalive(): void {
    const intervalMs = this.options.keepaliveIntervalMs;
    if (intervalMs <= 0) return;
    this.lastRxMs = Date.now();
    this.keepaliveTimer = setInterval(() => {
      if (this.state !== 'open' || this.running > 0) return;
      if (Date.now() - this.lastRxMs < intervalMs) return;
      this.run({ command: '/system/identity/print', proplist: ['name'] }).catch(() => undefined);
    }, Math.max(50, Math.floor(intervalMs / 2)));
    this.keepaliveTimer.unref();
  }

  private onData(chunk: Buffer): void {
    try {
      this.lastRxMs = Date.now();
      for (const words of this.decoder.push(chunk)) {
        if (this.state === 'dead') return;
        if (!this.accept(words)) continue;
        this.connector?.receiver.processRawData(encodeSentence(words));
      }
    } catch (err) {
      if (err instanceof WireFormatError) this.fail(new RouterOSError('malformed', err.message));
      else this.fail(new RouterOSError('protocol', `node-routeros: ${(err as Error)?.message || String(err)}`, { cause: err }));
    }
  }

  /** Validates one sentence; returns whether node-routeros should see it. */
  private accept(words: string[]): boolean {
    const reply = words[0];
    if (reply === undefined) return false;
    if (!reply.startsWith('!')) {
      this.fail(new RouterOSError('malformed', `reply began with ${JSON.stringify(reply.slice(0, 40))}, not a !reply word`));
      return false;
    }
    const { tag, attrs, bare } = attributesOf(words);
    if (reply === '!fatal') {
      this.fail(new RouterOSError('fatal', `router closed the session: ${attrs.message ?? (bare.join(' ') || 'no reason given')}`));
      return false;
    }
    if (bare.length > 0) {
      this.fail(new RouterOSError('malformed', `unexpected word ${JSON.stringify(bare[0]!.slice(0, 40))} in ${reply}`));
      return false;
    }
    const state = tag === null ? undefined : this.tags.get(tag);
    if (tag === null || state === undefined) {
      this.fail(new RouterOSError('protocol', tag === null ? untaggedReplyMessage(reply) : `${reply} for unknown tag`));
      return false;
    }
    switch (reply) {
      case '!re':
        return true;
      case '!trap': {
        const category = attrs.category === undefined ? NaN : Number.parseInt(attrs.category, 10);
        state.trap = { message: attrs.message ?? 'trap without message', category: Number.isFinite(category) ? category : null };
        return true;
      }
      case '!empty':
        state.empty = true;
        return false;
      case '!done':
        state.done = attrs;
        return true;
      default:
        this.fail(new RouterOSError('protocol', `unknown reply ${JSON.stringify(reply.slice(0, 40))}`));
        return false;
    }
  }

  private mapSocketError(err: unknown): RouterOSError {
    if (this.lastSocketError !== null) return toRouterOSError(this.lastSocketError);
    return toRouterOSError(err);
  }

  private fail(err: RouterOSError): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.failure = err;
    if (this.keepaliveTimer !== null) clearInterval(this.keepaliveTimer);
    const internals = this.api as unknown as ApiInternals;
    if (internals.connectionHoldInterval !== undefined) clearTimeout(internals.connectionHoldInterval);
    if (internals.keptaliveby !== undefined) clearTimeout(internals.keptaliveby);
    for (const reject of [...this.rejecters]) reject(err);
    this.rejecters.clear();
    this.connector?.socket.destroy();
  }
}

export function createNodeRouterosClient(endpoint: RouterOSEndpoint, options: RouterOSClientOptions): RouterOSClient {
  return new NodeRouterosClient(endpoint, options);
}
