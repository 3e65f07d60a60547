/**
 * The captive portal's HTML routes. The hotspot posts to /portal/login (public, cross-site by design, so `csrf:
 * 'none'`); every later form carries a CSRF token derived from the flow cookie and is checked here.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { z } from 'zod';
import { isSecure } from '../../auth/identify.ts';
import type { AppEnv, ServiceCtx } from '../../deps.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { citizenDataView, deleteCitizenData } from '../services/citizen-data.ts';
import { citizenOfSession, clearedPortalSessionCookie, PORTAL_SESSION_COOKIE, portalSessionCookie } from '../services/citizen-session.ts';
import { csrfMatches, csrfTokenFor, endFlow, FLOW_COOKIE, flowCookie, flowFromSameClient, loadFlow, prepareFlow, saveFlow, saveNewFlow, startDataFlow, type LoadedFlow } from '../services/flow.ts';
import { grantById, queuedOutcome, type GrantOutcome } from '../services/grant-access.ts';
import { hotspotMethods } from '../services/hotspots.ts';
import { requestOtp, verifyOtp } from '../services/one-time-code.ts';
import { flowMayGrant, signInWithOtp, signInWithSession, signInWithTerms, signInWithTermsAtHandoff, signInWithVoucher, type SignInResult } from '../services/sign-in.ts';
import { isLang, routerErrorKey, TERMS_VERSION, type Lang } from '../pure/i18n.ts';
import {
  HANDOFF_JS,
  HandoffPage,
  MessagePage,
  MyDataConfirmPage,
  VoucherLinkPage,
  MyDataStartPage,
  MyDataViewPage,
  OtpPage,
  StartPage,
  startPageHtml,
  SuccessPage,
  TermsPage,
  LandingPage,
  WaitPage,
  type Notice,
} from '../pages/pages.tsx';
import { maskPhone } from '../pure/phone.ts';
import { formatVoucherCode, normalizeVoucherCode } from '../pure/voucher-code.ts';
import { htmlPage } from '../../../core/schemas/responses.ts';
import { contentSecurityPolicy, cspOrigin, DEFAULT_TILE_ORIGINS } from '../../http/csp.ts';
import { captiveStateOut } from '../../../core/schemas/portal.ts';
import { captiveState } from '../services/captive-api.ts';
import { speedOfferFor } from './speed-routes.tsx';
const scriptFile = htmlPage.describe('JavaScript');

const LANG_COOKIE = 'jk_lang';
const VOUCHER_LINK = /^\/portal\/v\/([A-Za-z0-9-]{10,11})$/;

/** The voucher code of a printed QR link (`<this portal>/portal/v/CODE`) that came back as the hotspot's `dst`. */
function voucherOfLink(dst: string | null, requestUrl: string): string | null {
  if (dst === null) return null;
  let u: URL;
  try {
    u = new URL(dst);
  } catch {
    return null;
  }
  if (u.host !== new URL(requestUrl).host) return null;
  const m = VOUCHER_LINK.exec(u.pathname);
  const code = m === null ? null : normalizeVoucherCode(m[1]!);
  return code === null ? null : formatVoucherCode(code);
}
const FORM_LIMIT = 16 * 1024;
const field = (max: number) => z.string().max(max).optional();
const hotspotForm = z.record(z.string().max(64), z.string().max(4096));
const csrfForm = z.object({ csrf: field(100) });
const deleteForm = z.object({ csrf: field(100), confirm: field(8) });
const acceptForm = z.object({ csrf: field(100), accept: field(8) });
const phoneForm = z.object({ csrf: field(100), phone: field(32), accept: field(8) });
const codeForm = z.object({ csrf: field(100), code: field(32) });
const voucherForm = z.object({ csrf: field(100), code: field(32), accept: field(8) });
const langQuery = z.object({ lang: z.string().max(5).optional() });

function langOf(c: Context<AppEnv>, flow?: LoadedFlow | null): Lang {
  const q = c.req.query('lang');
  if (isLang(q)) {
    c.header('set-cookie', `${LANG_COOKIE}=${q}; Path=/portal; SameSite=Lax; Max-Age=31536000`, { append: true });
    return q;
  }
  const cookie = getCookie(c, LANG_COOKIE);
  if (isLang(cookie)) return cookie;
  return flow?.data.lang ?? 'id';
}

