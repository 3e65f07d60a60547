/**
 * One delivery with retries, shared by every alert channel that speaks HTTP (webhooks, Telegram): each attempt gets
 * a deadline; network errors, timeouts and answers the attempt marks as retryable are tried again with exponential
 * back-off and jitter (base * 2^(attempt-1), capped, times [0.5, 1]). Never throws; the outcome says what happened.
 */
import { OutboundRefused } from '../../core/net/outbound-policy.ts';

export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  /** Last HTTP status, null when no answer came. */
  status: number | null;
  error: string | null;
}

export interface RetryOptions {
  sleepMs?: (ms: number) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  timeoutMs?: number;
}

/** What one attempt found: delivered, refused for good, or worth another try (optionally after a given wait). */
export type AttemptResult =
  | { kind: 'delivered'; status: number | null }
  | { kind: 'refused'; status: number | null; error: string }
  | { kind: 'retry'; status: number | null; error: string; afterMs?: number };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function deliverWithRetries(attempt: (signal: AbortSignal) => Promise<AttemptResult>, options: RetryOptions = {}): Promise<DeliveryOutcome> {
  const sleep = options.sleepMs ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const baseMs = options.backoffBaseMs ?? 1000;
  const maxMs = options.backoffMaxMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let status: number | null = null;
  let error: string | null = null;
  for (let n = 1; n <= maxAttempts; n++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    let result: AttemptResult;
    try {
      result = await attempt(controller.signal);
    } catch (e) {
      // The outbound-URL policy refused the address (issue 10): asking again reaches the same refusal.
      result = e instanceof OutboundRefused ? { kind: 'refused', status: null, error: e.message } : { kind: 'retry', status: null, error: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(timer);
    }
    status = result.status;
    if (result.kind === 'delivered') return { delivered: true, attempts: n, status, error: null };
    error = result.error;
    if (result.kind === 'refused') return { delivered: false, attempts: n, status, error };
    if (n < maxAttempts) {
      const backoff = Math.round(Math.min(maxMs, baseMs * 2 ** (n - 1)) * (0.5 + 0.5 * random()));
      await sleep(Math.min(maxMs, Math.max(backoff, result.afterMs ?? 0)));
    }
  }
  return { delivered: false, attempts: maxAttempts, status, error };
}

/** HTTP statuses worth another try: timeouts, rate limits and server faults. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
