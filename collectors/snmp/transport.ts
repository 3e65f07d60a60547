/**
 * The request layer: one snmp-native Session (one UDP socket) for every device, a bounded window of requests in
 * flight with a FIFO queue behind it, per-request timeout and retries, request-id matching. The Session is created
 * with its own `msgReceived` hook, so snmp-native's parser (which throws or half-reads on bad input) never sees a
 * datagram: ours is strict and every handler catches. Nothing here throws out of an event callback.
 */
import type { Socket } from 'node:dgram';
import snmp from 'snmp-native';
import { BerError, decodeMessage, encodeRequest } from './ber.ts';
import type { SnmpMessage } from './ber.ts';
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { PduTag, SnmpError } from './types.ts';
import type { SnmpClientStats, SnmpErrorKind, SnmpTarget } from './types.ts';

export interface TransportOptions {
  /** Requests allowed in flight at once, over all devices. */
  maxInFlight: number;
  /**
   * A request stops counting against the window after this long without an answer (its answer is still accepted
   * until its own timeout). Keeps silent devices from clogging the window; live agents answer well within it.
   * Default: hold the slot until answer or final timeout.
   */
  slotHoldMs?: number;
  /** SO_RCVBUF of the one socket (the kernel caps it at net.core.rmem_max). Default 4 MiB. */
  recvBufferBytes?: number;
}

export interface RequestSpec {
  pduTag: number;
  oids: readonly string[];
  /** error-status slot; non-repeaters for GETBULK. */
  a: number;
  /** error-index slot; max-repetitions for GETBULK. */
  b: number;
  timeoutMs: number;
  retries: number;
}

interface Job {
  target: SnmpTarget;
  spec: RequestSpec;
  resolve: (msg: SnmpMessage) => void;
  reject: (err: SnmpError) => void;
}

interface Pending {
  job: Job;
  id: number;
  buf: Buffer;
  community: Buffer;
  triesLeft: number;
  firstSentAtMs: number;
  timer: NodeJS.Timeout | null;
  holdsSlot: boolean;
}

interface Hint {
  kind: SnmpErrorKind;
  message: string;
  atMs: number;
}

const MAX_HINTS = 20_000;
/** Settled request-ids remembered to recognise late answers (about a minute of a busy collector's requests). */
const MAX_RETIRED = 65_536;
const RETIRED_FOR_MS = 120_000;

export interface Transport {
  request(target: SnmpTarget, spec: RequestSpec): Promise<SnmpMessage>;
  stats(): SnmpClientStats;
  close(): Promise<void>;
}

const communityCache = new Map<string, Buffer>();
function communityBytes(c: string): Buffer {
  let b = communityCache.get(c);
  if (!b) {
    b = Buffer.from(c, 'utf8');
    if (communityCache.size > 50_000) communityCache.clear();
    communityCache.set(c, b);
  }
  return b;
}

