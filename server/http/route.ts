/**
 * One route = one declaration: method, path, who may call it, what it accepts, what it answers. The same table
 * registers the Hono handlers (registerRoutes), generates the OpenAPI document (openapi.ts) and drives the test that
 * walks every route for every role. A route without `access` does not type-check.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { isTokenAccess, mayAccess, type Access, type RouteScope } from '../../core/roles.ts';
import { hasMachineToken } from '../auth/machine-tokens.ts';
import { enforceRouteScope } from '../services/regions/scope.ts';
import type { AppEnv, ServiceCtx } from '../deps.ts';
import { checkCsrf } from './csrf.ts';
import { zodIssueDetails } from '../../core/zod-details.ts';
import { readBodyText } from './body.ts';
import { findDuplicateJsonKey } from '../../core/json-duplicates.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type BodySpec =
  | { kind: 'json'; schema: z.ZodType; maxBytes?: number }
  /** A file sent as the raw body (GeoJSON, CSV): the service parses it and names faults itself. */
  | { kind: 'text'; mediaTypes: readonly string[]; maxBytes: number }
  /** An HTML form post (the captive portal, the public report form). */
  | { kind: 'form'; schema: z.ZodType; maxBytes?: number };

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type BodyOut<B> = B extends { kind: 'json' | 'form'; schema: infer S } ? Out<S> : B extends { kind: 'text' } ? string : undefined;

export interface HandlerInput<Q, P, B> {
  c: Context<AppEnv>;
  ctx: ServiceCtx;
  query: Out<Q>;
  params: Out<P>;
  body: BodyOut<B>;
}

export interface RouteSpec<Q extends z.ZodType | undefined, P extends z.ZodType | undefined, B extends BodySpec | undefined> {
  method: Method;
  /** Hono path syntax: /api/v1/wards/:code */
  path: string;
  access: Access;
  /** How the route keeps staff limited to one kabupaten/kota to it (core/roles.ts); absent: closed to them. */
  scope?: RouteScope;
  /**
   * `replica` (issue 17): a read that tolerates replication lag (maps, coverage, KPIs, reports) runs on the streaming
   * replica (DATABASE_READ_URL) when one is configured. Only for GET routes that write nothing.
   */
  reads?: 'replica';
  summary: string;
  /** Longer text for the OpenAPI document (definitions the caller needs, e.g. the coverage layers). */
  description?: string;
  tag: string;
  query?: Q;
  params?: P;
  body?: B;
  /** Success status when the handler returns a value rather than a Response. */
  status?: number;
  response?: z.ZodType;
  /**
   * `origin` (the default for writes): a cookie-authenticated write must come from a trusted origin.
   * `none`: the route guards itself (sign-in, portal forms with their own token).
   */
  csrf?: 'origin' | 'none';
  /** Marks routes whose response is not JSON (HTML pages, CSV, files) in the OpenAPI document. */
  produces?: string;
  /** Issue 10: a collector token may call this route too (ingest, provisioning jobs). Collector tokens reach nothing else. */
  collectorMay?: boolean;
  /** Issue 10: an account that must change its password may call this (its own password, who am I, sign out). */
  beforePasswordChange?: boolean;
  handler: (input: HandlerInput<Q, P, B>) => Promise<unknown>;
}

export type AnyRoute = RouteSpec<any, any, any>;

export function defineRoute<
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  const B extends BodySpec | undefined = undefined,
>(spec: RouteSpec<Q, P, B>): RouteSpec<Q, P, B> {
  return spec;
}

const DEFAULT_JSON_LIMIT = 1024 * 1024;

