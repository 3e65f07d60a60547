/**
 * Sends one webhook with retries: POST JSON, signed (see signature.ts), with `X-Jangkau-Event` and
 * `X-Jangkau-Delivery`. Retries network errors, timeouts, 408, 429 and 5xx with exponential back-off and jitter
 * (retry.ts); stops at 2xx (delivered) or another 4xx (refused). Redirects are answers, never followed.
 * fetch + Web Crypto only: runs on Node and Workers. Never throws; the outcome says what happened.
 */
import { deliverWithRetries, retryableStatus, type DeliveryOutcome, type RetryOptions } from './retry.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeaderValue } from './signature.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export type WebhookOutcome = DeliveryOutcome;

export interface SendWebhookOptions extends RetryOptions {
  fetchFn?: typeof fetch;
  /** Unix milliseconds; used for the signature timestamp. */
  nowMs?: () => number;
}

export async function sendWebhook(
  target: WebhookTarget,
  payload: { type: string; deliveryId: string },
  options: SendWebhookOptions = {},
): Promise<WebhookOutcome> {
  const fetchFn = options.fetchFn ?? fetch;
  const nowMs = options.nowMs ?? ((): number => Date.now());
  const body = JSON.stringify(payload);
  return deliverWithRetries(async (signal) => {
    const signature = await signatureHeaderValue(target.secret, Math.floor(nowMs() / 1000), body);
    const res = await fetchFn(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, [EVENT_HEADER]: payload.type, [DELIVERY_HEADER]: payload.deliveryId },
      body,
      signal,
      redirect: 'manual',
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { kind: 'delivered', status: res.status };
    return retryableStatus(res.status) ? { kind: 'retry', status: res.status, error: `HTTP ${res.status}` } : { kind: 'refused', status: res.status, error: `HTTP ${res.status}` };
  }, options);
}