export function createTransport(opts: TransportOptions): Transport {
  if (!Number.isInteger(opts.maxInFlight) || opts.maxInFlight < 1) {
    throw new SnmpError('config', `maxInFlight must be a positive integer, got ${opts.maxInFlight}`);
  }
  const pending = new Map<number, Pending>();
  const queue: Job[] = [];
  let queueHead = 0;
  let inFlight = 0;
  let closed = false;
  let nextId = 1 + Math.floor(Math.random() * 0x3fffffff);
  const hints = new Map<string, Hint>();
  const counters = { sent: 0, retransmits: 0, received: 0, malformed: 0, unmatched: 0, late: 0 };
  // Issue 11: request-ids of settled requests, so an answer that comes after its request was answered (by an earlier
  // try: retries resend the same id) or given up is known as late, not as a stranger's. Insertion order = age.
  const retired = new Map<number, { address: string; port: number; atMs: number }>();
  // Per address: late answers counted and the last one's time (for the message of a timeout they explain).
  const lateBy = new Map<string, { count: number; lastMs: number }>();

  const session = new snmp.Session({
    // snmp-native calls this instead of its own parser; typed loosely in @types/snmp-native.
    msgReceived: (msg: Buffer, rinfo: { address: string; port: number }): void => {
      try {
        onMessage(msg, rinfo);
      } catch {
        counters.malformed++;
      }
    },
  } as unknown as ConstructorParameters<typeof snmp.Session>[0]);
  const socket = (session as unknown as { socket?: Socket }).socket;
  socket?.once('listening', () => {
    try {
      socket.setRecvBufferSize(opts.recvBufferBytes ?? 4 * 1024 * 1024);
    } catch {
      // keep the kernel default
    }
  });
  const slotHoldMs = opts.slotHoldMs ?? Infinity;
  const holders: Pending[] = [];
  let holdersHead = 0;
  let sweepTimer: NodeJS.Timeout | null = null;

  function scheduleSweep(): void {
    if (sweepTimer || !Number.isFinite(slotHoldMs)) return;
    while (holdersHead < holders.length && !(holders[holdersHead] as Pending).holdsSlot) holdersHead++;
    const head = holders[holdersHead];
    if (!head) {
      holders.length = 0;
      holdersHead = 0;
      return;
    }
    const waitMs = Math.max(0, head.firstSentAtMs + slotHoldMs - Date.now());
    sweepTimer = setTimeout(sweep, waitMs);
  }

  function sweep(): void {
    sweepTimer = null;
    const now = Date.now();
    while (holdersHead < holders.length) {
      const h = holders[holdersHead] as Pending;
      if (h.holdsSlot) {
        if (h.firstSentAtMs + slotHoldMs > now) break;
        h.holdsSlot = false;
        inFlight--;
      }
      holdersHead++;
    }
    if (holdersHead > 4096 && holdersHead * 2 > holders.length) {
      holders.splice(0, holdersHead);
      holdersHead = 0;
    }
    pump();
    scheduleSweep();
  }

  function hint(address: string, port: number, kind: SnmpErrorKind, message: string): void {
    if (hints.size >= MAX_HINTS) hints.clear();
    hints.set(`${address}:${port}`, { kind, message, atMs: Date.now() });
  }

  function allocId(): number {
    for (;;) {
      nextId = nextId >= 0x7ffffffe ? 1 : nextId + 1;
      if (!pending.has(nextId)) return nextId;
    }
  }

  function onMessage(buf: Buffer, rinfo: { address: string; port: number }): void {
    let msg: SnmpMessage;
    try {
      msg = decodeMessage(buf);
    } catch (err) {
      counters.malformed++;
      const why = err instanceof BerError ? err.message : String(err);
      hint(rinfo.address, rinfo.port, 'malformed', `malformed datagram from ${rinfo.address}:${rinfo.port}: ${why}`);
      return;
    }
    const p = pending.get(msg.requestId);
    if (!p && isLate(msg.requestId, rinfo)) {
      // A slow agent's answer to a request already settled: count it; the requests still waiting keep waiting.
      counters.late++;
      const key = `${rinfo.address}:${rinfo.port}`;
      const seen = lateBy.get(key);
      if (seen === undefined) {
        if (lateBy.size >= MAX_HINTS) lateBy.clear();
        lateBy.set(key, { count: 1, lastMs: Date.now() });
      } else {
        seen.count++;
        seen.lastMs = Date.now();
      }
      return;
    }
    if (!p || p.job.target.port !== rinfo.port || !sameHost(p.job.target.host, rinfo.address)) {
      counters.unmatched++;
      hint(rinfo.address, rinfo.port, 'protocol', `answer from ${rinfo.address}:${rinfo.port} with unknown request-id ${msg.requestId}`);
      return;
    }
    counters.received++;
    if (msg.pduTag !== PduTag.Response) {
      hint(rinfo.address, rinfo.port, 'protocol', `PDU 0x${msg.pduTag.toString(16)} instead of a Response`);
      return;
    }
    if (!msg.community.equals(p.community)) {
      finish(p, null, new SnmpError('auth', `answer carries another community than the one asked with`));
      return;
    }
    finish(p, msg, null);
  }

  function retire(p: Pending): void {
    const now = Date.now();
    for (const [id, r] of retired) {
      if (retired.size < MAX_RETIRED && r.atMs + RETIRED_FOR_MS > now) break;
      retired.delete(id);
    }
    retired.set(p.id, { address: p.job.target.host, port: p.job.target.port, atMs: now });
  }

  function isLate(id: number, rinfo: { address: string; port: number }): boolean {
    const r = retired.get(id);
    return r !== undefined && r.port === rinfo.port && sameHost(r.address, rinfo.address) && r.atMs + RETIRED_FOR_MS > Date.now();
  }

  function finish(p: Pending, msg: SnmpMessage | null, err: SnmpError | null): void {
    if (p.timer) clearTimeout(p.timer);
    pending.delete(p.id);
    retire(p);
    if (p.holdsSlot) {
      p.holdsSlot = false;
      inFlight--;
    }
    try {
      if (msg) p.job.resolve(msg);
      else p.job.reject(err ?? new SnmpError('internal', 'no result'));
    } finally {
      pump();
    }
  }

  function onTimer(p: Pending): void {
    p.timer = null;
    if (!pending.has(p.id)) return;
    if (p.triesLeft > 0) {
      p.triesLeft--;
      counters.retransmits++;
      transmit(p);
      return;
    }
    const t = p.job.target;
    const h = hints.get(`${t.host}:${t.port}`);
    const tries = p.job.spec.retries + 1;
    if (h && h.atMs >= p.firstSentAtMs) {
      finish(p, null, new SnmpError(h.kind, `${h.message}; no valid answer after ${tries} tries`));
      return;
    }
    // Issue 11: the shared socket is unconnected, so the kernel keeps ICMP "port unreachable" from it. Before calling
    // silence a timeout, ask once more from a connected socket, which does hear it: nothing listens there. The probe
    // holds no window slot.
    if (p.holdsSlot) {
      p.holdsSlot = false;
      inFlight--;
      pump();
    }
    void probePortUnreachable(t.host, t.port).then((unreachable) => {
      if (!pending.has(p.id)) return;
      if (unreachable) {
        finish(p, null, new SnmpError('unreachable', `nothing listens on ${t.host}:${t.port} (ICMP port unreachable after ${tries} tries)`));
      } else {
        const late = lateBy.get(`${t.host}:${t.port}`);
        // Late answers in the last minute say the agent is slow, not gone.
        const why = late !== undefined && late.lastMs >= p.firstSentAtMs - 60_000
          ? `the agent is slow: ${late.count} answers came after their request had settled; consider a longer SNMP timeout`
          : 'host down or wrong community';
        finish(p, null, new SnmpError('timeout', `no answer from ${t.host}:${t.port} after ${tries} tries of ${p.job.spec.timeoutMs} ms (${why})`));
      }
    });
  }

  function transmit(p: Pending): void {
    const s = (session as unknown as { socket?: Socket }).socket;
    if (!s) {
      finish(p, null, new SnmpError('internal', 'socket closed'));
      return;
    }
    counters.sent++;
    p.timer = setTimeout(onTimer, p.job.spec.timeoutMs, p);
    const t = p.job.target;
    try {
      s.send(p.buf, t.port, t.host, (err) => {
        if (err && pending.has(p.id)) {
          finish(p, null, new SnmpError('unreachable', `send to ${t.host}:${t.port} failed: ${err.message}`));
        }
      });
    } catch (err) {
      // Synchronous throws are bad arguments (e.g. ERR_SOCKET_BAD_PORT), not network trouble.
      finish(p, null, new SnmpError('config', `cannot send to ${t.host}:${t.port}: ${(err as Error).message}`));
    }
  }

  function dispatch(job: Job): void {
    const id = allocId();
    const community = communityBytes(job.target.community);
    let buf: Buffer;
    try {
      const s = job.spec;
      buf = encodeRequest(job.target.version === '1' ? 0 : 1, community, s.pduTag, id, s.a, s.b, s.oids);
    } catch (err) {
      job.reject(new SnmpError('config', `cannot encode request: ${(err as Error).message}`));
      return;
    }
    const p: Pending = { job, id, buf, community, triesLeft: job.spec.retries, firstSentAtMs: Date.now(), timer: null, holdsSlot: true };
    pending.set(id, p);
    inFlight++;
    if (Number.isFinite(slotHoldMs)) {
      holders.push(p);
      scheduleSweep();
    }
    transmit(p);
  }

  function pump(): void {
    while (inFlight < opts.maxInFlight && queueHead < queue.length) {
      const job = queue[queueHead] as Job;
      queue[queueHead] = undefined as unknown as Job;
      queueHead++;
      dispatch(job);
    }
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
  }

  return {
    request(target: SnmpTarget, spec: RequestSpec): Promise<SnmpMessage> {
      return new Promise<SnmpMessage>((resolve, reject) => {
        if (closed || !socket) {
          reject(new SnmpError('internal', 'SNMP client is closed'));
          return;
        }
        if (!(spec.timeoutMs > 0) || !Number.isInteger(spec.retries) || spec.retries < 0) {
          reject(new SnmpError('config', 'timeoutMs must be > 0 and retries a non-negative integer'));
          return;
        }
        queue.push({ target, spec, resolve, reject });
        pump();
      });
    },
    stats(): SnmpClientStats {
      return { ...counters, inFlight, pending: pending.size, queued: queue.length - queueHead };
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      const err = new SnmpError('internal', 'SNMP client closed');
      for (let i = queueHead; i < queue.length; i++) queue[i]?.reject(err);
      queue.length = 0;
      queueHead = 0;
      retired.clear();
      for (const p of [...pending.values()]) {
        if (p.timer) clearTimeout(p.timer);
        pending.delete(p.id);
        p.job.reject(err);
      }
      inFlight = 0;
      if (sweepTimer) clearTimeout(sweepTimer);
      sweepTimer = null;
      holders.length = 0;
      return new Promise<void>((resolve) => {
        const s = (session as unknown as { socket?: Socket }).socket;
        if (!s) {
          resolve();
          return;
        }
        s.once('close', () => resolve());
        try {
          session.close();
        } catch {
          resolve();
        }
      });
    },
  };
}

