/**
 * Issue 14: the opt-in speed test of the success page, and `/portal/done`, the page a hotspot's after-login page
 * (`alogin.html`) may send the browser to, which shows the same success page with the test for sign-ins handed off to
 * the router's form. Every endpoint needs this browser's granted flow (flow cookie) and is bounded: sizes, a budget
 * per flow and per address, one result per flow (services/speed-test.ts). Nothing personal is stored.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { htmlPage, looseResult } from '../../../core/schemas/responses.ts';
import type { AppEnv, ServiceCtx } from '../../deps.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { csrfMatches, csrfTokenFor, FLOW_COOKIE, loadFlow, type LoadedFlow } from '../services/flow.ts';
import { downloadPayload, grantOfFlow, recordSpeedResult, reserveSpeedRequest, SPEED_DOWN_MAX_BYTES, SPEED_MIN_ALLOWANCE_BYTES, SPEED_UP_MAX_BYTES, speedTestAllowed } from '../services/speed-test.ts';
import { isLang, type Lang } from '../pure/i18n.ts';
import { MessagePage, SPEED_JS, SuccessPage, type SpeedOffer } from '../pages/pages.tsx';

const bytesFile = htmlPage.describe('bytes');
const scriptFile = htmlPage.describe('JavaScript');
const resultBody = z
  .object({
    downMbps: z.number().positive().max(100_000),
    upMbps: z.number().positive().max(100_000),
    latencyMs: z.number().min(0).max(60_000),
  })
  .strict();

function langOf(c: Context<AppEnv>): Lang {
  const cookie = getCookie(c, 'jk_lang');
  return isLang(cookie) ? cookie : 'id';
}

/**
 * The speed test a granted flow is offered on its success page (issue 14). A sign-in that has just been granted passes
 * its allowance, so the page costs no query (the sign-in's hot path, issue 14 item 7); `/portal/done` looks it up.
 */
export async function speedOfferFor(ctx: ServiceCtx, flow: LoadedFlow, justGranted?: { bytes: number }): Promise<SpeedOffer> {
  if (justGranted !== undefined) {
    if (justGranted.bytes > 0 && justGranted.bytes < SPEED_MIN_ALLOWANCE_BYTES) return { metered: true };
    return { csrf: await csrfTokenFor(ctx, flow.token) };
  }
  const gate = await speedTestAllowed(ctx, flow);
  if (gate.ok) return { csrf: await csrfTokenFor(ctx, flow.token) };
  return !gate.ok && gate.reason === 'metered' ? { metered: true } : null;
}

/** The flow of a speed request, its budget counted; or the JSON refusal. */
async function speedFlow(c: Context<AppEnv>, ctx: ServiceCtx, options: { csrf: boolean }): Promise<LoadedFlow | Response> {
  const flow = await loadFlow(ctx, getCookie(c, FLOW_COOKIE));
  const gate = await speedTestAllowed(ctx, flow);
  if (!gate.ok) return c.json({ error: gate.reason }, gate.status);
  const f = flow as LoadedFlow;
  if (options.csrf && !(await csrfMatches(ctx, f.token, c.req.header('x-portal-csrf')))) return c.json({ error: 'csrf' }, 403);
  const budget = await reserveSpeedRequest(ctx, f);
  if (!budget.ok) return c.json({ error: budget.reason }, budget.status);
  return f;
}

const noStore = { 'cache-control': 'no-store' };

export const speedRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/portal/done',
    access: 'public',
    summary: "After the router's login: you are connected, with the opt-in speed test (a hotspot's alogin.html may redirect here)",
    tag: 'portal',
    produces: 'text/html',
    response: htmlPage,
    handler: async ({ c, ctx }) => {
      const lang = langOf(c);
      const flow = await loadFlow(ctx, getCookie(c, FLOW_COOKIE));
      const grant = flow === null ? undefined : await grantOfFlow(ctx, flow);
      c.header('cache-control', 'no-store');
      if (flow === null || flow.hotspot === null || grant === undefined) {
        const html = await (MessagePage({ lang, title: 'expiredTitle', text: 'expiredText' }) as unknown as { toString(): string | Promise<string> }).toString();
        return c.html(`<!doctype html>${html}`, 400);
      }
      const node = SuccessPage({ lang, dst: flow.data.handoff.dst, timeS: Number(grant.limit_uptime_s), bytes: Number(grant.limit_bytes), speed: await speedOfferFor(ctx, flow), title: 'doneTitle' });
      return c.html(`<!doctype html>${await (node as unknown as { toString(): string | Promise<string> }).toString()}`);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal/assets/speed.js',
    access: 'public',
    summary: "The success page's opt-in speed test script",
    tag: 'portal',
    produces: 'text/javascript',
    response: scriptFile,
    handler: async ({ c }) => c.body(SPEED_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }),
  }),
  defineRoute({
    method: 'get',
    path: '/portal/speed/ping',
    access: 'public',
    summary: 'Speed test: a tiny answer to time the round trip (a granted flow only; counted against its budget)',
    tag: 'portal',
    query: z.object({ n: z.string().max(4).optional() }),
    response: looseResult,
    handler: async ({ c, ctx }) => {
      const flow = await speedFlow(c, ctx, { csrf: false });
      if (flow instanceof Response) return flow;
      return c.json({ ok: true }, 200, noStore);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal/speed/down',
    access: 'public',
    summary: `Speed test download: up to ${SPEED_DOWN_MAX_BYTES} incompressible bytes (a granted flow only)`,
    tag: 'portal',
    produces: 'application/octet-stream',
    query: z.object({ bytes: z.coerce.number().int().min(1).max(SPEED_DOWN_MAX_BYTES).default(400 * 1024) }),
    response: bytesFile,
    handler: async ({ c, ctx, query }) => {
      const flow = await speedFlow(c, ctx, { csrf: false });
      if (flow instanceof Response) return flow;
      const bytes = downloadPayload(query.bytes);
      return c.body(bytes.slice().buffer as ArrayBuffer, 200, { ...noStore, 'content-type': 'application/octet-stream', 'content-encoding': 'identity' });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/speed/up',
    access: 'public',
    csrf: 'none',
    summary: `Speed test upload: at most ${SPEED_UP_MAX_BYTES} bytes, read and dropped (a granted flow with its CSRF header only)`,
    tag: 'portal',
    body: { kind: 'text', mediaTypes: ['text/plain'], maxBytes: SPEED_UP_MAX_BYTES },
    response: looseResult,
    handler: async ({ c, ctx, body }) => {
      const flow = await speedFlow(c, ctx, { csrf: true });
      if (flow instanceof Response) return flow;
      return c.json({ received: body.length }, 200, noStore);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/speed/result',
    access: 'public',
    csrf: 'none',
    summary: 'Speed test result (Mbps down and up, latency ms): kept per hotspot and ward, once per sign-in, nothing personal',
    tag: 'portal',
    body: { kind: 'json', schema: resultBody, maxBytes: 1024 },
    response: looseResult,
    handler: async ({ c, ctx, body }) => {
      const flow = await speedFlow(c, ctx, { csrf: true });
      if (flow instanceof Response) return flow;
      const r = await recordSpeedResult(ctx, flow, body);
      return c.json(r, r.stored ? 201 : 409, noStore);
    },
  }),
];
