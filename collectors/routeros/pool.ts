/**
 * At most N (default 2) API sessions per router, shared by every caller in the process. Commands are pipelined on a
 * session (the API multiplexes by .tag); a second session opens only while the first has pipelineDepth commands in
 * flight, or when it died. Dead sessions are
 * dropped and replaced on the next command; idle sessions close after idleCloseMs.
 */
import { createHash } from 'node:crypto';
import { RouterOSError, toRouterOSError } from './errors.ts';
import { createNativeClient } from './native-client.ts';
import { createNodeRouterosClient } from './node-routeros-client.ts';
import { DEFAULT_CLIENT_OPTIONS, type RosCommand, type RosReply, type RouterOSClient, type RouterOSClientFactory, type RouterOSClientOptions, type RouterOSEndpoint, type RouterOSTlsOptions } from './types.ts';

export type RouterOSTransport = 'native' | 'node-routeros';

export interface RouterOSPoolOptions {
  /** Sessions per router; RouterOS allows 20 API sessions in total by default, we use at most this many. Default 2. */
  maxSessionsPerRouter?: number;
  /** Commands pipelined on one session before another session is opened. Default 4 (a full poll fits one session). */
  pipelineDepth?: number;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Close a session unused this long. Default 120 s (two poll intervals). */
  idleCloseMs?: number;
  /** 'native' (default, our hardened implementation) or 'node-routeros' (hardened wrapper around node-routeros 1.6.9). */
  transport?: RouterOSTransport;
  tlsOptions?: RouterOSTlsOptions;
  /** Replaces the transport entirely (tests). */
  clientFactory?: RouterOSClientFactory;
}

export interface RouterOSPoolStats {
  routers: number;
  sessionsOpen: number;
  sessionsOpened: number;
  peakSessionsPerRouter: number;
}

export interface RouterOSPool {
  /** Runs one command on one of the router's sessions (opening one if needed). Rejects only with RouterOSError. */
  run(endpoint: RouterOSEndpoint, command: RosCommand): Promise<RosReply>;
  stats(): RouterOSPoolStats;
  /** Closes every session; later run() calls reject with kind 'closed'. */
  close(): Promise<void>;
}

interface Slot {
  client: RouterOSClient;
  /** Which credentials this session logged in with (hash; sessions are never shared across credentials). */
  credKey: string;
  ready: Promise<void>;
  open: boolean;
  lastUsedMs: number;
  busy: number;
}

interface RouterEntry {
  slots: Slot[];
  /** Lowered to the sessions that worked when the router refused one more (its own max-sessions). */
  cap: number;
  /** Callers waiting for a session to become idle (every slot busy with other credentials). */
  waiters: Array<() => void>;
}

function routerKey(e: RouterOSEndpoint): string {
  return `${e.tls ? 'tls' : 'tcp'}://${e.host}:${e.port}`;
}

/** A changed password must log in anew, so sessions are matched on a hash of the credentials. */
function credentialsKey(e: RouterOSEndpoint): string {
  return createHash('sha256').update(`${e.username}\u0000${e.password}`).digest('base64url').slice(0, 16);
}

