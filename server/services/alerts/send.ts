/** One message to one channel, whatever its kind: opens the channel's secret, picks the sender, never throws. */
import type { ChannelKind } from '../../../core/schemas/alerts.ts';
import type { AlertChannelsTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import type { DeliveryOutcome, RetryOptions } from '../../notify/retry.ts';
import { sendTelegram } from '../../notify/telegram.ts';
import { sendWebhook } from '../../notify/send-webhook.ts';
import { channelFetch } from './outbound-check.ts';

/** The sealing purpose of a channel's secret; webhooks keep the purpose they had before channels existed. */
export function secretPurpose(kind: string, id: string): string {
  if (kind === 'webhook') return `webhook-secret:${id}`;
  return `alert-${kind}-secret:${id}`;
}

export interface ChannelMessage {
  /** opened | closed | acknowledged | test */
  event: string;
  deliveryId: string;
  /** For people (Telegram, e-mail): Bahasa Indonesia. */
  words: { subject: string; text: string };
  /** For machines (webhooks): JSON with a `type`. */
  payload: { type: string; deliveryId: string } & Record<string, unknown>;
}

export async function sendToChannel(ctx: ServiceCtx, row: AlertChannelsTable, message: ChannelMessage, options: RetryOptions = {}): Promise<DeliveryOutcome> {
  const kind = row.kind as ChannelKind;
  const settings = JSON.parse(row.settings) as Record<string, unknown>;
  let secret: string | null = null;
  try {
    secret = row.secret_sealed === null ? null : await ctx.secrets.open(row.secret_sealed, secretPurpose(kind, row.id));
  } catch {
    return { delivered: false, attempts: 0, status: null, error: 'the stored secret cannot be opened (was the server key changed?); enter it again' };
  }
  if (kind === 'webhook') {
    return sendWebhook({ url: row.target, secret: secret ?? '' }, message.payload, { ...options, fetchFn: await channelFetch(ctx), nowMs: () => ctx.clock.nowMs() });
  }
  if (kind === 'telegram') {
    if (secret === null) return { delivered: false, attempts: 0, status: null, error: 'no bot token set' };
    return sendTelegram({ apiBaseUrl: String(settings.apiBaseUrl ?? 'https://api.telegram.org'), token: secret, chatId: row.target }, message.words.text, { ...options, fetchFn: await channelFetch(ctx) });
  }
  if (ctx.mailer === null) return { delivered: false, attempts: 0, status: null, error: 'this server cannot send e-mail (no SMTP in this runtime); a Node server can' };
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  let last: DeliveryOutcome = { delivered: false, attempts: 0, status: null, error: null };
  for (let n = 1; n <= maxAttempts; n++) {
    const o = await ctx.mailer.send(
      {
        host: String(settings.host),
        port: Number(settings.port),
        security: settings.security === 'tls' ? 'tls' : 'starttls',
        username: typeof settings.username === 'string' ? settings.username : null,
        password: secret,
        caPem: typeof settings.caPem === 'string' ? settings.caPem : null,
      },
      { from: String(settings.from), to: settings.to as string[], subject: message.words.subject, text: message.words.text },
      { timeoutMs: options.timeoutMs ?? 15_000 },
    );
    last = { delivered: o.delivered, attempts: n, status: o.status, error: o.error };
    // A 5xx reply is a permanent refusal (wrong password, recipient refused): trying again changes nothing.
    if (o.delivered || (o.status !== null && o.status >= 500)) break;
    if (n < maxAttempts) await (options.sleepMs ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(1000 * 2 ** (n - 1));
  }
  return last;
}
