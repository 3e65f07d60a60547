/**
 * How one-time codes reach phones. `SmsGateway` is the whole interface; two implementations: an HTTP gateway (POST
 * JSON { to, text } to a configured URL with an optional bearer token) and the development outbox, which stores the
 * message sealed in portal_sms_outbox for the console to show.
 */
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../crypto/random.ts';
import { insertOutbox } from '../../db/portal-identity.ts';
import type { ServiceCtx } from '../../deps.ts';
import { getPortalSettings, openSmsToken } from './settings.ts';

export interface SmsMessage {
  /** E.164, e.g. +6281234567890. */
  to: string;
  text: string;
}

export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

export const PHONE_PURPOSE = 'portal-phone';
export const OUTBOX_PURPOSE = 'portal-sms-body';

export function createHttpSmsGateway(options: { url: string; token: string | null; timeoutMs?: number; fetchFn?: typeof fetch }): SmsGateway {
  const fetchFn = options.fetchFn ?? fetch;
  return {
    async send(message) {
      let res: Response;
      try {
        res = await fetchFn(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(options.token === null ? {} : { authorization: `Bearer ${options.token}` }) },
          body: JSON.stringify({ to: message.to, text: message.text }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
      } catch (cause) {
        throw new AppError('unavailable', 'the SMS gateway cannot be reached', { cause });
      }
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) throw new AppError('unavailable', `the SMS gateway answered ${res.status}`);
    },
  };
}

export function createOutboxSmsGateway(ctx: Pick<ServiceCtx, 'db' | 'secrets' | 'clock'>): SmsGateway {
  return {
    async send(message) {
      await insertOutbox(ctx.db, {
        id: newId(),
        phone_hash: await ctx.secrets.keyedHash(message.to, PHONE_PURPOSE),
        phone_sealed: await ctx.secrets.seal(message.to, PHONE_PURPOSE),
        body_sealed: await ctx.secrets.seal(message.text, OUTBOX_PURPOSE),
        created_at: ctx.clock.nowMs(),
      });
    },
  };
}

/** The gateway the settings name. */
export async function smsGatewayFor(ctx: ServiceCtx): Promise<SmsGateway> {
  const s = await getPortalSettings(ctx);
  if (s.sms.kind === 'http') return createHttpSmsGateway({ url: s.sms.url, token: await openSmsToken(ctx, s.sms.tokenSealed) });
  return createOutboxSmsGateway(ctx);
}