export function createRouterOsPool(options: RouterOSPoolOptions = {}): RouterOSPool {
  const maxSessions = Math.max(1, options.maxSessionsPerRouter ?? 2);
  const idleCloseMs = options.idleCloseMs ?? 120_000;
  const pipelineDepth = Math.max(1, options.pipelineDepth ?? 4);
  const clientOptions: RouterOSClientOptions = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.connectTimeoutMs,
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.commandTimeoutMs,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULT_CLIENT_OPTIONS.keepaliveIntervalMs,
    tlsOptions: options.tlsOptions,
  };
  const factory: RouterOSClientFactory =
    options.clientFactory ?? (options.transport === 'node-routeros' ? createNodeRouterosClient : createNativeClient);
  const routers = new Map<string, RouterEntry>();
  let closed = false;
  let sessionsOpened = 0;
  let peakSessionsPerRouter = 0;

  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of routers) {
      for (const slot of [...entry.slots]) {
        if (slot.open && slot.busy === 0 && now - slot.lastUsedMs > idleCloseMs) {
          dropSlot(entry, slot);
          void slot.client.close();
        }
      }
      if (entry.slots.length === 0 && entry.waiters.length === 0) routers.delete(key);
    }
  }, Math.max(1_000, Math.min(idleCloseMs, 30_000)));
  sweeper.unref();

  function dropSlot(entry: RouterEntry, slot: Slot): void {
    const i = entry.slots.indexOf(slot);
    if (i >= 0) entry.slots.splice(i, 1);
    wake(entry);
  }

  function wake(entry: RouterEntry): void {
    for (const w of entry.waiters.splice(0)) w();
  }

  function openSlot(entry: RouterEntry, endpoint: RouterOSEndpoint, credKey: string): Slot {
    const client = factory(endpoint, clientOptions);
    const slot: Slot = { client, credKey, ready: Promise.resolve(), open: false, lastUsedMs: Date.now(), busy: 0 };
    sessionsOpened++;
    slot.ready = client.connect().then(
      () => {
        slot.open = true;
      },
      (err: unknown) => {
        dropSlot(entry, slot);
        throw toRouterOSError(err);
      },
    );
    slot.ready.catch(() => undefined);
    entry.slots.push(slot);
    peakSessionsPerRouter = Math.max(peakSessionsPerRouter, entry.slots.length);
    return slot;
  }

  /** A session for these credentials, opening or recycling one within the router's cap; null = wait. */
  function pickSlot(entry: RouterEntry, endpoint: RouterOSEndpoint, credKey: string): Slot | null {
    for (const slot of [...entry.slots]) if (slot.open && !slot.client.alive) dropSlot(entry, slot);
    let best: Slot | null = null;
    for (const slot of entry.slots) if (slot.credKey === credKey && (best === null || slot.busy < best.busy)) best = slot;
    if (best !== null && best.busy < pipelineDepth) return best;
    if (entry.slots.length < entry.cap) return openSlot(entry, endpoint, credKey);
    const idleOther = entry.slots.find((s) => s.credKey !== credKey && s.busy === 0);
    if (idleOther !== undefined) {
      dropSlot(entry, idleOther);
      void idleOther.client.close();
      return openSlot(entry, endpoint, credKey);
    }
    return best;
  }

  async function acquire(entry: RouterEntry, endpoint: RouterOSEndpoint, deadlineMs: number): Promise<Slot> {
    const credKey = credentialsKey(endpoint);
    for (;;) {
      const slot = pickSlot(entry, endpoint, credKey);
      if (slot !== null) return slot;
      const leftMs = deadlineMs - Date.now();
      if (leftMs <= 0) throw new RouterOSError('busy', `all ${entry.cap} sessions to ${endpoint.host} are busy with other credentials`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, leftMs);
        entry.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (closed) throw new RouterOSError('closed', 'pool is closed');
    }
  }

  async function run(endpoint: RouterOSEndpoint, command: RosCommand): Promise<RosReply> {
    if (closed) throw new RouterOSError('closed', 'pool is closed');
    const key = routerKey(endpoint);
    let entry = routers.get(key);
    if (entry === undefined) {
      entry = { slots: [], cap: maxSessions, waiters: [] };
      routers.set(key, entry);
    }
    const slot = await acquire(entry, endpoint, Date.now() + (command.timeoutMs ?? clientOptions.commandTimeoutMs));
    slot.busy++;
    try {
      try {
        await slot.ready;
      } catch (err) {
        // A second session the router refused (e.g. its max-sessions reached): fall back to an open one.
        const fallback = entry.slots.find((s) => s !== slot && s.credKey === slot.credKey && s.client.alive);
        if (fallback === undefined) throw err;
        entry.cap = Math.max(1, entry.slots.length);
        return await runOn(entry, fallback, command);
      }
      return await slot.client.run(command);
    } catch (err) {
      if (!slot.client.alive) dropSlot(entry, slot);
      throw toRouterOSError(err);
    } finally {
      release(entry, slot);
    }
  }

  function release(entry: RouterEntry, slot: Slot): void {
    slot.busy--;
    slot.lastUsedMs = Date.now();
    if (slot.busy === 0) wake(entry);
  }

  async function runOn(entry: RouterEntry, slot: Slot, command: RosCommand): Promise<RosReply> {
    slot.busy++;
    try {
      await slot.ready;
      return await slot.client.run(command);
    } catch (err) {
      if (!slot.client.alive) dropSlot(entry, slot);
      throw toRouterOSError(err);
    } finally {
      release(entry, slot);
    }
  }

  function stats(): RouterOSPoolStats {
    let sessionsOpen = 0;
    for (const entry of routers.values()) sessionsOpen += entry.slots.filter((s) => s.open && s.client.alive).length;
    return { routers: routers.size, sessionsOpen, sessionsOpened, peakSessionsPerRouter };
  }

  async function close(): Promise<void> {
    closed = true;
    clearInterval(sweeper);
    for (const entry of routers.values()) wake(entry);
    const all: Promise<void>[] = [];
    for (const entry of routers.values()) for (const slot of entry.slots) all.push(slot.client.close());
    routers.clear();
    await Promise.allSettled(all);
  }

  return { run, stats, close };
}