async function page(c: Context<AppEnv>, node: JSX.Element, status = 200): Promise<Response> {
  const html = await (node as unknown as { toString(): string | Promise<string> }).toString();
  c.header('cache-control', 'no-store');
  return c.html(`<!doctype html>${html}`, status as 200);
}

function secure(c: Context<AppEnv>, ctx: ServiceCtx): boolean {
  return isSecure(c.req.url, ctx.config.cookieSecure);
}

/** The flow of this browser with a valid CSRF token, or the page that explains why not. */
async function guardedFlow(c: Context<AppEnv>, ctx: ServiceCtx, csrf: string | undefined, options: { dataFlow?: boolean } = {}): Promise<LoadedFlow | Response> {
  const flow = await loadFlow(ctx, getCookie(c, FLOW_COOKIE));
  const lang = langOf(c, flow);
  if (flow === null || (options.dataFlow === true) !== (flow.row.hotspot_id === '')) return page(c, <MessagePage lang={lang} title="expiredTitle" text="expiredText" />, 400);
  if (!(await csrfMatches(ctx, flow.token, csrf))) return page(c, <MessagePage lang={lang} title="badRequestTitle" text="csrfText" />, 403);
  const elsewhere = await otherClient(c, ctx, flow);
  if (elsewhere !== null) return elsewhere;
  return flow;
}

/** Issue 10: the page that refuses a hotspot flow brought from another address than the one it started from. */
async function otherClient(c: Context<AppEnv>, ctx: ServiceCtx, flow: LoadedFlow): Promise<Response | null> {
  if (await flowFromSameClient(ctx, flow)) return null;
  return page(c, <MessagePage lang={langOf(c, flow)} title="otherClientTitle" text="otherClientText" />, 403);
}

/** Issue 10: too many flows or grants from this address or at this hotspot. */
async function busyPage(c: Context<AppEnv>, retryAfterS: number): Promise<Response> {
  c.header('retry-after', String(retryAfterS));
  return page(c, <MessagePage lang={langOf(c)} title="busyTitle" text="busyText" />, 429);
}

async function startPage(c: Context<AppEnv>, ctx: ServiceCtx, flow: LoadedFlow, notice: Notice | null, status = 200): Promise<Response> {
  const lang = langOf(c, flow);
  const citizen = await citizenOfSession(ctx, getCookie(c, PORTAL_SESSION_COOKIE));
  const methods = flow.hotspot === null ? [] : hotspotMethods(flow.hotspot);
  const routerNotice = flow.data.handoff.routerError === null ? null : routerErrorKey(flow.data.handoff.routerError);
  const returning = citizen !== null && citizen.kind === 'phone' && methods.includes('otp');
  const voucherCode = flow.data.voucherCode;
  if (notice === null && routerNotice === null && voucherCode === undefined) {
    c.header('cache-control', 'no-store');
    return c.html(`<!doctype html>${await startPageHtml({ lang, csrf: await csrfTokenFor(ctx, flow.token), methods, returning })}`, status as 200);
  }
  return page(
    c,
    <StartPage
      lang={lang}
      csrf={await csrfTokenFor(ctx, flow.token)}
      methods={methods}
      notice={notice}
      routerNotice={routerNotice}
      returning={returning}
      {...(voucherCode === undefined ? {} : { voucherCode })}
    />,
    status,
  );
}

