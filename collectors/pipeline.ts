/**
 * The collector pipeline, assembled once (issue 11) for the standalone collector (collectors/main.ts) and the one
 * inside the server (server/start-node-collector.ts):
 *
 *   scheduler (poll) -> state book (events) -> batcher -> sink (in-process ingest | HTTP outbox)
 *
 * What differs between the two is handed in: the poll function, the sink, the dead-letter sink, and the states to
 * start from. Targets are applied as a whole list (`applyTargets`): new and changed devices are (re)scheduled,
 * missing ones are unscheduled and their state forgotten. A result that arrives for a device no longer in the list
 * (a poll in flight when it was deleted) is passed to observers but not to the state book, so a deleted device
 * neither comes back to life in memory nor opens an incident.
 *
 * Small on purpose: `applyTargets`, `observe`, `stats`, `flush`, `stop`. Multi-process work (leases, groups) decides
 * which targets a process gets and calls `applyTargets` with them.
 */
import type { StateEvent } from '../core/ingest.ts';
import type { DeviceTarget, PollResult } from '../core/observations.ts';
import type { Clock } from '../core/time.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import type { PollFn, Scheduler, SchedulerStats, StopOutcome } from './scheduler/scheduler.ts';
import type { Timers } from './scheduler/timers.ts';
import { createStateBook } from './state/state-book.ts';
import type { StateBook } from './state/state-book.ts';
import type { DeviceState, StateConfig } from './state/step.ts';
import { DEFAULT_STATE_CONFIG } from './state/step.ts';
import { createBatcher } from './sinks/batcher.ts';
import type { Batcher, BatcherStats } from './sinks/batcher.ts';
import type { DeadLetterSink } from './sinks/dead-letters.ts';
import type { Sink } from './sinks/sink.ts';

export interface PipelineOptions {
  collectorId: string;
  poll: PollFn;
  sink: Sink;
  deadLetters?: DeadLetterSink | null;
  /** True for a sink failure no retry can cure (the batch was refused); such a batch goes to the dead letters. */
  isPermanent?: (error: unknown) => boolean;
  state?: Partial<StateConfig>;
  /** States to start from (a saved file, or what the database remembers). */
  initialStates?: readonly DeviceState[];
  batch?: { maxItems?: number; maxDelayMs?: number; retryMs?: number; maxRetained?: number };
  scheduler?: { maxConcurrent?: number; pollTimeoutMs?: number; maxLatenessMs?: number };
  clock?: Clock;
  timers?: Timers;
  onError?: (what: 'sink' | 'result', error: unknown) => void;
}

export interface PipelineStats {
  devices: number;
  scheduler: SchedulerStats;
  batcher: BatcherStats & { waiting: number; retained: number };
  /** Results of devices removed while their poll was in flight: not stepped, still delivered (ingest drops them). */
  lateResults: number;
}

export interface CollectorPipeline {
  /** The whole list of devices this process polls now. Returns how many were added, changed and removed. */
  applyTargets(targets: readonly DeviceTarget[]): { added: number; changed: number; removed: number };
  /** Called for every poll result with the state events it caused; returns a function that stops observing. */
  observe(fn: (result: PollResult, events: readonly StateEvent[]) => void): () => void;
  stats(): PipelineStats;
  /** Hands everything gathered to the sink now (and offers kept batches again). */
  flush(): Promise<void>;
  /** Stops polling (polls in flight get `pollDeadlineMs`), delivers what is gathered, dead-letters what still fails. */
  stop(options?: { pollDeadlineMs?: number }): Promise<StopOutcome>;
  readonly scheduler: Scheduler;
  readonly book: StateBook;
  readonly batcher: Batcher;
}

export function createCollectorPipeline(o: PipelineOptions): CollectorPipeline {
  const book = createStateBook({ config: { ...DEFAULT_STATE_CONFIG, ...o.state } });
  for (const s of o.initialStates ?? []) book.set(s);
  const observers = new Set<(result: PollResult, events: readonly StateEvent[]) => void>();
  let lateResults = 0;
  const batcher = createBatcher({
    collectorId: o.collectorId,
    sink: o.sink,
    ...o.batch,
    deadLetters: o.deadLetters ?? null,
    ...(o.isPermanent === undefined ? {} : { isPermanent: o.isPermanent }),
    ...(o.clock === undefined ? {} : { clock: o.clock }),
    ...(o.timers === undefined ? {} : { timers: o.timers }),
    onError: (error) => o.onError?.('sink', error),
  });
  const known = new Map<string, string>();
  const scheduler = createScheduler({
    poll: o.poll,
    ...o.scheduler,
    ...(o.clock === undefined ? {} : { clock: o.clock }),
    ...(o.timers === undefined ? {} : { timers: o.timers }),
    onResult: (result) => {
      let events: StateEvent[] = [];
      if (known.has(result.deviceId)) events = book.apply(result);
      else lateResults += 1;
      batcher.add(result, events);
      for (const fn of observers) {
        try {
          fn(result, events);
        } catch (error) {
          o.onError?.('result', error);
        }
      }
    },
    onError: (error) => o.onError?.('result', error),
  });

  return {
    scheduler,
    book,
    batcher,
    applyTargets(targets: readonly DeviceTarget[]): { added: number; changed: number; removed: number } {
      let added = 0;
      let changed = 0;
      let removed = 0;
      const seen = new Set<string>();
      for (const t of targets) {
        seen.add(t.deviceId);
        const key = JSON.stringify(t);
        const before = known.get(t.deviceId);
        if (before === key) continue;
        if (before === undefined) added += 1;
        else changed += 1;
        known.set(t.deviceId, key);
        scheduler.upsert(t);
      }
      for (const id of [...known.keys()]) {
        if (seen.has(id)) continue;
        known.delete(id);
        scheduler.remove(id);
        book.remove(id);
        removed += 1;
      }
      return { added, changed, removed };
    },
    observe(fn) {
      observers.add(fn);
      return () => observers.delete(fn);
    },
    stats: (): PipelineStats => ({
      devices: known.size,
      scheduler: scheduler.stats(),
      batcher: { ...batcher.stats(), waiting: batcher.size(), retained: batcher.retained() },
      lateResults,
    }),
    flush: () => batcher.flush(),
    async stop(options: { pollDeadlineMs?: number } = {}): Promise<StopOutcome> {
      const outcome = await scheduler.stop({ deadlineMs: options.pollDeadlineMs ?? 5000 });
      await batcher.flush();
      await batcher.close({ deadLetterRest: true });
      return outcome;
    },
  };
}
