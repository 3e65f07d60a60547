/**
 * At most N (default 2) API sessions per router, shared by every caller in the process. Commands are pipelined on a
 * session (the API multiplexes by .tag); a second session opens only while the first has pipelineDepth commands in
 * flight, or when it died. Dead sessions are
 * dropped and replaced on the next command; idle sessions close after idleCloseMs.
 */
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
  ready: Promise<void>;
  open: boolean;
  lastUsedMs: number;
  busy: number;
}

interface RouterEntry {
  slots: Slot[];
  /** Lowered to the sessions that worked when the router refused one more (its own max-sessions). */
  cap: number;
}

function endpointKey(e: RouterOSEndpoint): string {
  return `${e.tls ? 'tls' : 'tcp'}://${e.username}@${e.host}:${e.port}`;
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
      if (entry.slots.length === 0) routers.delete(key);
    }
  }, Math.max(1_000, Math.min(idleCloseMs, 30_000)));
  sweeper.unref();

  function dropSlot(entry: RouterEntry, slot: Slot): void {
    const i = entry.slots.indexOf(slot);
    if (i >= 0) entry.slots.splice(i, 1);
  }

  function openSlot(entry: RouterEntry, endpoint: RouterOSEndpoint): Slot {
    const client = factory(endpoint, clientOptions);
    const slot: Slot = { client, ready: Promise.resolve(), open: false, lastUsedMs: Date.now(), busy: 0 };
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

  function pickSlot(entry: RouterEntry, endpoint: RouterOSEndpoint): Slot {
    for (const slot of [...entry.slots]) if (slot.open && !slot.client.alive) dropSlot(entry, slot);
    let best: Slot | null = null;
    for (const slot of entry.slots) if (best === null || slot.busy < best.busy) best = slot;
    if (best !== null && (best.busy < pipelineDepth || entry.slots.length >= entry.cap)) return best;
    return openSlot(entry, endpoint);
  }

  async function run(endpoint: RouterOSEndpoint, command: RosCommand): Promise<RosReply> {
    if (closed) throw new RouterOSError('closed', 'pool is closed');
    const key = endpointKey(endpoint);
    let entry = routers.get(key);
    if (entry === undefined) {
      entry = { slots: [], cap: maxSessions };
      routers.set(key, entry);
    }
    const slot = pickSlot(entry, endpoint);
    slot.busy++;
    try {
      try {
        await slot.ready;
      } catch (err) {
        // A second session the router refused (e.g. its max-sessions reached): fall back to an open one.
        const fallback = entry.slots.find((s) => s !== slot && s.client.alive);
        if (fallback === undefined) throw err;
        entry.cap = Math.max(1, entry.slots.length);
        return await runOn(entry, fallback, command);
      }
      return await slot.client.run(command);
    } catch (err) {
      if (!slot.client.alive) dropSlot(entry, slot);
      throw toRouterOSError(err);
    } finally {
      slot.busy--;
      slot.lastUsedMs = Date.now();
    }
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
      slot.busy--;
      slot.lastUsedMs = Date.now();
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
    const all: Promise<void>[] = [];
    for (const entry of routers.values()) for (const slot of entry.slots) all.push(slot.client.close());
    routers.clear();
    await Promise.allSettled(all);
  }

  return { run, stats, close };
}
