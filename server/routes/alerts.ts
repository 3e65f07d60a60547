/** Alert channels (issue 13): webhook, Telegram and e-mail, each with filters and a "send test". */
import { z } from 'zod';
import { channelBody, channelOut, channelPatch, channelTestOut, deliveryOut } from '../../core/schemas/alerts.ts';
import { idParam } from '../../core/schemas/common.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import {
  alertChannelDeliveries, createAlertChannel, getAlertChannel, listAlertChannels, patchAlertChannel, removeAlertChannel, testAlertChannel,
} from '../services/alerts/channels.ts';

const ENGINEERS = ['admin', 'engineer'] as const;

export const alertRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get', path: '/api/v1/alerts/channels', scope: 'province', access: ENGINEERS, tag: 'alerts',
    summary: 'Alert channels (webhook, Telegram, e-mail) with their filters and last delivery; secrets never shown',
    response: z.object({ items: z.array(channelOut) }),
    handler: async ({ ctx }) => listAlertChannels(ctx),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/alerts/channels', scope: 'province', access: ENGINEERS, tag: 'alerts', status: 201,
    summary: 'Add an alert channel: incident start, end and acknowledgement messages (Bahasa Indonesia) for the wards and severities chosen',
    body: { kind: 'json', schema: channelBody, maxBytes: 64 * 1024 },
    response: channelOut,
    handler: async ({ ctx, body }) => createAlertChannel(ctx, body),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/alerts/channels/:id', scope: 'province', access: ENGINEERS, tag: 'alerts',
    summary: 'One alert channel', params: idParam, response: channelOut,
    handler: async ({ ctx, params }) => getAlertChannel(ctx, params.id),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/alerts/channels/:id', scope: 'province', access: ENGINEERS, tag: 'alerts',
    summary: 'Change an alert channel (name, on/off, filters, settings; a secret given replaces the stored one)', params: idParam,
    body: { kind: 'json', schema: channelPatch, maxBytes: 64 * 1024 },
    response: channelOut,
    handler: async ({ ctx, params, body }) => patchAlertChannel(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/alerts/channels/:id', scope: 'province', access: ENGINEERS, tag: 'alerts',
    summary: 'Remove an alert channel and its delivery log', params: idParam, response: z.object({ ok: z.literal(true) }),
    handler: async ({ ctx, params }) => {
      await removeAlertChannel(ctx, params.id);
      return { ok: true as const };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/alerts/channels/:id/test', scope: 'province', access: ENGINEERS, tag: 'alerts',
    summary: 'Send a test message now (one attempt) and say whether it arrived', params: idParam,
    response: channelTestOut,
    handler: async ({ ctx, params }) => testAlertChannel(ctx, params.id),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/alerts/channels/:id/deliveries', scope: 'province', access: ENGINEERS, tag: 'alerts',
    summary: 'What was sent to a channel, newest first, with the outcome', params: idParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    response: z.object({ items: z.array(deliveryOut) }),
    handler: async ({ ctx, params, query }) => alertChannelDeliveries(ctx, params.id, query.limit),
  }),
];
