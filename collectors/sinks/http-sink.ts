/**
 * HTTP sink: `deliver` makes a batch durable in the on-disk outbox and returns; a pump POSTs the outbox, oldest
 * first, to `${serverUrl}/api/v1/ingest` with `Authorization: Bearer <token>`, and removes each file once the server
 * answered 2xx. The server is idempotent per batchId, so a batch sent again after a crash between "server stored"
 * and "file removed" is not stored twice.
 * - 5xx, 408, 429, network errors and timeouts: retried with exponential back-off and jitter (base * 2^attempt,
 *   capped, times a random factor in [0.5, 1]). Issue 11: a failing batch steps aside. The pump waits one retry
 *   interval (the back-off of its consecutive failures, whatever batch they were) and then sends the oldest batch that
 *   is not itself waiting out its own back-off, so a batch the server keeps failing holds newer ones back for one
 *   retry interval at most, while a server that is down for everyone still sees one try per interval.
 * - Any other 4xx (bad token, malformed, too large): the server will never take it; the file moves to
 *   `<outbox>/rejected/` and `onRejected` is called. Nothing is silently dropped.
 * Restart-safe: a new sink on the same folder sends whatever is left there.
 */
import type { IngestBatch } from '../../core/ingest.ts';
import { systemClock, type Clock } from '../../core/time.ts';
import { INGEST_MAX_BODY_BYTES, encodeIngestBatch } from '../../core/ingest.ts';
import { systemTimers } from '../scheduler/timers.ts';
import type { Timers } from '../scheduler/timers.ts';
import { openOutbox } from './outbox.ts';
import type { Outbox, OutboxEntry } from './outbox.ts';
import type { Sink } from './sink.ts';

export interface HttpSinkOptions {
  serverUrl: string;
  token: string;
  outboxDir: string;
  fetchFn?: typeof fetch;
  timers?: Timers;
  /** For each batch's own back-off (with `timers`, so tests can drive both). */
  clock?: Clock;
  random?: () => number;
  requestTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  maxBodyBytes?: number;
  onRejected?: (entry: OutboxEntry, status: number, body: string) => void;
  onRetry?: (entry: OutboxEntry, attempt: number, reason: string, delayMs: number) => void;
  onDelivered?: (entry: OutboxEntry) => void;
}

export interface HttpSinkStats {
  delivered: number;
  rejected: number;
  retries: number;
  lastError: string | null;
}

export interface HttpSink extends Sink {
  /** Resolves true once the outbox is empty, false when `timeoutMs` passed first. */
  drain(options?: { timeoutMs?: number }): Promise<boolean>;
  pending(): Promise<number>;
  stats(): HttpSinkStats;
  readonly outbox: Outbox;
}

/** Splits a batch whose JSON would exceed the limit into parts `${batchId}.1`, `.2`, ... (events go with part 1). */
export function encodeBatchBodies(batch: IngestBatch, maxBytes: number): Array<{ batchId: string; body: string }> {
  const body = JSON.stringify(encodeIngestBatch(batch));
  if (Buffer.byteLength(body) <= maxBytes) return [{ batchId: batch.batchId, body }];
  if (batch.items.length + batch.events.length <= 1) throw new Error(`one poll result alone is larger than ${maxBytes} bytes`);
  const parts: IngestBatch[] =
    batch.items.length >= 2
      ? [
          { ...batch, items: batch.items.slice(0, batch.items.length >> 1) },
          { ...batch, items: batch.items.slice(batch.items.length >> 1), events: [] },
        ]
      : [
          { ...batch, items: batch.items, events: batch.events.slice(0, batch.events.length >> 1) },
          { ...batch, items: [], events: batch.events.slice(batch.events.length >> 1) },
        ];
  const out: Array<{ batchId: string; body: string }> = [];
  parts.forEach((part, i) => {
    for (const sub of encodeBatchBodies({ ...part, batchId: `${batch.batchId}.${i + 1}` }, maxBytes)) out.push(sub);
  });
  return out;
}

