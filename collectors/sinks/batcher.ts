/**
 * Gathers poll results and state events into batches: a batch goes to the sink when it holds `maxItems` results
 * or `maxDelayMs` after its first entry, whichever comes first. Each batch gets a unique id
 * `${collectorId}-${createdAtMs}-${random}`. A failing sink is reported to `onError` and the batch is kept and
 * offered again on the next flush (an in-process sink may fail while the database is busy); the HTTP sink never
 * fails once its outbox has the batch.
 * Results in the batcher (at most maxDelayMs worth) live in memory only: that is what a hard kill can lose.
 */
import type { IngestBatch, StateEvent } from '../../core/ingest.ts';
import type { PollResult } from '../../core/observations.ts';
import type { Clock } from '../../core/time.ts';
import { systemClock } from '../../core/time.ts';
import { systemTimers } from '../scheduler/timers.ts';
import type { Timers } from '../scheduler/timers.ts';
import type { Sink } from './sink.ts';

export interface Batcher {
  add(result: PollResult | null, events: readonly StateEvent[]): void;
  /** Sends whatever is gathered now (and anything a failed delivery left). */
  flush(): Promise<void>;
  /** Entries waiting in memory. */
  size(): number;
}

export function randomBatchSuffix(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function createBatcher(options: {
  collectorId: string;
  sink: Sink;
  maxItems?: number;
  maxDelayMs?: number;
  clock?: Clock;
  timers?: Timers;
  onError?: (error: unknown) => void;
}): Batcher {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const maxItems = options.maxItems ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let items: PollResult[] = [];
  let events: StateEvent[] = [];
  let timer: unknown = null;
  const failed: IngestBatch[] = [];
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

  function send(batch: IngestBatch | null): Promise<void> {
    chain = chain.then(async () => {
      const todo = failed.splice(0, failed.length);
      if (batch !== null) todo.push(batch);
      for (let i = 0; i < todo.length; i++) {
        try {
          await options.sink.deliver(todo[i]!);
        } catch (error) {
          failed.push(...todo.slice(i));
          options.onError?.(error);
          return;
        }
      }
    });
    return chain;
  }

  return {
    add(result: PollResult | null, newEvents: readonly StateEvent[]): void {
      if (result !== null) items.push(result);
      for (const e of newEvents) events.push(e);
      if (items.length >= maxItems) {
        void send(cut());
        return;
      }
      if (timer === null && (items.length > 0 || events.length > 0)) {
        timer = timers.setTimeout(() => {
          timer = null;
          void send(cut());
        }, maxDelayMs);
      }
    },
    flush: (): Promise<void> => send(cut()),
    size: (): number => items.length + events.length + failed.reduce((a, b) => a + b.items.length + b.events.length, 0),
  };
}