async function renderOutcome(c: Context<AppEnv>, ctx: ServiceCtx, flow: LoadedFlow, result: SignInResult | { outcome: GrantOutcome; sessionToken: null }): Promise<Response> {
  const lang = langOf(c, flow);
  if (result.sessionToken !== null) c.header('set-cookie', portalSessionCookie(result.sessionToken, { secure: secure(c, ctx) }), { append: true });
  const o = result.outcome;
  switch (o.kind) {
    case 'refused':
      if (o.key === 'errRouter') return page(c, <MessagePage lang={lang} title="waitTitle" text="errRouter" back />, 503);
      if (o.key === 'errFlowUsed') return page(c, <MessagePage lang={lang} title="expiredTitle" text="errFlowUsed" />, 409);
      if (o.key === 'errBusy') {
        c.header('retry-after', String(Number(o.vars?.min ?? 1) * 60));
        return startPage(c, ctx, flow, { key: o.key, ...(o.vars === undefined ? {} : { vars: o.vars }) }, 429);
      }
      return startPage(c, ctx, flow, { key: o.key, ...(o.vars === undefined ? {} : { vars: o.vars }) }, o.key === 'errConsent' ? 400 : 200);
    case 'handoff': {
      // The one page whose form leaves this server: it may post to the hotspot's own login origin, nothing else.
      const origin = cspOrigin(o.action);
      c.header('content-security-policy', contentSecurityPolicy({ tileOrigins: ctx.config.tileOrigins ?? DEFAULT_TILE_ORIGINS, formActionOrigins: origin === null ? [] : [origin] }));
      return page(c, <HandoffPage lang={lang} action={o.action} fields={o.fields} />);
    }
    case 'success':
      // Issue 14: the opt-in speed test (not on a metered sign-in).
      return page(c, <SuccessPage lang={lang} dst={o.dst} timeS={o.timeS} bytes={o.bytes} speed={await speedOfferFor(ctx, flow, { bytes: o.bytes })} />);
    case 'waiting':
      return page(c, <WaitPage lang={lang} />);
  }
}