function sameHost(targetHost: string, address: string): boolean {
  if (targetHost === address) return true;
  // A name (e.g. "localhost") cannot be compared without a lookup: accept, the request-id already matched.
  return !/^\d+\.\d+\.\d+\.\d+$/.test(targetHost);
}

/**
 * Issue 11: true when the host answers a datagram to `port` with ICMP port unreachable (nothing listens: SNMP agent
 * stopped, wrong port), which a connected UDP socket reports as ECONNREFUSED. False on silence within `waitMs`
 * (host down, filtered, or wrong community) or any other outcome. Never throws.
 */
export function probePortUnreachable(host: string, port: number, waitMs = 250): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let sock: Socket;
    const end = (v: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        sock.close();
      } catch {
        // already closed
      }
      resolve(v);
    };
    const timer = setTimeout(() => end(false), waitMs);
    try {
      sock = createSocket(isIP(host) === 6 || host.startsWith('[') ? 'udp6' : 'udp4');
      sock.on('error', (err: NodeJS.ErrnoException) => end(err.code === 'ECONNREFUSED'));
      // An empty SEQUENCE: no agent would answer it, any listener ignores it.
      sock.connect(port, host.replace(/^\[|\]$/g, ''), () => {
        sock.send(Buffer.from([0x30, 0x00]), (err) => {
          if (err) end((err as NodeJS.ErrnoException).code === 'ECONNREFUSED');
        });
      });
    } catch {
      end(false);
    }
  });
}
