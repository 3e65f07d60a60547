/**
 * Polls every device on its own interval. See collectors/scheduler/README.md for the rules; in short:
 * - each device sits on a fixed grid (phase + k * interval) with a phase derived from its id (deterministic jitter);
 * - a slot that comes while the device's previous poll is still running, or that cannot start within
 *   `maxLatenessMs` because the global bound `maxConcurrent` is full, is a missed poll (counted, never run late);
 * - a poll that throws, rejects or returns garbage becomes a PollFailure of kind 'internal'; one that outlives
 *   `pollTimeoutMs` is aborted and becomes a PollFailure of kind 'timeout';
 * - stop() waits for polls in flight up to a deadline, then aborts the rest through their AbortSignal.
 */
import type { Clock } from '../../core/time.ts';
import type { DeviceTarget, PollFailure, PollResult } from '../../core/observations.ts';
import { systemClock } from '../../core/time.ts';
import { MinHeap } from './min-heap.ts';
import { nextSlotMs, phaseMs } from './jitter.ts';
import { systemTimers } from './timers.ts';
import type { Timers } from './timers.ts';

export type PollFn = (target: DeviceTarget, signal: AbortSignal) => Promise<PollResult>;

export interface SchedulerOptions {
  poll: PollFn;
  /** Called once per finished poll, in order per device. Must not block; errors it throws go to onError. */
  onResult: (result: PollResult) => void;
  onError?: (error: unknown) => void;
  clock?: Clock;
  timers?: Timers;
  /** Polls in flight at once over all devices (default 256). */
  maxConcurrent?: number;
  /** Hard deadline of one poll (default: the device's interval, at most 30 s). */
  pollTimeoutMs?: number;
  /** How late a queued poll may still start (default: the device's interval). */
  maxLatenessMs?: number;
}

export interface DeviceScheduleStats {
  deviceId: string;
  intervalMs: number;
  nextDueMs: number;
  inFlight: boolean;
  started: number;
  completed: number;
  failed: number;
  missed: number;
  lastStartedAtMs: number | null;
}

export interface SchedulerStats {
  devices: number;
  inFlight: number;
  queued: number;
  started: number;
  completed: number;
  failed: number;
  missed: number;
  timedOut: number;
  internalErrors: number;
}

export interface StopOutcome {
  /** Polls that finished (and were delivered) while stopping. */
  finished: number;
  /** Polls still running at the deadline: aborted, their results dropped. */
  aborted: number;
}

export interface Scheduler {
  /** Adds a device, or updates it when the id is known (a new interval moves it onto its new grid). */
  upsert(target: DeviceTarget): void;
  remove(deviceId: string): boolean;
  has(deviceId: string): boolean;
  stats(): SchedulerStats;
  deviceStats(deviceId: string): DeviceScheduleStats | undefined;
  stop(options?: { deadlineMs?: number }): Promise<StopOutcome>;
}

interface Run {
  controller: AbortController;
  startedAtMs: number;
  limitMs: number;
  settled: boolean;
  /** Result not delivered (device removed, or aborted by stop). */
  discard: boolean;
}