function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new AppError('validation_failed', `invalid ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || where}: ${i.message}`).join('; ')}`, {
      reason: 'invalid.input',
      details: zodIssueDetails(r.error.issues, [where]),
    });
  }
  return r.data;
}

async function readBody(c: Context<AppEnv>, spec: BodySpec, defaultLimit: number): Promise<unknown> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const limit = spec.maxBytes ?? defaultLimit;
  if (spec.kind === 'text') {
    if (mediaType !== '' && !spec.mediaTypes.includes(mediaType) && mediaType !== 'text/plain' && mediaType !== 'application/octet-stream') {
      throw new AppError('unsupported_media_type', `expected ${spec.mediaTypes.join(' or ')}, got ${mediaType}`);
    }
    return readBodyText(c.req.raw, limit);
  }
  if (spec.kind === 'form') {
    if (mediaType !== 'application/x-www-form-urlencoded' && mediaType !== 'multipart/form-data') {
      throw new AppError('unsupported_media_type', 'expected a form post');
    }
    const text = await readBodyText(c.req.raw, limit);
    return parseWith(spec.schema, Object.fromEntries(new URLSearchParams(text)), 'form');
  }
  if (mediaType !== 'application/json') throw new AppError('unsupported_media_type', 'expected Content-Type: application/json');
  const text = await readBodyText(c.req.raw, limit);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'the request body is not valid JSON');
  }
  // Issue 10: a key given twice is refused rather than silently taking the last value.
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== null) {
    throw new AppError('bad_request', `the request body gives the key "${duplicate}" twice`, { reason: 'json.duplicateKey', params: { key: duplicate } });
  }
  return parseWith(spec.schema, json, 'body');
}

/** Tests run with config.checkResponses: an answer that its declared schema does not describe is a bug, not data. */
function checkResponse(route: AnyRoute, result: unknown): void {
  // An AppError so the test that hit it reads which route and field (this check runs in tests only).
  if (route.response === undefined) throw new AppError('internal', `${route.method.toUpperCase()} ${route.path} declares no response schema`);
  const r = route.response.safeParse(result);
  if (!r.success) {
    throw new AppError('internal', `${route.method.toUpperCase()} ${route.path} answered outside its response schema: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
}

/** Who may call: the route's access, the kind of token, and whether the account must change its password first. */
function checkAccess(route: AnyRoute, actor: AppEnv['Variables']['actor']): void {
  if (route.access === 'public') return;
  if (actor === null) throw new AppError('unauthenticated', 'sign in first');
  if (route.access === 'collector') {
    if (actor.tokenKind !== 'collector') {
      throw new AppError('forbidden', 'only a collector token (kind "collector") may call this; a person\'s session or token may not', { reason: 'auth.collectorOnly' });
    }
    return;
  }
  if (actor.tokenKind === 'collector' && route.collectorMay !== true) {
    throw new AppError('forbidden', 'a collector token may only deliver polls and fetch its work', { reason: 'auth.collectorToken' });
  }
  if (!mayAccess(route.access, actor.role)) {
    throw new AppError('forbidden', `this needs the role ${Array.isArray(route.access) ? route.access.join(' or ') : String(route.access)}`);
  }
  if (actor.mustChangePassword === true && route.beforePasswordChange !== true) {
    throw new AppError('forbidden', 'change your password first (POST /api/v1/auth/password)', { reason: 'auth.mustChangePassword' });
  }
}

export function registerRoutes(app: Hono<AppEnv>, routes: readonly AnyRoute[]): void {
  for (const route of routes) {
    app.on(route.method.toUpperCase(), route.path, async (c) => {
      const ctx = c.get('ctx');
      const actor = c.get('actor');
      if (isTokenAccess(route.access)) {
        // Machines and wall screens: the token decides, not a staff session (a signed-in admin without it gets 401 too).
        if (!(await hasMachineToken(c, route.access))) {
          c.header('www-authenticate', route.access.token === 'metrics' ? 'Bearer realm="jangkau-metrics"' : 'Bearer realm="jangkau-widget"');
          throw new AppError('unauthenticated', route.access.token === 'metrics' ? 'send Authorization: Bearer <JANGKAU_METRICS_TOKEN>' : 'this widget needs its read-only token in the URL (?token=jw_...)');
        }
      } else {
        checkAccess(route, actor);
      }
      if (route.method !== 'get' && (route.csrf ?? 'origin') === 'origin' && actor?.via === 'session') {
        checkCsrf(c, ctx.config.trustedOrigins);
      }
      // Region scope (issue 17) before any input is read: a closed route says so whatever was sent.
      if (route.access !== 'public' && !isTokenAccess(route.access)) await enforceRouteScope(ctx, route.scope, c.req.param() as Record<string, string>);
      const query = route.query === undefined ? undefined : parseWith(route.query, c.req.query(), 'query');
      const params = route.params === undefined ? undefined : parseWith(route.params, c.req.param(), 'path');
      const body = route.body === undefined ? undefined : await readBody(c, route.body, ctx.config.maxBodyBytes ?? DEFAULT_JSON_LIMIT);
      const onReplica = route.reads === 'replica' && route.method === 'get' && ctx.readDb !== undefined;
      const handlerCtx: ServiceCtx = onReplica ? { ...ctx, db: ctx.readDb! } : ctx;
      if (onReplica) c.header('x-jangkau-read', 'replica');
      const result = await route.handler({ c, ctx: handlerCtx, query, params, body } as HandlerInput<any, any, any>);
      if (ctx.config.checkResponses === true && !(result instanceof Response)) checkResponse(route, result);
      if (result instanceof Response) return result;
      return c.json(result as object, (route.status ?? 200) as 200);
    });
  }
}
