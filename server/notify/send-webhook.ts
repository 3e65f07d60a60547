/**
 * Sends one webhook with retries: POST JSON, signed (see signature.ts), with `X-Jangkau-Event` and
 * `X-Jangkau-Delivery`. Retries network errors, timeouts, 408, 429 and 5xx with exponential back-off and jitter
 * (base * 2^(attempt-1), capped, times [0.5, 1]); stops at 2xx (delivered) or another 4xx (refused).
 * fetch + Web Crypto only: runs on Node and Workers. Never throws; the outcome says what happened.
 */
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeaderValue } from './signature.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookOutcome {
  delivered: boolean;
  attempts: number;
  /** Last HTTP status, null when no answer came. */
  status: number | null;
  error: string | null;
}

export interface SendWebhookOptions {
  fetchFn?: typeof fetch;
  /** Unix milliseconds; used for the signature timestamp. */
  nowMs?: () => number;
  sleepMs?: (ms: number) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  timeoutMs?: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendWebhook(
  target: WebhookTarget,
  payload: { type: string; deliveryId: string },
  options: SendWebhookOptions = {},
): Promise<WebhookOutcome> {
  const fetchFn = options.fetchFn ?? fetch;
  const nowMs = options.nowMs ?? ((): number => Date.now());
  const sleep = options.sleepMs ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const baseMs = options.backoffBaseMs ?? 1000;
  const maxMs = options.backoffMaxMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const body = JSON.stringify(payload);
  let status: number | null = null;
  let error: string | null = null;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    let retry = true;
    try {
      const signature = await signatureHeaderValue(target.secret, Math.floor(nowMs() / 1000), body);
      const res = await fetchFn(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, [EVENT_HEADER]: payload.type, [DELIVERY_HEADER]: payload.deliveryId },
        body,
        signal: controller.signal,
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (res.status >= 200 && res.status < 300) return { delivered: true, attempts: attempt, status, error: null };
      error = `HTTP ${res.status}`;
      retry = res.status >= 500 || res.status === 408 || res.status === 429;
    } catch (e) {
      status = null;
      error = e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
    }
    if (!retry) return { delivered: false, attempts: attempt, status, error };
    if (attempt < maxAttempts) await sleep(Math.round(Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + 0.5 * random())));
  }
  return { delivered: false, attempts: maxAttempts, status, error };
}
