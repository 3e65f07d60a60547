/**
 * Bounded password work (issue 10). Each scrypt job holds 32 MiB and a slice of one core, so an unbounded number of
 * sign-ins at once can take a server's memory and starve every other request. All password hashing of a process (or
 * Worker isolate) goes through one queue: at most `concurrency` jobs run, at most `maxWaiting` anonymous jobs wait,
 * and a job that cannot start within `maxWaitMs` is given up. A caller who finds the queue full is refused at once
 * (503 with Retry-After) instead of piling up. Work of signed-in staff (creating an account, changing a password)
 * and of the system waits its turn without a cap: it is bounded by authentication, and a flood of anonymous
 * sign-ins must not lock an admin out of managing accounts.
 *
 * A sign-in takes its place with `admit()` as soon as it arrives, before any database work: while the places
 * (running slots plus waiting room) are all taken, further anonymous sign-ins are refused at once and cost the server
 * next to nothing, so a burst of them leaves the event loop free for everyone else (issue 10's /healthz bound).
 * The Node entry sets the concurrency to the cores minus one (scrypt-node.ts), leaving a core to the event loop.
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

/** A place in the queue taken by admit(): hand it to run(), or release() it when the caller stops early. */
export interface HashTicket {
  release(): void;
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
  /** Anonymous callers admitted but not yet running or waiting (doing their database work first). */
  private admitted = 0;

  constructor(private limits: HashQueueLimits = DEFAULT_HASH_LIMITS) {}

  configure(limits: Partial<HashQueueLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  stats(): HashQueueStats {
    return { running: this.running, waiting: this.waiting.length, started: this.started, refused: this.refused };
  }

  /**
   * Takes a place for an anonymous job now, or throws `unavailable` (503, Retry-After) when every place is taken
   * (running, waiting, or admitted before): lets a caller refuse before doing any other work.
   */
  admit(): HashTicket {
    const anonymousWaiting = this.waiting.filter((w) => w.priority === 'anonymous').length;
    if (Math.min(this.running, this.limits.concurrency) + anonymousWaiting + this.admitted >= this.limits.concurrency + this.limits.maxWaiting) {
      this.refused++;
      throw busy();
    }
    this.admitted++;
    let held = true;
    return {
      release: () => {
        if (held) {
          held = false;
          this.admitted--;
        }
      },
    };
  }

  /**
   * Runs `job` when a slot is free. Throws `unavailable` (503, Retry-After) when an anonymous job cannot wait. A job
   * with a ticket from admit() was counted already: it waits (up to maxWaitMs) without the waiting-room check.
   */
  async run<T>(job: () => Promise<T>, priority: HashPriority = 'anonymous', ticket?: HashTicket): Promise<T> {
    ticket?.release();
    if (this.running >= this.limits.concurrency) await this.wait(priority, ticket !== undefined);
    else this.running++;
    this.started++;
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private wait(priority: HashPriority, admitted: boolean): Promise<void> {
    const anonymousWaiting = this.waiting.filter((w) => w.priority === 'anonymous').length;
    if (priority === 'anonymous' && !admitted && anonymousWaiting >= this.limits.maxWaiting) {
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
    // A lowered concurrency (configure) takes effect as running jobs end.
    const next = this.running > this.limits.concurrency ? undefined : this.waiting.shift();
    if (next === undefined) this.running--;
    else next.start();
  }
}

function busy(): AppError {
  return new AppError('unavailable', 'the server is busy checking other sign-ins; try again in a few seconds', { retryAfterS: 5, reason: 'auth.busy' });
}

/** The process's (or isolate's) one queue: memory is per process, so the bound is too. */
export const passwordWork = new HashQueue();