export async function createHttpSink(options: HttpSinkOptions): Promise<HttpSink> {
  const outbox = await openOutbox(options.outboxDir);
  const fetchFn = options.fetchFn ?? fetch;
  const timers = options.timers ?? systemTimers;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const baseMs = options.backoffBaseMs ?? 1000;
  const maxMs = options.backoffMaxMs ?? 300_000;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const maxBytes = options.maxBodyBytes ?? INGEST_MAX_BODY_BYTES;
  const url = new URL('/api/v1/ingest', options.serverUrl).toString();
  const stats: HttpSinkStats = { delivered: 0, rejected: 0, retries: 0, lastError: null };
  let closed = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let wake: (() => void) | null = null;
  let backoffTimer: unknown = null;
  let request: AbortController | null = null;
  const idleWaiters = new Set<() => void>();

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      wake = (): void => {
        wake = null;
        if (backoffTimer !== null) timers.clearTimeout(backoffTimer);
        backoffTimer = null;
        resolve();
      };
      backoffTimer = timers.setTimeout(() => wake?.(), ms);
    });
  }

  async function post(body: string): Promise<{ status: number; text: string } | { error: string }> {
    const controller = new AbortController();
    request = controller;
    const timer = timers.setTimeout(() => controller.abort(new Error('request timeout')), timeoutMs);
    try {
      const res = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body,
        signal: controller.signal,
      });
      const text = await res.text();
      return { status: res.status, text };
    } catch (error) {
      return { error: error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error) };
    } finally {
      timers.clearTimeout(timer);
      request = null;
    }
  }

  const backoff = (attempt: number): number => Math.round(Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)) * (0.5 + 0.5 * random()));
  /** Per outbox file: failed tries and when it may be tried again (forgotten once delivered or set aside). */
  const waiting = new Map<string, { attempts: number; notBeforeMs: number }>();

  async function pumpOnce(): Promise<void> {
    // Consecutive failed tries, whatever the batch: the retry interval grows with them and resets on a success.
    let failures = 0;
    for (;;) {
      if (closed) return;
      const entries = await outbox.list();
      if (entries.length === 0) {
        waiting.clear();
        return;
      }
      if (waiting.size > entries.length) {
        const present = new Set(entries.map((e) => e.name));
        for (const name of waiting.keys()) if (!present.has(name)) waiting.delete(name);
      }
      const now = clock.nowMs();
      // Oldest first, skipping a batch that is waiting out its own back-off.
      const entry = entries.find((e) => (waiting.get(e.name)?.notBeforeMs ?? 0) <= now);
      if (entry === undefined) {
        let soonest = Number.POSITIVE_INFINITY;
        for (const e of entries) soonest = Math.min(soonest, waiting.get(e.name)?.notBeforeMs ?? now);
        await sleep(Math.max(1, soonest - now));
        continue;
      }
      let body: string;
      try {
        body = await outbox.read(entry);
      } catch {
        continue; // removed meanwhile
      }
      const res = await post(body);
      if (closed) return;
      if ('status' in res && res.status >= 200 && res.status < 300) {
        await outbox.remove(entry);
        waiting.delete(entry.name);
        stats.delivered += 1;
        failures = 0;
        options.onDelivered?.(entry);
        continue;
      }
      if ('status' in res && res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
        await outbox.reject(entry);
        waiting.delete(entry.name);
        stats.rejected += 1;
        stats.lastError = `HTTP ${res.status}`;
        options.onRejected?.(entry, res.status, res.text.slice(0, 2000));
        continue;
      }
      const reason = 'status' in res ? `HTTP ${res.status}` : res.error;
      stats.lastError = reason;
      stats.retries += 1;
      const own = waiting.get(entry.name) ?? { attempts: 0, notBeforeMs: 0 };
      // Its own wait is one step longer than the pump's, so the newer batches go first when the pump wakes.
      own.notBeforeMs = clock.nowMs() + backoff(own.attempts + 1);
      own.attempts += 1;
      waiting.set(entry.name, own);
      const delayMs = backoff(failures);
      failures += 1;
      options.onRetry?.(entry, own.attempts, reason, delayMs);
      await sleep(delayMs);
    }
  }

  function kick(): void {
    if (closed) return;
    if (pumping !== null) {
      again = true;
      return;
    }
    pumping = (async (): Promise<void> => {
      do {
        again = false;
        try {
          await pumpOnce();
        } catch (error) {
          // Disk trouble: keep the files, try again later.
          stats.lastError = error instanceof Error ? error.message : String(error);
          if (!closed) await sleep(baseMs);
          again = true;
        }
      } while (again && !closed);
    })().finally(() => {
      pumping = null;
      for (const w of idleWaiters) w();
    });
  }

  kick(); // send what a previous run left behind

  return {
    outbox,
    async deliver(batch: IngestBatch): Promise<void> {
      if (closed) throw new Error('sink closed');
      for (const part of encodeBatchBodies(batch, maxBytes)) await outbox.append(part.batchId, part.body);
      kick();
    },
    pending: async (): Promise<number> => (await outbox.list()).length,
    stats: (): HttpSinkStats => ({ ...stats }),
    async drain(drainOptions: { timeoutMs?: number } = {}): Promise<boolean> {
      const deadline = Date.now() + (drainOptions.timeoutMs ?? 30_000);
      for (;;) {
        if ((await outbox.list()).length === 0) return true;
        if (Date.now() >= deadline || closed) return false;
        kick();
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            idleWaiters.delete(done);
            resolve();
          }, Math.max(1, Math.min(200, deadline - Date.now())));
          const done = (): void => {
            clearTimeout(t);
            idleWaiters.delete(done);
            resolve();
          };
          idleWaiters.add(done);
        });
      }
    },
    async close(): Promise<void> {
      closed = true;
      request?.abort(new Error('sink closed'));
      wake?.();
      await pumping;
    },
  };
}
