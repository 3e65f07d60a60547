import { z } from 'zod';
import { createUserBody, updateUserBody } from '../../core/schemas/auth.ts';
import { idParam, pageQuery } from '../../core/schemas/common.ts';
import { listAudit } from '../db/audit.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { createUser, listAllUsers, updateUserByAdmin } from '../services/users/manage-users.ts';
import { auditPageOut, userPageOut } from '../../core/schemas/responses.ts';
import { userOut } from '../../core/schemas/auth.ts';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time').transform((s) => new Date(s).toISOString());
const auditQuery = pageQuery.extend({
  entity: z.string().max(40).optional(),
  entityId: z.string().max(64).optional(),
  /** Part of the actor's e-mail, or their user id. */
  actor: z.string().trim().min(1).max(254).optional(),
  action: z.string().max(40).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

export const userRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/v1/users',
    scope: 'province',
    access: ['admin'],
    summary: 'List staff accounts',
    tag: 'users',
    query: pageQuery,
    response: userPageOut, handler: async ({ ctx, query }) => ({ ...(await listAllUsers(ctx, query)), limit: query.limit, offset: query.offset }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/users',
    scope: 'province',
    access: ['admin'],
    summary: 'Create a staff account (the password must be changed at first sign-in)',
    tag: 'users',
    status: 201,
    body: { kind: 'json', schema: createUserBody },
    response: userOut, handler: async ({ ctx, body }) => createUser(ctx, body),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/users/:id',
    scope: 'province',
    access: ['admin'],
    summary: 'Change a role, disable an account or reset its password (ends its sessions)',
    tag: 'users',
    params: idParam,
    body: { kind: 'json', schema: updateUserBody },
    response: userOut, handler: async ({ ctx, params, body }) => updateUserByAdmin(ctx, params.id, body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/audit',
    scope: 'province',
    access: ['admin'],
    summary: 'Who changed what, when (newest first); filter by entity, actor, action and period',
    tag: 'users',
    query: auditQuery,
    response: auditPageOut, handler: async ({ ctx, query }) => {
      const { rows, total } = await listAudit(ctx.db, query);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actorId: r.actor_id,
          actor: r.actor_label,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
          requestId: r.request_id,
        })),
        total,
        limit: query.limit,
        offset: query.offset,
      };
    },
  }),
];
