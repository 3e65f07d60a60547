/** A clock and timers that only move when the test says so (implements core Clock + scheduler Timers). */
import type { Clock } from '../../../core/time.ts';
import type { Timers } from '../../../collectors/scheduler/timers.ts';

interface Pending {
  id: number;
  atMs: number;
  fn: () => void;
}

export class ManualTime implements Clock, Timers {
  private now: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(startMs: number) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimeout(fn: () => void, delayMs: number): unknown {
    this.seq += 1;
    this.pending.push({ id: this.seq, atMs: this.now + Math.max(0, delayMs), fn });
    return this.seq;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Moves the clock without firing anything: a stalled event loop. */
  jump(ms: number): void {
    this.now += ms;
  }

  /** Moves time forward, firing timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await flush();
      let next: Pending | undefined;
      for (const p of this.pending) if (p.atMs <= target && (next === undefined || p.atMs < next.atMs || (p.atMs === next.atMs && p.id < next.id))) next = p;
      if (next === undefined) break;
      const chosen = next;
      this.pending = this.pending.filter((p) => p !== chosen);
      this.now = Math.max(this.now, chosen.atMs);
      chosen.fn();
    }
    this.now = target;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
