/**
 * The command centre connected (issue 15): the live event stream (SSE) for staff and for wall widgets, the widget
 * tokens an admin manages, and the widget's summary and page (read-only token in the URL, no staff session).
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { htmlPage, okOut } from '../../core/schemas/responses.ts';
import type { AppEnv, ServiceCtx } from '../deps.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { runLiveStream } from '../services/live/event-stream.ts';
import { widgetPageHtml } from '../services/live/widget-page.ts';
import { createWidgetToken, revokeWidget, widgetSummary, widgetTokens } from '../services/live/widgets.ts';

export const eventStreamOut = z.string().describe('text/event-stream: events snapshot, state, incident (JSON data)');
export const widgetSummaryOut = z.object({
  asOf: z.string(), devices: z.record(z.string(), z.number()),
  openIncidents: z.array(z.object({ siteName: z.string().nullable(), deviceName: z.string(), since: z.string(), acknowledged: z.boolean() })),
  pointsLive: z.number(), pointsWorking: z.number(), availabilityTodayPct: z.number().nullable(), residentsCoveredPct: z.number().nullable(), residentsCoveredReason: z.string().optional(),
});
const widgetTokenOut = z.object({ id: z.string(), name: z.string(), createdBy: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });

function sse(c: Context<AppEnv>, ctx: ServiceCtx): Response {
  c.header('cache-control', 'no-store');
  c.header('x-accel-buffering', 'no');
  return streamSSE(c, async (stream) => {
    const ac = new AbortController();
    stream.onAbort(() => ac.abort());
    try {
      await runLiveStream(ctx, async (e) => {
        if ('comment' in e) await stream.write(`: ${e.comment}\n\n`);
        else await stream.writeSSE({ event: e.event, data: JSON.stringify(e.data) });
      }, ac.signal);
    } catch (err) {
      // Nothing to answer with once the stream has begun: log it; the client reconnects.
      ctx.log.warn('live stream ended on an error', { error: String(err) });
    }
  });
}

const tokenQuery = z.object({ token: z.string(), lang: z.enum(['id', 'en']).default('id') });

export const liveRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get', path: '/api/v1/events', scope: 'province', access: 'staff', tag: 'live', produces: 'text/event-stream',
    summary: 'Live events (Server-Sent Events): a snapshot, then device state changes and incidents opened, acknowledged and closed',
    response: eventStreamOut, handler: async ({ c, ctx }) => sse(c, ctx),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/widgets/events', scope: 'province', access: { token: 'widget' }, tag: 'live', produces: 'text/event-stream', query: tokenQuery,
    summary: 'The live events for a wall widget (?token=jw_..., read-only)',
    response: eventStreamOut, handler: async ({ c, ctx }) => sse(c, ctx),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/widgets/summary', scope: 'province', access: { token: 'widget' }, tag: 'live', query: tokenQuery,
    summary: "A wall widget's figures (?token=jw_...): devices by state, open incidents by site, the public summary",
    response: widgetSummaryOut, handler: async ({ c, ctx }) => {
      c.header('access-control-allow-origin', '*');
      return widgetSummary(ctx);
    },
  }),
  defineRoute({
    method: 'get', path: '/widgets/status', scope: 'province', access: { token: 'widget' }, tag: 'live', produces: 'text/html', query: tokenQuery,
    summary: 'The wall widget page (?token=jw_...): embeddable, no script, refreshes every 30 s',
    response: htmlPage, handler: async ({ ctx, query }) => new Response(widgetPageHtml(await widgetSummary(ctx), query.lang), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/widgets/tokens', scope: 'province', access: ['admin'], tag: 'live',
    summary: 'Wall-widget tokens (never the token itself)',
    response: z.object({ items: z.array(widgetTokenOut) }), handler: async ({ ctx }) => widgetTokens(ctx),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/widgets/tokens', scope: 'province', access: ['admin'], tag: 'live', status: 201,
    summary: 'Make a read-only wall-widget token; it is shown once, with the widget URLs',
    body: { kind: 'json', schema: z.object({ name: z.string().trim().min(1).max(120) }).strict() },
    response: z.object({ id: z.string(), name: z.string(), token: z.string(), urls: z.object({ status: z.string(), summary: z.string(), events: z.string() }) }),
    handler: async ({ c, ctx, body }) => createWidgetToken(ctx, body.name, new URL(c.req.url).origin),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/widgets/tokens/:id', scope: 'province', access: ['admin'], tag: 'live', params: z.object({ id: z.string().min(1).max(64) }),
    summary: 'Revoke a wall-widget token: its widget stops at once',
    response: okOut, handler: async ({ ctx, params }) => revokeWidget(ctx, params.id),
  }),
];
