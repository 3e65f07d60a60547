/**
 * The one place alert channels check where they may send (webhook URLs, the Telegram API base URL): http(s) only,
 * no `user:password@`. Issue 10 adds the city-wide outbound policy (no link-local or metadata addresses, private
 * networks only when an admin allows them, checked again at send time); this function and `channelFetch` are where
 * it plugs in, so every channel obeys the same rule.
 */
import { AppError } from '../../../core/errors.ts';
import type { ServiceCtx } from '../../deps.ts';

export async function checkChannelUrl(_ctx: ServiceCtx, text: string, field: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('validation_failed', `${field}: not a URL`, { details: [{ path: field, message: 'not a URL' }] });
  }
  const reason =
    url.protocol !== 'http:' && url.protocol !== 'https:'
      ? 'only http and https URLs are allowed'
      : url.username !== '' || url.password !== ''
        ? 'credentials in the URL (user:password@) are not allowed'
        : null;
  if (reason !== null) throw new AppError('validation_failed', `${field}: ${reason}`, { details: [{ path: field, message: reason }] });
  return url;
}

/** The fetch alert channels send with. */
export async function channelFetch(_ctx: ServiceCtx): Promise<typeof fetch> {
  return fetch;
}