interface Entry {
  target: DeviceTarget;
  intervalMs: number;
  gen: number;
  nextDueMs: number;
  queuedDueMs: number | null;
  run: Run | null;
  started: number;
  completed: number;
  failed: number;
  missed: number;
  lastStartedAtMs: number | null;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function isPollResult(value: unknown): value is PollResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['ok'] === 'boolean' && typeof v['deviceId'] === 'string' && typeof v['startedAtMs'] === 'number';
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 256);
  const onError = options.onError ?? ((): void => {});
  const entries = new Map<string, Entry>();
  const heap = new MinHeap<{ deviceId: string; gen: number }>();
  const queue: string[] = [];
  let queueHead = 0;
  let inFlight = 0;
  let stopped = false;
  let timer: unknown = null;
  let armedForMs = Number.POSITIVE_INFINITY;
  const totals = { started: 0, completed: 0, failed: 0, missed: 0, timedOut: 0, internalErrors: 0 };
  let idleWaiter: (() => void) | null = null;
  const active = new Map<Run, Entry>();
  // Poll deadlines: one heap and one timer for all polls in flight (a timer per poll costs GC at 50k devices).
  const deadlines = new MinHeap<Run>();
  let deadlineTimer: unknown = null;
  let deadlineArmedForMs = Number.POSITIVE_INFINITY;

  const timeoutOf = (e: Entry): number => options.pollTimeoutMs ?? Math.min(30_000, e.intervalMs);
  const latenessOf = (e: Entry): number => options.maxLatenessMs ?? e.intervalMs;

  function arm(): void {
    if (stopped) return;
    const top = heap.peekKey();
    if (top === undefined) return;
    if (timer !== null && armedForMs <= top) return;
    if (timer !== null) timers.clearTimeout(timer);
    armedForMs = top;
    timer = timers.setTimeout(tick, Math.max(0, top - clock.nowMs()));
  }

  function armDeadline(): void {
    const top = deadlines.peekKey();
    if (top === undefined) return;
    if (deadlineTimer !== null && deadlineArmedForMs <= top) return;
    if (deadlineTimer !== null) timers.clearTimeout(deadlineTimer);
    deadlineArmedForMs = top;
    deadlineTimer = timers.setTimeout(sweepDeadlines, Math.max(0, top - clock.nowMs()));
  }

  function sweepDeadlines(): void {
    deadlineTimer = null;
    deadlineArmedForMs = Number.POSITIVE_INFINITY;
    const now = clock.nowMs();
    while ((deadlines.peekKey() ?? Number.POSITIVE_INFINITY) <= now) {
      const run = deadlines.pop()!.value;
      const e = active.get(run);
      if (run.settled || e === undefined) continue;
      totals.timedOut += 1;
      const failure = failureOf(e.target.deviceId, run, 'timeout', `poll exceeded its deadline of ${run.limitMs} ms`);
      run.controller.abort(new Error('poll deadline'));
      finish(e, run, failure);
    }
    armDeadline();
  }

  function tick(): void {
    timer = null;
    armedForMs = Number.POSITIVE_INFINITY;
    if (stopped) return;
    const now = clock.nowMs();
    while ((heap.peekKey() ?? Number.POSITIVE_INFINITY) <= now) {
      const item = heap.pop()!;
      const e = entries.get(item.value.deviceId);
      if (e === undefined || e.gen !== item.value.gen) continue;
      due(e, item.key, now);
    }
    drain();
    arm();
  }

  function missed(e: Entry, count: number): void {
    e.missed += count;
    totals.missed += count;
  }

  function due(e: Entry, dueMs: number, now: number): void {
    let next = dueMs + e.intervalMs;
    // Slots already past (the process stalled): each one is a missed poll.
    while (next <= now) {
      missed(e, 1);
      next += e.intervalMs;
    }
    e.nextDueMs = next;
    heap.push(next, { deviceId: e.target.deviceId, gen: e.gen });
    if (e.run !== null || e.queuedDueMs !== null) {
      missed(e, 1);
      return;
    }
    e.queuedDueMs = dueMs;
    queue.push(e.target.deviceId);
  }

  function drain(): void {
    while (!stopped && inFlight < maxConcurrent && queueHead < queue.length) {
      const id = queue[queueHead]!;
      queueHead += 1;
      const e = entries.get(id);
      if (e === undefined || e.queuedDueMs === null) continue;
      const dueMs = e.queuedDueMs;
      e.queuedDueMs = null;
      if (clock.nowMs() - dueMs > latenessOf(e)) {
        missed(e, 1);
        continue;
      }
      start(e);
    }
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
  }

  function start(e: Entry): void {
    const target = e.target;
    const startedAtMs = clock.nowMs();
    const limitMs = timeoutOf(e);
    const run: Run = { controller: new AbortController(), startedAtMs, limitMs, settled: false, discard: false };
    e.run = run;
    active.set(run, e);
    e.started += 1;
    e.lastStartedAtMs = startedAtMs;
    totals.started += 1;
    inFlight += 1;
    deadlines.push(startedAtMs + limitMs, run);
    armDeadline();
    let promise: Promise<PollResult>;
    try {
      promise = Promise.resolve(options.poll(target, run.controller.signal));
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (result) => {
        if (isPollResult(result)) finish(e, run, result);
        else {
          totals.internalErrors += 1;
          finish(e, run, failureOf(target.deviceId, run, 'internal', 'poll returned no valid result'));
        }
      },
      (error: unknown) => {
        if (!run.settled) totals.internalErrors += 1;
        finish(e, run, failureOf(target.deviceId, run, 'internal', `poll failed: ${errorMessage(error)}`));
      },
    );
  }

  function failureOf(deviceId: string, run: Run, kind: PollFailure['error']['kind'], message: string): PollFailure {
    return { ok: false, deviceId, startedAtMs: run.startedAtMs, durationMs: Math.max(0, clock.nowMs() - run.startedAtMs), error: { kind, message } };
  }

  function finish(e: Entry, run: Run, result: PollResult): void {
    if (run.settled) return;
    run.settled = true;
    inFlight -= 1;
    active.delete(run);
    if (e.run === run) e.run = null;
    if (!run.discard) {
      e.completed += 1;
      totals.completed += 1;
      if (!result.ok) {
        e.failed += 1;
        totals.failed += 1;
      }
      try {
        options.onResult(result);
      } catch (error) {
        onError(error);
      }
    }
    if (inFlight === 0) {
      // Nothing in flight: drop stale deadline entries and their timer.
      deadlines.clear();
      if (deadlineTimer !== null) timers.clearTimeout(deadlineTimer);
      deadlineTimer = null;
      deadlineArmedForMs = Number.POSITIVE_INFINITY;
      if (idleWaiter !== null) idleWaiter();
    }
    drain();
  }

  function place(e: Entry): void {
    e.gen += 1;
    e.nextDueMs = nextSlotMs(clock.nowMs(), phaseMs(e.target.deviceId, e.intervalMs), e.intervalMs);
    heap.push(e.nextDueMs, { deviceId: e.target.deviceId, gen: e.gen });
  }

  return {
    upsert(target: DeviceTarget): void {
      if (stopped) return;
      const intervalMs = Math.max(1000, Math.round(target.pollIntervalS * 1000));
      const existing = entries.get(target.deviceId);
      if (existing !== undefined) {
        existing.target = target;
        if (existing.intervalMs !== intervalMs) {
          existing.intervalMs = intervalMs;
          existing.queuedDueMs = null;
          place(existing);
          arm();
        }
        return;
      }
      const e: Entry = { target, intervalMs, gen: 0, nextDueMs: 0, queuedDueMs: null, run: null, started: 0, completed: 0, failed: 0, missed: 0, lastStartedAtMs: null };
      entries.set(target.deviceId, e);
      place(e);
      arm();
    },
    remove(deviceId: string): boolean {
      const e = entries.get(deviceId);
      if (e === undefined) return false;
      entries.delete(deviceId);
      e.gen += 1;
      e.queuedDueMs = null;
      if (e.run !== null) {
        e.run.discard = true;
        e.run.controller.abort(new Error('device removed'));
      }
      return true;
    },
    has: (deviceId: string): boolean => entries.has(deviceId),
    stats: (): SchedulerStats => ({ devices: entries.size, inFlight, queued: queue.length - queueHead, ...totals }),
    deviceStats(deviceId: string): DeviceScheduleStats | undefined {
      const e = entries.get(deviceId);
      if (e === undefined) return undefined;
      const { intervalMs, nextDueMs, started, completed, failed, lastStartedAtMs } = e;
      return { deviceId, intervalMs, nextDueMs, inFlight: e.run !== null, started, completed, failed, missed: e.missed, lastStartedAtMs };
    },
    async stop(stopOptions: { deadlineMs?: number } = {}): Promise<StopOutcome> {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      heap.clear();
      queue.length = 0;
      queueHead = 0;
      const runningAtStop = inFlight;
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const deadline = timers.setTimeout(() => {
            idleWaiter = null;
            resolve();
          }, stopOptions.deadlineMs ?? 10_000);
          idleWaiter = (): void => {
            timers.clearTimeout(deadline);
            idleWaiter = null;
            resolve();
          };
        });
      }
      let aborted = 0;
      for (const [run, e] of [...active]) {
        aborted += 1;
        run.discard = true;
        run.controller.abort(new Error('collector stopping'));
        finish(e, run, failureOf(e.target.deviceId, run, 'internal', 'aborted by stop'));
      }
      return { finished: runningAtStop - aborted, aborted };
    },
  };
}
