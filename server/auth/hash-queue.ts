/**
 * Bounded password work (issue 10). Each scrypt job holds 32 MiB and a slice of one core, so an unbounded number of
 * sign-ins at once can take a server's memory and starve every other request. All password hashing of a process (or
 * Worker isolate) goes through one queue: at most `concurrency` jobs run, at most `maxWaiting` anonymous jobs wait,
 * and a job that cannot start within `maxWaitMs` is given up. A caller who finds the queue full is refused at once
 * (503 with Retry-After) instead of piling up. Work of signed-in staff (creating an account, changing a password)
 * and of the system waits its turn without a cap: it is bounded by authentication, and a flood of anonymous
 * sign-ins must not lock an admin out of managing accounts.
 */
import { AppError } from '../../core/errors.ts';

export type HashPriority = 'anonymous' | 'staff';

export interface HashQueueLimits {
  concurrency: number;
  maxWaiting: number;
  maxWaitMs: number;
}

export const DEFAULT_HASH_LIMITS: HashQueueLimits = { concurrency: 2, maxWaiting: 8, maxWaitMs: 5_000 };

interface Waiter {
  start(): void;
  giveUp(): void;
  priority: HashPriority;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface HashQueueStats {
  running: number;
  waiting: number;
  /** Jobs started since the queue was made (each one is one scrypt evaluation). */
  started: number;
  refused: number;
}

export class HashQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private started = 0;
  private refused = 0;

  constructor(private limits: HashQueueLimits = DEFAULT_HASH_LIMITS) {}

  configure(limits: Partial<HashQueueLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  stats(): HashQueueStats {
    return { running: this.running, waiting: this.waiting.length, started: this.started, refused: this.refused };
  }

  /** Throws `unavailable` now when an anonymous job could not wait: lets a caller refuse before doing any other work. */
  refuseIfFull(): void {
    const anonymousWaiting = this.waiting.filter((w) => w.priority === 'anonymous').length;
    if (this.running >= this.limits.concurrency && anonymousWaiting >= this.limits.maxWaiting) {
      this.refused++;
      throw busy();
    }
  }

  /** Runs `job` when a slot is free. Throws `unavailable` (503, Retry-After) when an anonymous job cannot wait. */
  async run<T>(job: () => Promise<T>, priority: HashPriority = 'anonymous'): Promise<T> {
    if (this.running >= this.limits.concurrency) await this.wait(priority);
    else this.running++;
    this.started++;
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private wait(priority: HashPriority): Promise<void> {
    const anonymousWaiting = this.waiting.filter((w) => w.priority === 'anonymous').length;
    if (priority === 'anonymous' && anonymousWaiting >= this.limits.maxWaiting) {
      this.refused++;
      throw busy();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        timer: null,
        // The slot is handed over by release(): `running` stays counted for the new job.
        start: () => {
          if (waiter.timer !== null) clearTimeout(waiter.timer);
          resolve();
        },
        giveUp: () => {
          this.refused++;
          reject(busy());
        },
      };
      if (priority === 'anonymous') {
        waiter.timer = setTimeout(() => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
          waiter.giveUp();
        }, this.limits.maxWaitMs);
        this.waiting.push(waiter);
      } else {
        // Staff and system work goes before anonymous work, in arrival order among itself.
        const firstAnonymous = this.waiting.findIndex((w) => w.priority === 'anonymous');
        this.waiting.splice(firstAnonymous < 0 ? this.waiting.length : firstAnonymous, 0, waiter);
      }
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.running--;
    else next.start();
  }
}

function busy(): AppError {
  return new AppError('unavailable', 'the server is busy checking other sign-ins; try again in a few seconds', { retryAfterS: 5, reason: 'auth.busy' });
}

/** The process's (or isolate's) one queue: memory is per process, so the bound is too. */
export const passwordWork = new HashQueue();
