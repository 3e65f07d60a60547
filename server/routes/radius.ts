/**
 * The RADIUS server's staff endpoints (issue 16): NAS clients (secrets sealed, never returned), RADIUS sessions with
 * kick (Disconnect-Request) and change (CoA-Request), the requests and their answers, the figures, and revoking
 * vouchers. The UDP server itself runs in the Node process (server/radius/runtime.ts), never on Workers.
 */
import { z } from 'zod';
import { idParam, pageQuery } from '../../core/schemas/common.ts';
import { coaBody, radiusClientBody, radiusClientPatch, radiusStatsQuery, voucherRevokeBody } from '../../core/schemas/radius.ts';
import { isoAt } from '../../core/time.ts';
import { listRadiusSessionViews } from '../db/radius.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { createRadiusClient, listClients, patchRadiusClient, removeRadiusClient } from '../radius/clients.ts';
import { listCoa, staffCoa } from '../radius/coa-queue.ts';
import { radiusStats } from '../radius/stats.ts';
import { revokeVoucherBatch } from '../radius/vouchers.ts';
import { itemsOut, looseResult } from '../../core/schemas/responses.ts';

const waitBody = z.object({ waitMs: z.number().int().min(0).max(10_000).default(3000) }).strict();

export const radiusRoutes: AnyRoute[] = [
  defineRoute({ method: 'get', path: '/api/v1/radius/clients', scope: 'province', access: 'staff', summary: 'NAS clients of the RADIUS server (secrets never shown)', tag: 'radius', response: itemsOut, handler: async ({ ctx }) => listClients(ctx) }),
  defineRoute({
    method: 'post',
    path: '/api/v1/radius/clients',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Register a NAS client (hotspot gateway) with its shared secret, vendor and portal hotspot',
    tag: 'radius',
    status: 201,
    body: { kind: 'json', schema: radiusClientBody },
    response: looseResult, handler: async ({ ctx, body }) => createRadiusClient(ctx, body),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/radius/clients/:id',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Change a NAS client (a new secret replaces the old one)',
    tag: 'radius',
    params: idParam,
    body: { kind: 'json', schema: radiusClientPatch },
    response: looseResult, handler: async ({ ctx, params, body }) => patchRadiusClient(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/radius/clients/:id',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Remove a NAS client (its requests are dropped from then on)',
    tag: 'radius',
    params: idParam,
    response: looseResult, handler: async ({ ctx, params }) => {
      await removeRadiusClient(ctx, params.id);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/radius/sessions',
    scope: 'province',
    access: 'staff',
    summary: 'RADIUS-accounted hotspot sessions (open ones by default; no identities)',
    tag: 'radius',
    query: pageQuery.extend({ open: z.enum(['true', 'false']).default('true') }),
    response: looseResult, handler: async ({ ctx, query }) => ({
      items: (await listRadiusSessionViews(ctx.db, { open: query.open === 'true', limit: query.limit, offset: query.offset })).map((s) => ({
        id: s.id,
        clientId: s.client_id,
        clientName: s.client_name,
        hotspotId: s.hotspot_id,
        user: s.hotspot_user,
        address: s.framed_ip,
        startedAt: isoAt(Number(s.started_at)),
        endedAt: s.ended_at === null ? null : isoAt(Number(s.ended_at)),
        lastUpdateAt: isoAt(Number(s.last_update_ms)),
        uptimeS: s.uptime_s,
        bytesIn: Number(s.bytes_in),
        bytesOut: Number(s.bytes_out),
        terminateCause: s.terminate_cause,
      })),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/radius/sessions/:id/disconnect',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: "Kick a session: Disconnect-Request to its NAS; answers with the NAS's reply when it comes within waitMs",
    tag: 'radius',
    params: idParam,
    body: { kind: 'json', schema: waitBody },
    response: looseResult, handler: async ({ ctx, params, body }) => staffCoa(ctx, params.id, 'disconnect', undefined, body.waitMs),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/radius/sessions/:id/coa',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Change a live session (rate limit, session timeout): CoA-Request to its NAS',
    tag: 'radius',
    params: idParam,
    body: { kind: 'json', schema: coaBody },
    response: looseResult, handler: async ({ ctx, params, body }) =>
      staffCoa(ctx, params.id, 'coa', { ...(body.rateLimit === undefined ? {} : { rateLimit: body.rateLimit }), ...(body.sessionTimeoutS === undefined ? {} : { sessionTimeoutS: body.sessionTimeoutS }) }, 3000),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/radius/disconnects',
    scope: 'province',
    access: 'staff',
    summary: 'Disconnect and CoA requests with the answers the NAS gave (newest first)',
    tag: 'radius',
    query: pageQuery,
    response: looseResult, handler: async ({ ctx, query }) => listCoa(ctx, query),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/radius/stats',
    scope: 'province',
    access: 'staff',
    summary: 'RADIUS figures: requests, accepts, rejects, drops by reason, response time, per minute',
    tag: 'radius',
    query: radiusStatsQuery,
    response: looseResult, handler: async ({ ctx, query }) => radiusStats(ctx, query.minutes),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/voucher-batches/:id/revoke',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Revoke vouchers of a batch (all, or by printed number or code): no more sign-ins, their sessions disconnected',
    tag: 'portal',
    params: idParam,
    body: { kind: 'json', schema: voucherRevokeBody },
    response: looseResult, handler: async ({ ctx, params, body }) => revokeVoucherBatch(ctx, params.id, body),
  }),
];
