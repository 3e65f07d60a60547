/**
 * Telegram alerts through the Bot API: `POST {apiBaseUrl}/bot{token}/sendMessage` with JSON `{chat_id, text}`
 * (plain text: no parse mode, so device and site names need no escaping). The Bot API answers
 * `{ok: true, result}` or `{ok: false, error_code, description, parameters?: {retry_after}}`; 429 and 5xx are tried
 * again (after `retry_after` when given), other refusals are final (a wrong token is 401, an unknown chat 400).
 * The token is part of the URL path, so errors never repeat the URL. fetch only: runs on Node and Workers.
 */
import { deliverWithRetries, retryableStatus, type DeliveryOutcome, type RetryOptions } from './retry.ts';

export interface TelegramTarget {
  apiBaseUrl: string;
  token: string;
  chatId: string;
}

export interface SendTelegramOptions extends RetryOptions {
  fetchFn?: typeof fetch;
}

/** Telegram's limit for one message. */
export const TELEGRAM_MAX_TEXT = 4096;

export function sendMessageUrl(target: Pick<TelegramTarget, 'apiBaseUrl' | 'token'>): string {
  return `${target.apiBaseUrl.replace(/\/+$/, '')}/bot${target.token}/sendMessage`;
}

export async function sendTelegram(target: TelegramTarget, text: string, options: SendTelegramOptions = {}): Promise<DeliveryOutcome> {
  const fetchFn = options.fetchFn ?? fetch;
  const body = JSON.stringify({ chat_id: target.chatId, text: text.slice(0, TELEGRAM_MAX_TEXT), disable_web_page_preview: true });
  return deliverWithRetries(async (signal) => {
    const res = await fetchFn(sendMessageUrl(target), { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal, redirect: 'manual' });
    let answer: { ok?: unknown; description?: unknown; parameters?: { retry_after?: unknown } } = {};
    try {
      answer = (await res.json()) as typeof answer;
    } catch {
      /* not the Bot API's JSON: judged by the status below */
    }
    if (res.ok && answer.ok === true) return { kind: 'delivered', status: res.status };
    const description = typeof answer.description === 'string' ? answer.description.slice(0, 300) : `HTTP ${res.status}`;
    const error = `Telegram: ${description}`;
    if (res.ok) return { kind: 'refused', status: res.status, error: `${error} (no ok:true in the answer)` };
    const retryAfterS = typeof answer.parameters?.retry_after === 'number' ? answer.parameters.retry_after : undefined;
    return retryableStatus(res.status) ? { kind: 'retry', status: res.status, error, ...(retryAfterS === undefined ? {} : { afterMs: retryAfterS * 1000 }) } : { kind: 'refused', status: res.status, error };
  }, options);
}
