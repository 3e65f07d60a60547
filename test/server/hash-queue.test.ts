/**
 * The password-hash queue's admission (issue 10): a sign-in takes its place on arrival, so once the places (running
 * slots plus waiting room) are taken, the next one is refused at once, before any database work; a place given back
 * (early exit, or handed to run()) admits the next. Node's default concurrency leaves a core to the event loop.
 */
import { describe, expect, it } from 'vitest';
import { HashQueue } from '../../server/auth/hash-queue.ts';
import { defaultNodeHashConcurrency } from '../../server/auth/scrypt-node.ts';
import { isAppError } from '../../core/errors.ts';

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((ok) => (open = ok));
  return { wait, open };
}

describe('hash queue admission', () => {
  it('admits concurrency + waiting room at once and refuses the rest with unavailable, before they run', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaiting: 2, maxWaitMs: 60_000 });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => {
        try {
          return q.admit();
        } catch (err) {
          return err;
        }
      }),
    );
    const tickets = outcomes.filter((o) => !isAppError(o)) as Array<{ release(): void }>;
    const refused = outcomes.filter((o) => isAppError(o));
    expect(tickets).toHaveLength(3);
    expect(refused).toHaveLength(7);
    expect(refused.every((e) => isAppError(e) && e.code === 'unavailable' && e.retryAfterS === 5)).toBe(true);
    // Giving a place back (a sign-in refused by its budget) admits the next; releasing twice counts once.
    tickets[0]!.release();
    tickets[0]!.release();
    const next = q.admit();
    expect(() => q.admit()).toThrow();
    // Admitted jobs run one at a time and all finish; the queue is then empty again.
    const g = gate();
    let running = 0;
    let most = 0;
    const job = async (): Promise<number> => {
      running++;
      most = Math.max(most, running);
      await g.wait;
      running--;
      return 1;
    };
    const runs = [tickets[1]!, tickets[2]!, next].map((t) => q.run(job, 'anonymous', t));
    await new Promise((ok) => setTimeout(ok, 10));
    expect(q.stats()).toMatchObject({ running: 1, waiting: 2 });
    g.open();
    expect(await Promise.all(runs)).toEqual([1, 1, 1]);
    expect(most).toBe(1);
    expect(q.stats()).toMatchObject({ running: 0, waiting: 0 });
    expect(() => q.admit().release()).not.toThrow();
  });

  it('lets staff work through while anonymous places are all taken', async () => {
    const q = new HashQueue({ concurrency: 1, maxWaiting: 1, maxWaitMs: 60_000 });
    const a = q.admit();
    q.admit();
    expect(() => q.admit()).toThrow();
    const g = gate();
    const first = q.run(() => g.wait.then(() => 'anon'), 'anonymous', a);
    const staff = q.run(async () => 'staff', 'staff');
    g.open();
    expect(await Promise.all([first, staff])).toEqual(['anon', 'staff']);
  });

  it('leaves one core to the event loop on Node by default', () => {
    expect(defaultNodeHashConcurrency(1)).toBe(1);
    expect(defaultNodeHashConcurrency(2)).toBe(1);
    // Never the whole libuv pool (4 threads unless UV_THREADPOOL_SIZE says otherwise): name look-ups need a thread.
    expect(defaultNodeHashConcurrency(8, 4)).toBe(3);
    expect(defaultNodeHashConcurrency(8, 16)).toBe(7);
    expect(defaultNodeHashConcurrency(3, 4)).toBe(2);
  });
});
