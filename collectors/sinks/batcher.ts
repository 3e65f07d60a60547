/**
 * Gathers poll results and state events into batches: a batch goes to the sink when it holds `maxItems` results
 * or `maxDelayMs` after its first entry, whichever comes first. Each batch gets a unique id
 * `${collectorId}-${createdAtMs}-${random}`.
 *
 * When the sink fails (issue 11), the batch never holds back newer ones:
 * - a failure `isPermanent` says will never pass (the server refused the batch itself) moves the batch to the
 *   dead letters at once;
 * - any other failure keeps the batch aside and offers it again `retryMs` later, while newer batches go to the sink
 *   as they come; at most `maxRetained` batches are kept in memory, the oldest beyond that go to the dead letters
 *   (so memory stays bounded through a long database outage, and nothing is dropped).
 * Without a dead-letter sink, refused and overflowing batches are reported to `onError` and dropped (counted).
 * Results in the batcher (at most maxDelayMs worth) live in memory only: that is what a hard kill can lose.
 */
import type { IngestBatch, StateEvent } from '../../core/ingest.ts';
import type { PollResult } from '../../core/observations.ts';
import type { Clock } from '../../core/time.ts';
import { systemClock } from '../../core/time.ts';
import { systemTimers } from '../scheduler/timers.ts';
import type { Timers } from '../scheduler/timers.ts';
import type { DeadLetterSink } from './dead-letters.ts';
import type { Sink } from './sink.ts';

export interface BatcherStats {
  delivered: number;
  /** Deliveries that failed and were kept for another try. */
  retries: number;
  /** Batches moved to the dead letters (refused for good, or kept too long). */
  deadLettered: number;
  /** Batches lost because there was no dead-letter sink (or it failed too). */
  dropped: number;
}

export interface Batcher {
  add(result: PollResult | null, events: readonly StateEvent[]): void;
  /** Sends whatever is gathered now and offers every kept batch again; resolves when those deliveries ended. */
  flush(): Promise<void>;
  /** Entries waiting in memory (gathered and kept after a failure). */
  size(): number;
  /** Batches kept after a failed delivery, waiting for their next try. */
  retained(): number;
  stats(): BatcherStats;
  /** Stops the retry timer; with `deadLetterRest`, batches still kept go to the dead letters (nothing lost at stop). */
  close(options?: { deadLetterRest?: boolean }): Promise<void>;
}

export function randomBatchSuffix(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface Kept {
  batch: IngestBatch;
  tries: number;
  dueAtMs: number;
  lastError: string;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createBatcher(options: {
  collectorId: string;
  sink: Sink;
  maxItems?: number;
  maxDelayMs?: number;
  /** After a failed delivery, the next try of that batch (default 5 s). */
  retryMs?: number;
  /** Batches kept in memory after failures (default 100); older ones go to the dead letters. */
  maxRetained?: number;
  /** True for a failure no retry can cure (the batch itself was refused). Default: none is. */
  isPermanent?: (error: unknown) => boolean;
  deadLetters?: DeadLetterSink | null;
  clock?: Clock;
  timers?: Timers;
  onError?: (error: unknown) => void;
}): Batcher {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const maxItems = options.maxItems ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const retryMs = options.retryMs ?? 5000;
  const maxRetained = Math.max(1, options.maxRetained ?? 100);
  const isPermanent = options.isPermanent ?? ((): boolean => false);
  const stats: BatcherStats = { delivered: 0, retries: 0, deadLettered: 0, dropped: 0 };
  let items: PollResult[] = [];
  let events: StateEvent[] = [];
  let timer: unknown = null;
  let retryTimer: unknown = null;
  let retryAtMs = Infinity;
  let closed = false;
  const kept: Kept[] = [];
  let chain: Promise<void> = Promise.resolve();

  function cut(): IngestBatch | null {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (items.length === 0 && events.length === 0) return null;
    const createdAtMs = clock.nowMs();
    const batch: IngestBatch = { collectorId: options.collectorId, batchId: `${options.collectorId}-${createdAtMs}-${randomBatchSuffix()}`, createdAtMs, items, events };
    items = [];
    events = [];
    return batch;
  }

  async function moveAside(batch: IngestBatch, reason: string): Promise<void> {
    if (options.deadLetters) {
      try {
        await options.deadLetters.put(batch, reason);
        stats.deadLettered += 1;
        return;
      } catch (error) {
        options.onError?.(new Error(`could not write dead letter ${batch.batchId}: ${errorText(error)}`));
      }
    }
    stats.dropped += 1;
    options.onError?.(new Error(`dropped batch ${batch.batchId} (${batch.items.length} results, ${batch.events.length} events): ${reason}`));
  }

  function armRetry(): void {
    if (closed || kept.length === 0) return;
    const due = Math.min(...kept.map((k) => k.dueAtMs));
    if (retryTimer !== null && due >= retryAtMs) return;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryAtMs = due;
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      retryAtMs = Infinity;
      void send(null, false);
    }, Math.max(0, due - clock.nowMs()));
  }

  async function deliverOne(batch: IngestBatch, tries: number): Promise<void> {
    try {
      await options.sink.deliver(batch);
      stats.delivered += 1;
    } catch (error) {
      options.onError?.(error);
      if (isPermanent(error)) {
        await moveAside(batch, `refused: ${errorText(error)}`);
        return;
      }
      stats.retries += 1;
      kept.push({ batch, tries: tries + 1, dueAtMs: clock.nowMs() + retryMs, lastError: errorText(error) });
      while (kept.length > maxRetained) {
        const oldest = kept.shift()!;
        await moveAside(oldest.batch, `not stored after ${oldest.tries} tries: ${oldest.lastError}`);
      }
    }
  }

  /** The new batch first (never behind a failing one), then every kept batch that is due (or all, on flush). */
  function send(batch: IngestBatch | null, all: boolean): Promise<void> {
    chain = chain.then(async () => {
      if (batch !== null) await deliverOne(batch, 0);
      const now = clock.nowMs();
      const due = kept.filter((k) => all || k.dueAtMs <= now);
      for (const k of due) {
        const i = kept.indexOf(k);
        if (i < 0) continue;
        kept.splice(i, 1);
        await deliverOne(k.batch, k.tries);
      }
      armRetry();
    });
    return chain;
  }

  return {
    add(result: PollResult | null, newEvents: readonly StateEvent[]): void {
      if (result !== null) items.push(result);
      for (const e of newEvents) events.push(e);
      if (items.length >= maxItems) {
        void send(cut(), false);
        return;
      }
      if (timer === null && (items.length > 0 || events.length > 0)) {
        timer = timers.setTimeout(() => {
          timer = null;
          void send(cut(), false);
        }, maxDelayMs);
      }
    },
    flush: (): Promise<void> => send(cut(), true),
    size: (): number => items.length + events.length + kept.reduce((a, k) => a + k.batch.items.length + k.batch.events.length, 0),
    retained: (): number => kept.length,
    stats: (): BatcherStats => ({ ...stats }),
    async close(closeOptions: { deadLetterRest?: boolean } = {}): Promise<void> {
      closed = true;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      await chain;
      if (closeOptions.deadLetterRest === true) {
        for (const k of kept.splice(0, kept.length)) await moveAside(k.batch, `not stored before stop after ${k.tries} tries: ${k.lastError}`);
      }
    },
  };
}