export const portalPageRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/portal/api/captive',
    access: 'public',
    summary: 'RFC 8908 captive-portal API: is this device captive, where to sign in, what is left',
    description:
      'The URI a hotspot advertises with DHCP option 114 (RFC 8910). The device is known by its address in the hotspot network, so the router must not masquerade traffic to the portal. Answers application/captive+json.',
    tag: 'portal',
    produces: 'application/captive+json',
    response: captiveStateOut,
    handler: async ({ c, ctx }) => {
      const state = await captiveState(ctx, { address: ctx.clientAddress, portalUrl: `${new URL(c.req.url).origin}/portal` });
      if (ctx.config.checkResponses === true) captiveStateOut.parse(state);
      return c.body(JSON.stringify(state), 200, { 'content-type': 'application/captive+json', 'cache-control': 'private, no-store' });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/login',
    access: 'public',
    csrf: 'none',
    summary: "Hand-off from a MikroTik hotspot's login page (its variables as a form post)",
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: hotspotForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      // One flow per hand-off, prepared once (its flood budgets are reserved once, issue 10).
      const started = await prepareFlow(ctx, body);
      const lang = langOf(c);
      if (started.kind === 'refused') return page(c, <MessagePage lang={lang} title="refusedTitle" text="refusedText" />, 403);
      if (started.kind === 'bad_request') return page(c, <MessagePage lang={lang} title="badRequestTitle" text="badRequestText" />, 400);
      if (started.kind === 'busy') return busyPage(c, started.retryAfterS);
      // Consent given on the hotspot's own login page (issue 14): the terms sign-in happens in this one request.
      if (body.accept === 'yes' && body['terms-version'] === TERMS_VERSION && started.flow.hotspot !== null && hotspotMethods(started.flow.hotspot).includes('terms')) {
        c.header('set-cookie', flowCookie(started.flow.token, { secure: secure(c, ctx) }), { append: true });
        const r = await signInWithTermsAtHandoff(ctx, started.flow, { sessionToken: getCookie(c, PORTAL_SESSION_COOKIE) });
        return renderOutcome(c, ctx, started.flow, r);
      }
      await saveNewFlow(ctx, started.flow);
      // A printed voucher's QR code opened the hotspot's login page with our voucher link as the destination: fill the
      // code in and forget that destination (nothing to go back to after signing in).
      const fromQr = voucherOfLink(started.flow.data.handoff.dst, c.req.url);
      if (fromQr !== null) {
        started.flow.data.voucherCode = fromQr;
        started.flow.data.handoff.dst = null;
        await saveFlow(ctx, started.flow, {});
      }
      // A fresh flow token every time: whatever flow cookie the browser brought is replaced, never adopted.
      c.header('set-cookie', flowCookie(started.flow.token, { secure: secure(c, ctx) }), { append: true });
      // The router's page posts from another site, so the browser withholds the SameSite=Lax portal session cookie
      // here. One 303 to a top-level GET of our own brings it along (Lax cookies go with top-level GETs), and a
      // returning citizen is offered "continue" without a new code. CSRF is untouched: every form still needs the
      // token derived from the new flow cookie. Only cross-site posts without the cookie pay the extra round trip.
      if (c.req.header('sec-fetch-site') === 'cross-site' && getCookie(c, PORTAL_SESSION_COOKIE) === undefined) {
        c.header('cache-control', 'no-store');
        return c.redirect('/portal/start', 303);
      }
      return startPage(c, ctx, started.flow, null);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal/start',
    access: 'public',
    summary: 'The sign-in choices of the current flow (language switch lands here)',
    tag: 'portal',
    produces: 'text/html',
    query: langQuery,
    response: htmlPage, handler: async ({ c, ctx }) => {
      const flow = await loadFlow(ctx, getCookie(c, FLOW_COOKIE));
      if (flow === null || flow.row.hotspot_id === '') return page(c, <MessagePage lang={langOf(c)} title="expiredTitle" text="expiredText" />, 400);
      const elsewhere = await otherClient(c, ctx, flow);
      if (elsewhere !== null) return elsewhere;
      return startPage(c, ctx, flow, null);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/terms',
    access: 'public',
    csrf: 'none',
    summary: 'Sign in by accepting the terms (short session)',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: acceptForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf);
      if (flow instanceof Response) return flow;
      const r = await signInWithTerms(ctx, flow, { accepted: body.accept === 'yes', sessionToken: getCookie(c, PORTAL_SESSION_COOKIE) });
      return renderOutcome(c, ctx, flow, r);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/continue',
    access: 'public',
    csrf: 'none',
    summary: 'One-click sign-in for a returning citizen (portal session cookie)',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: csrfForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf);
      if (flow instanceof Response) return flow;
      const r = await signInWithSession(ctx, flow, { sessionToken: getCookie(c, PORTAL_SESSION_COOKIE) });
      if (r === null) return startPage(c, ctx, flow, null);
      return renderOutcome(c, ctx, flow, r);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/otp/request',
    access: 'public',
    csrf: 'none',
    summary: 'Send a one-time code to a phone number',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: phoneForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf);
      if (flow instanceof Response) return flow;
      if (flow.hotspot === null || !hotspotMethods(flow.hotspot).includes('otp')) return startPage(c, ctx, flow, { key: 'errMethod' });
      if (!flowMayGrant(flow)) return page(c, <MessagePage lang={langOf(c, flow)} title="expiredTitle" text="errFlowUsed" />, 409);
      if (body.accept !== 'yes') return startPage(c, ctx, flow, { key: 'errConsent' }, 400);
      const lang = langOf(c, flow);
      const r = await requestOtp(ctx, flow, { phone: body.phone ?? '', lang });
      // Issue 14: when no code will come (gateway failed, daily cap) the start page says so and keeps the voucher form;
      // when it is only late (retried in the background) the code page offers the voucher beside the code.
      if (!r.ok) return startPage(c, ctx, flow, { key: r.key, ...(r.vars === undefined ? {} : { vars: r.vars }) }, r.key === 'errOtpRate' ? 429 : r.key === 'errSms' || r.key === 'errSmsCap' ? 503 : 200);
      return page(
        c,
        <OtpPage
          lang={lang}
          csrf={await csrfTokenFor(ctx, flow.token)}
          masked={r.masked}
          action="/portal/otp/verify"
          notice={r.delayed ? { key: 'smsDelayed' } : null}
          voucherFallback={r.delayed && hotspotMethods(flow.hotspot).includes('voucher')}
        />,
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/otp/verify',
    access: 'public',
    csrf: 'none',
    summary: 'Sign in with the one-time code',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: codeForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf);
      if (flow instanceof Response) return flow;
      const r = await signInWithOtp(ctx, flow, { code: body.code ?? '', sessionToken: getCookie(c, PORTAL_SESSION_COOKIE) });
      if (r.outcome.kind === 'refused' && r.outcome.key.startsWith('errOtp') && r.outcome.key !== 'errOtpUsed') {
        const lang = langOf(c, flow);
        const masked = flow.data.phoneSealed === undefined ? '' : maskPhone(await ctx.secrets.open(flow.data.phoneSealed, 'portal-phone'));
        return page(
          c,
          <OtpPage lang={lang} csrf={await csrfTokenFor(ctx, flow.token)} masked={masked} action="/portal/otp/verify" notice={{ key: r.outcome.key, ...(r.outcome.vars === undefined ? {} : { vars: r.outcome.vars }) }} />,
          r.outcome.key === 'errOtpLocked' ? 429 : 200,
        );
      }
      return renderOutcome(c, ctx, flow, r);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/voucher',
    access: 'public',
    csrf: 'none',
    summary: 'Sign in with a voucher code',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: voucherForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf);
      if (flow instanceof Response) return flow;
      const r = await signInWithVoucher(ctx, flow, { code: body.code ?? '', accepted: body.accept === 'yes', sessionToken: getCookie(c, PORTAL_SESSION_COOKIE) });
      return renderOutcome(c, ctx, flow, r);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal/wait',
    access: 'public',
    summary: 'While an on-premises collector provisions the router: waits, then hands off',
    tag: 'portal',
    produces: 'text/html',
    response: htmlPage, handler: async ({ c, ctx }) => {
      const flow = await loadFlow(ctx, getCookie(c, FLOW_COOKIE));
      const lang = langOf(c, flow);
      if (flow === null || flow.row.grant_id === null) return page(c, <MessagePage lang={lang} title="expiredTitle" text="expiredText" />, 400);
      const elsewhere = await otherClient(c, ctx, flow);
      if (elsewhere !== null) return elsewhere;
      // Handed off already: the flow no longer holds what a second hand-off would need (issue 10).
      if (flow.row.state === 'granted') return page(c, <MessagePage lang={lang} title="expiredTitle" text="errFlowUsed" />, 409);
      const grant = await grantById(ctx, flow.row.grant_id);
      if (grant === undefined) return page(c, <MessagePage lang={lang} title="expiredTitle" text="expiredText" />, 400);
      const outcome = await queuedOutcome(ctx, flow, grant);
      if (outcome.kind !== 'waiting' && flow.row.state === 'waiting') {
        if (outcome.kind === 'refused') await saveFlow(ctx, flow, { state: 'start' });
        else await endFlow(ctx, flow);
      }
      return renderOutcome(c, ctx, flow, { outcome, sessionToken: null });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal',
    access: 'public',
    summary: 'The portal opened directly: how to sign in through a hotspot, terms, my data',
    tag: 'portal',
    produces: 'text/html',
    query: langQuery,
    response: htmlPage, handler: async ({ c }) => page(c, <LandingPage lang={langOf(c)} />),
  }),
  defineRoute({
    method: 'get',
    path: '/portal/v/:code',
    access: 'public',
    summary: "A printed voucher's link opened outside the hotspot: how to use the code",
    tag: 'portal',
    produces: 'text/html',
    params: z.object({ code: z.string().max(32) }),
    query: langQuery,
    response: htmlPage,
    handler: async ({ c, params }) => {
      const code = normalizeVoucherCode(params.code);
      const lang = langOf(c);
      if (code === null) return page(c, <MessagePage lang={lang} title="voucherLinkTitle" text="errVoucher" />, 404);
      return page(c, <VoucherLinkPage lang={lang} code={formatVoucherCode(code)} />);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal/terms',
    access: 'public',
    summary: 'Terms, purpose and data controller',
    tag: 'portal',
    produces: 'text/html',
    query: langQuery,
    response: htmlPage, handler: async ({ c }) => page(c, <TermsPage lang={langOf(c)} />),
  }),
  defineRoute({
    method: 'get',
    path: '/portal/assets/handoff.js',
    access: 'public',
    summary: 'The one script of the portal: submits the hand-off form',
    tag: 'portal',
    produces: 'text/javascript',
    response: scriptFile, handler: async ({ c }) => {
      c.header('cache-control', 'public, max-age=86400');
      return c.body(HANDOFF_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/portal/my-data',
    access: 'public',
    summary: 'A citizen sees or deletes their data after proving their number',
    tag: 'portal',
    produces: 'text/html',
    query: langQuery,
    response: htmlPage, handler: async ({ c, ctx }) => {
      const lang = langOf(c);
      const existing = await loadFlow(ctx, getCookie(c, FLOW_COOKIE));
      if (existing !== null && existing.row.hotspot_id === '' && existing.row.state === 'data_proven' && existing.row.citizen_id !== null) {
        const view = await citizenDataView(ctx, existing.row.citizen_id);
        return page(c, <MyDataViewPage lang={lang} csrf={await csrfTokenFor(ctx, existing.token)} view={view} />);
      }
      const flow = await startDataFlow(ctx);
      c.header('set-cookie', flowCookie(flow.token, { secure: secure(c, ctx) }), { append: true });
      return page(c, <MyDataStartPage lang={lang} csrf={await csrfTokenFor(ctx, flow.token)} />);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/my-data/request',
    access: 'public',
    csrf: 'none',
    summary: 'Send a code to prove the number whose data is asked for',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: phoneForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf, { dataFlow: true });
      if (flow instanceof Response) return flow;
      const lang = langOf(c, flow);
      const r = await requestOtp(ctx, flow, { phone: body.phone ?? '', lang });
      const csrf = await csrfTokenFor(ctx, flow.token);
      if (!r.ok) return page(c, <MyDataStartPage lang={lang} csrf={csrf} notice={{ key: r.key, ...(r.vars === undefined ? {} : { vars: r.vars }) }} />, r.key === 'errOtpRate' ? 429 : r.key === 'errSms' || r.key === 'errSmsCap' ? 503 : 200);
      return page(c, <OtpPage lang={lang} csrf={csrf} masked={r.masked} action="/portal/my-data/verify" notice={r.delayed ? { key: 'smsDelayed' } : null} />);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/my-data/verify',
    access: 'public',
    csrf: 'none',
    summary: 'Prove the number with the code and see the data',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: codeForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf, { dataFlow: true });
      if (flow instanceof Response) return flow;
      const lang = langOf(c, flow);
      const csrf = await csrfTokenFor(ctx, flow.token);
      const v = await verifyOtp(ctx, flow, { code: body.code ?? '' });
      if (!v.ok) return page(c, <MyDataStartPage lang={lang} csrf={csrf} notice={{ key: v.key, ...(v.vars === undefined ? {} : { vars: v.vars }) }} />, v.key === 'errOtpLocked' ? 429 : 200);
      delete flow.data.phoneSealed;
      await saveFlow(ctx, flow, { state: 'data_proven', citizen_id: v.citizenId });
      const view = v.citizenId === null ? null : await citizenDataView(ctx, v.citizenId);
      return page(c, <MyDataViewPage lang={lang} csrf={csrf} view={view} />);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/portal/my-data/delete',
    access: 'public',
    csrf: 'none',
    summary: 'Delete the proven citizen’s data (asks for confirmation first: confirm=yes deletes)',
    tag: 'portal',
    produces: 'text/html',
    body: { kind: 'form', schema: deleteForm, maxBytes: FORM_LIMIT },
    response: htmlPage, handler: async ({ c, ctx, body }) => {
      const flow = await guardedFlow(c, ctx, body.csrf, { dataFlow: true });
      if (flow instanceof Response) return flow;
      const lang = langOf(c, flow);
      if (flow.row.state !== 'data_proven' || flow.row.citizen_id === null) return page(c, <MessagePage lang={lang} title="expiredTitle" text="expiredText" />, 400);
      if (body.confirm !== 'yes') return page(c, <MyDataConfirmPage lang={lang} csrf={await csrfTokenFor(ctx, flow.token)} />);
      await deleteCitizenData(ctx, flow.row.citizen_id);
      await saveFlow(ctx, flow, { state: 'data_deleted', citizen_id: null });
      c.header('set-cookie', clearedPortalSessionCookie({ secure: secure(c, ctx) }), { append: true });
      return page(c, <MessagePage lang={lang} title="myDataTitle" text="myDataDeleted" />);
    },
  }),
];
