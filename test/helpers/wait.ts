/**
 * Waiting on the event itself instead of a fixed sleep: `waitUntil` checks a condition after every turn of the event
 * loop that let I/O or timers run (no fixed delay decides the outcome), and fails with `what` when `limitMs` passes
 * first. The limit only bounds a hung test; it is never the thing asserted.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    // One I/O turn, then a short timer turn so a busy loop does not starve the peers it waits on.
    await nextTurn();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets every callback already queued (I/O completions, immediates) run once. */
export async function drainTurns(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await nextTurn();
}

/**
 * Asks `fn` every `stepMs` until it gives a truthy value and returns that value; fails with `what` and the last value
 * after `limitMs` (for end-to-end tests that wait on a real server's state through its API).
 */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, limitMs: number, stepMs = 250): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${limitMs} ms waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
