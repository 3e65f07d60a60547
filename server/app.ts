/**
 * Builds the Hono app from injected dependencies. No I/O at import time, no top-level await, no globals: the Node
 * entry, the Worker entry and the tests each build their own.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { AppError, httpStatusOf, isAppError } from '../core/errors.ts';
import { identify } from './auth/identify.ts';
import { systemServiceCtx } from './service-ctx.ts';
import type { AppDeps, AppEnv } from './deps.ts';
import { buildOpenApi } from './http/openapi.ts';
import { contentSecurityPolicy, DEFAULT_TILE_ORIGINS } from './http/csp.ts';
import { registerRoutes, type AnyRoute } from './http/route.ts';
import { ALL_ROUTES } from './routes/index.ts';
import { VERSION } from './routes/system.ts';

export interface AppOptions {
  /** Routes added by the runtime (e.g. the Node entry's collector controls). They obey the same access rules. */
  extraRoutes?: AnyRoute[];
  /** Serves the built web console for paths the API does not own (Node: files; Workers: the assets binding). */
  staticFiles?: MiddlewareHandler;
}

export function createApp(deps: AppDeps, options: AppOptions = {}): Hono<AppEnv> {
  const routes = [...ALL_ROUTES, ...(options.extraRoutes ?? [])];
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    const handle = deps.getDb(c);
    const reader = deps.getReadDb?.(c) ?? null;
    c.set('actor', null);
    c.set('renewedSessionToken', null);
    c.set(
      'ctx',
      systemServiceCtx(deps, handle, {
        requestId,
        clientAddress: deps.clientAddress(c),
        waitUntil: (task) => {
          try {
            c.executionCtx.waitUntil(task);
          } catch {
            // Node has no execution context: the caught promise simply runs on.
          }
        },
      }),
    );
    if (reader !== null) c.get('ctx').readDb = reader.db;
    await next();
  });
  // Issue 15: wall widgets are made to be embedded in other pages (read-only token in the URL): they may be framed.
  const widgetHeaders = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'unsafe-inline'"], scriptSrc: ["'none'"], frameAncestors: ['*'] },
    xFrameOptions: false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: 'cross-origin',
  });
  const pageHeaders = secureHeaders({ crossOriginEmbedderPolicy: false });
  app.use('*', (c, next) => (c.req.path.startsWith('/widgets/') ? widgetHeaders(c, next) : pageHeaders(c, next)));
  // Issue 10: images from here and the tile servers only, forms to here only (server/http/csp.ts). A route that
  // needs more (the portal's hand-off to the hotspot) sets its own policy, which is kept; widgets keep theirs.
  const csp = contentSecurityPolicy({ tileOrigins: deps.config.tileOrigins ?? DEFAULT_TILE_ORIGINS });
  app.use('*', async (c, next) => {
    await next();
    if (c.req.path.startsWith('/widgets/')) return;
    if (!c.res.headers.has('content-security-policy')) {
      try {
        c.res.headers.set('content-security-policy', csp);
      } catch {
        // A response with immutable headers (a passed-through fetch) keeps what it has.
      }
    }
  });
  app.use('*', identify());

  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? 'unknown';
    const e: AppError = isAppError(err) ? err : new AppError('internal', 'something went wrong on our side; the request id helps us find it');
    if (!isAppError(err)) deps.log.error('unhandled error', { requestId, error: String((err as Error)?.stack ?? err) });
    if (e.retryAfterS !== undefined) c.header('retry-after', String(e.retryAfterS));
    return c.json(
      {
        code: e.code,
        message: e.message,
        requestId,
        ...(e.reason === undefined ? {} : { reason: e.reason, params: e.params ?? {} }),
        ...(e.details === undefined ? {} : { details: e.details.slice(0, 200) }),
      },
      httpStatusOf(e.code) as 400,
    );
  });

  const openapi = buildOpenApi(routes, { version: VERSION });
  app.get('/api/v1/openapi.json', (c) => c.json(openapi));
  registerRoutes(app, routes);

  app.all('/api/*', (c) => c.json({ code: 'not_found', message: `no route ${c.req.method} ${c.req.path}`, requestId: c.get('requestId') }, 404));
  if (options.staticFiles !== undefined) app.use('*', options.staticFiles);
  app.notFound((c) => c.json({ code: 'not_found', message: 'not found', requestId: c.get('requestId') }, 404));
  return app;
}

export type App = ReturnType<typeof createApp>;
/** Every route the app serves, for the access test and the OpenAPI document. */
export { ALL_ROUTES };
