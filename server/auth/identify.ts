import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../deps.ts';
import { validateApiToken } from './api-token.ts';
import { SESSION_COOKIE, sessionCookie, validateSessionToken } from './session.ts';

/** Resolves the caller from `Authorization: Bearer jk_...` or the session cookie; anonymous otherwise. */
export function identify(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ctx = c.get('ctx');
    const auth = c.req.header('authorization');
    if (auth !== undefined && /^Bearer\s+/i.test(auth)) {
      const actor = await validateApiToken(ctx.db, ctx.clock, auth.replace(/^Bearer\s+/i, '').trim());
      c.set('actor', actor);
      ctx.actor = actor;
      await next();
      return;
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token !== undefined && token !== '') {
      const r = await validateSessionToken(ctx.db, ctx.clock, token, { days: ctx.config.sessionDays });
      if (r !== null) {
        c.set('actor', r.actor);
        ctx.actor = r.actor;
        await next();
        if (r.renewed && !c.res.headers.has('set-cookie')) {
          c.res.headers.append('set-cookie', sessionCookie(token, { expiresAtMs: r.expiresAtMs, secure: isSecure(c.req.url, ctx.config.cookieSecure) }));
        }
        return;
      }
    }
    await next();
  };
}

export function isSecure(url: string, forced: boolean | null): boolean {
  return forced ?? url.startsWith('https:');
}
