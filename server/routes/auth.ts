import { getCookie } from 'hono/cookie';
import { changePasswordBody, createTokenBody, loginBody } from '../../core/schemas/auth.ts';
import { isoAt } from '../../core/time.ts';
import { idParam } from '../../core/schemas/common.ts';
import { AppError } from '../../core/errors.ts';
import { newApiToken } from '../auth/api-token.ts';
import { isSecure } from '../auth/identify.ts';
import { clearedSessionCookie, SESSION_COOKIE, sessionCookie } from '../auth/session.ts';
import { newId, sha256Hex } from '../crypto/random.ts';
import { deleteApiToken, deleteSession, insertApiToken, listApiTokens } from '../db/sessions.ts';
import { findUserById } from '../db/users.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { recordAudit } from '../services/audit/record-audit.ts';
import { login } from '../services/auth/login.ts';
import { changeOwnPassword, toUserOut } from '../services/users/manage-users.ts';
import { loginOut, meOut, okOut, tokenCreatedOut, tokenListOut } from '../../core/schemas/responses.ts';

export const authRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/login',
    access: 'public',
    // Sign-in needs no ambient credential; a cross-site form could only sign the victim into the attacker's account,
    // which the Origin check below still refuses when a browser names a foreign origin.
    csrf: 'none',
    summary: 'Sign in with email and password; sets the session cookie',
    tag: 'auth',
    body: { kind: 'json', schema: loginBody, maxBytes: 4096 },
    response: loginOut, handler: async ({ c, ctx, body }) => {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== new URL(c.req.url).origin && !ctx.config.trustedOrigins.includes(origin)) {
        throw new AppError('csrf_rejected', `sign-in from ${origin} is not allowed`);
      }
      const previous = getCookie(c, SESSION_COOKIE);
      const r = await login(ctx, {
        email: body.email,
        password: body.password,
        userAgent: c.req.header('user-agent') ?? null,
        previousSessionId: previous === undefined ? null : sha256Hex(previous),
      });
      c.header('set-cookie', sessionCookie(r.token, { expiresAtMs: r.expiresAtMs, secure: isSecure(c.req.url, ctx.config.cookieSecure) }));
      return { user: r.user, expiresAt: isoAt(r.expiresAtMs) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/logout',
    access: 'staff',
    scope: 'global',
    summary: 'End this session',
    tag: 'auth',
    beforePasswordChange: true,
    response: okOut, handler: async ({ c, ctx }) => {
      if (ctx.actor?.sessionId != null) await deleteSession(ctx.db, ctx.actor.sessionId);
      c.header('set-cookie', clearedSessionCookie({ secure: isSecure(c.req.url, ctx.config.cookieSecure) }));
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/me',
    access: 'staff',
    scope: 'global',
    summary: 'Who am I',
    tag: 'auth',
    beforePasswordChange: true,
    response: meOut, handler: async ({ ctx }) => {
      const row = await findUserById(ctx.db, ctx.actor!.userId);
      if (row === undefined) throw new AppError('unauthenticated', 'sign in first');
      return { ...toUserOut(row), mustChangePassword: row.must_change_password === 1, via: ctx.actor!.via };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/password',
    access: 'staff',
    scope: 'global',
    summary: 'Change my password (ends my other sessions and my API tokens)',
    tag: 'auth',
    beforePasswordChange: true,
    body: { kind: 'json', schema: changePasswordBody, maxBytes: 4096 },
    response: okOut, handler: async ({ ctx, body }) => {
      await changeOwnPassword(ctx, body);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/auth/tokens',
    access: 'staff',
    scope: 'global',
    summary: 'My personal API tokens (without their secrets)',
    tag: 'auth',
    response: tokenListOut, handler: async ({ ctx }) => {
      const rows = await listApiTokens(ctx.db, ctx.actor!.userId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          createdAt: r.created_at,
          expiresAt: r.expires_at === null ? null : isoAt(Number(r.expires_at)),
          lastUsedAt: r.last_used_at,
          kind: r.kind === 'collector' ? ('collector' as const) : ('personal' as const),
          collectorId: r.collector_id,
        })),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/auth/tokens',
    access: 'staff',
    scope: 'global',
    summary: 'Create an API token (from a signed-in session, expiring within a year); its secret is shown once',
    description:
      'A `personal` token acts with its owner\'s role for scripts. A `collector` token (admins and engineers) belongs to one standalone collector (`collectorId`): it may deliver polls, claim provisioning jobs and fetch that collector\'s targets, nothing else. Tokens end when their owner\'s password changes or is reset, or the account is disabled.',
    tag: 'auth',
    status: 201,
    body: { kind: 'json', schema: createTokenBody },
    response: tokenCreatedOut, handler: async ({ ctx, body }) => {
      // A token must not mint tokens: a leaked one would otherwise outlive its own revocation.
      if (ctx.actor!.via !== 'session') throw new AppError('forbidden', 'tokens are created from a signed-in session, not with another token', { reason: 'auth.tokenFromSession' });
      if (body.kind === 'collector' && ctx.actor!.role !== 'admin' && ctx.actor!.role !== 'engineer') {
        throw new AppError('forbidden', 'only admins and engineers create collector tokens', { reason: 'auth.collectorTokenRole' });
      }
      const { token, hash } = newApiToken();
      const id = newId();
      const now = ctx.clock.nowMs();
      const expiresAtMs = now + body.expiresInDays * 86_400_000;
      await insertApiToken(ctx.db, {
        id,
        user_id: ctx.actor!.userId,
        name: body.name,
        token_hash: hash,
        created_at: isoAt(now),
        expires_at: expiresAtMs,
        last_used_at: null,
        kind: body.kind,
        collector_id: body.collectorId ?? null,
      });
      await recordAudit(ctx, ctx.db, { action: 'create', entity: 'api-token', entityId: id, detail: { name: body.name, kind: body.kind, collectorId: body.collectorId ?? null } });
      return { id, name: body.name, token, kind: body.kind, expiresAt: isoAt(expiresAtMs) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/auth/tokens/:id',
    access: 'staff',
    scope: 'global',
    summary: 'Revoke one of my API tokens',
    tag: 'auth',
    params: idParam,
    response: okOut, handler: async ({ ctx, params }) => {
      const n = await deleteApiToken(ctx.db, ctx.actor!.userId, params.id);
      if (n === 0) throw new AppError('not_found', `no token ${params.id}`);
      await recordAudit(ctx, ctx.db, { action: 'delete', entity: 'api-token', entityId: params.id });
      return { ok: true };
    },
  }),
];
