import type { Context } from 'hono';
import { AppError } from '../../core/errors.ts';

/**
 * Cookie-authenticated writes must name their origin, as every browser does on POST/PUT/PATCH/DELETE: the request's
 * own origin or one configured as trusted. Bearer-token calls carry no ambient credential and skip this check.
 */
export function checkCsrf(c: Context, trustedOrigins: readonly string[]): void {
  const origin = c.req.header('origin');
  const self = new URL(c.req.url).origin;
  if (origin !== undefined && (origin === self || trustedOrigins.includes(origin))) return;
  // Behind a proxy the request URL may show the inner address; the Host header then tells the outer one.
  const host = c.req.header('host');
  if (origin !== undefined && host !== undefined) {
    try {
      if (new URL(origin).host === host) return;
    } catch {
      /* not a URL: rejected below */
    }
  }
  throw new AppError('csrf_rejected', origin === undefined ? 'a signed-in write needs an Origin header' : `writes from ${origin} are not allowed`);
}
