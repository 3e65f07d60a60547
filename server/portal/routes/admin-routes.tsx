/** Staff endpoints of the portal: hotspots, settings, vouchers, usage, the SMS outbox, PDP export/purge, collector jobs. */
import { z } from 'zod';
import { AppError } from '../../../core/errors.ts';
import { idParam, pageQuery } from '../../../core/schemas/common.ts';
import { claimJobsBody, hotspotActiveBody, hotspotBody, hotspotPatch, jobResultBody, portalSettingsBody, portalUsageOut, voucherBatchBody } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { openSessionsNow, recordHotspotActive, usagePerDay } from '../services/accounting.ts';
import { dpoExport, purgePortalData } from '../services/citizen-data.ts';
import { cityDay } from '../services/grant-access.ts';
import { createHotspot, listHotspotConfigs, patchHotspot } from '../services/hotspots.ts';
import { claimProvisionJobs, reportProvisionJob } from '../services/provision-jobs.ts';
import { getPortalSettings, settingsOut, updatePortalSettings } from '../services/settings.ts';
import { sweepHotspotUsers } from '../services/sweep-users.ts';
import { readOutbox, sendTestSms, smsDeliveryStatus } from '../services/sms-gateway.ts';
import { SMS_PRESETS } from '../pure/sms-request.ts';
import { speedQuality } from '../services/speed-test.ts';
import { createVoucherBatch, listBatches, voucherSheet } from '../services/vouchers.ts';
import { VoucherSheet } from '../pages/voucher-sheet.tsx';
import { htmlPage, itemsOut, looseResult } from '../../../core/schemas/responses.ts';
import { hotspotOut, kickOut, profilePushOut, smsMessagesOut, smsPresetsOut, smsTestBody, smsTestOut, speedQualityOut } from '../../../core/schemas/portal.ts';
import { kickHotspotSession, pushHotspotProfile } from '../services/hotspot-ops.ts';
import { z as zr } from 'zod';
const hotspotListOut = zr.object({ items: zr.array(hotspotOut) });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const portalAdminRoutes: AnyRoute[] = [
  defineRoute({ method: 'get', path: '/api/v1/portal/hotspots', scope: 'province', access: 'staff', summary: 'Hotspots the portal serves', tag: 'portal', response: hotspotListOut, handler: async ({ ctx }) => listHotspotConfigs(ctx) }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/hotspots',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Register a hotspot (a router/gateway device) with its sign-in methods and fair-use rules',
    tag: 'portal',
    status: 201,
    body: { kind: 'json', schema: hotspotBody },
    response: hotspotOut, handler: async ({ ctx, body }) => createHotspot(ctx, body),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/v1/portal/hotspots/:id',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Change a hotspot',
    tag: 'portal',
    params: idParam,
    body: { kind: 'json', schema: hotspotPatch },
    response: hotspotOut, handler: async ({ ctx, params, body }) => patchHotspot(ctx, params.id, body),
  }),
  defineRoute({ method: 'get', path: '/api/v1/portal/settings', scope: 'province', access: ['admin'], summary: 'Portal settings (SMS gateway, retention)', tag: 'portal', response: looseResult, handler: async ({ ctx }) => settingsOut(await getPortalSettings(ctx)) }),
  defineRoute({
    method: 'put',
    path: '/api/v1/portal/settings',
    scope: 'province',
    access: ['admin'],
    summary: 'Change portal settings; the SMS gateway (generic HTTP: URL, method, headers, body template, success test, price and daily cap) with header values and secrets sealed at rest',
    tag: 'portal',
    body: { kind: 'json', schema: portalSettingsBody },
    response: looseResult, handler: async ({ ctx, body }) => updatePortalSettings(ctx, body),
  }),
  defineRoute({ method: 'get', path: '/api/v1/portal/voucher-batches', scope: 'province', access: 'staff', summary: 'Voucher batches', tag: 'portal', query: pageQuery, response: itemsOut, handler: async ({ ctx, query }) => listBatches(ctx, query) }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/voucher-batches',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Make a batch of vouchers with a validity and quota profile',
    tag: 'portal',
    status: 201,
    body: { kind: 'json', schema: voucherBatchBody },
    response: looseResult, handler: async ({ ctx, body }) => createVoucherBatch(ctx, body),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/voucher-batches/:id/sheet',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Printable sheet of a batch with QR codes',
    tag: 'portal',
    produces: 'text/html',
    params: idParam,
    response: htmlPage, handler: async ({ c, ctx, params }) => {
      const { batch, entries, loginHost } = await voucherSheet(ctx, params.id);
      const html = await (<VoucherSheet batch={batch} entries={entries} portalOrigin={new URL(c.req.url).origin} loginHost={loginHost} />).toString();
      c.header('cache-control', 'no-store');
      return c.html(`<!doctype html>${html}`);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/sessions/active',
    scope: 'province',
    access: 'staff',
    summary: 'Hotspot sessions open now (no identities)',
    tag: 'portal',
    query: pageQuery,
    response: itemsOut, handler: async ({ ctx, query }) => ({
      items: (await openSessionsNow(ctx, query)).map((s) => ({
        id: s.id,
        hotspotId: s.hotspot_id,
        wardCode: s.ward_code,
        user: s.hotspot_user,
        address: s.address,
        startedAt: isoAt(Number(s.started_at)),
        uptimeS: s.uptime_s,
        bytesIn: Number(s.bytes_in),
        bytesOut: Number(s.bytes_out),
      })),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/sessions/:id/kick',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'End an open hotspot session at its router (RouterOS /ip/hotspot/active/remove), or queue it for the collector',
    tag: 'portal',
    params: idParam,
    body: { kind: 'json', schema: z.object({}).strict() },
    response: kickOut,
    handler: async ({ ctx, params }) => kickHotspotSession(ctx, params.id),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/hotspots/:id/push-profile',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: "Send the hotspot's user profile (rate limit, one device per user) to its router, or queue it for the collector",
    tag: 'portal',
    params: idParam,
    body: { kind: 'json', schema: z.object({}).strict() },
    response: profilePushOut,
    handler: async ({ ctx, params }) => pushHotspotProfile(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/usage',
    scope: 'province',
    access: 'staff',
    summary: 'Unique users, sessions, time and bytes per day per hotspot and per ward',
    tag: 'portal',
    query: z.object({ from: day.optional(), to: day.optional() }),
    response: portalUsageOut, handler: async ({ ctx, query }) => {
      const to = query.to ?? cityDay(ctx.clock.nowMs());
      const from = query.from ?? cityDay(ctx.clock.nowMs() - 29 * 86_400_000);
      return { from, to, ...(await usagePerDay(ctx, from, to)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/sms-outbox',
    scope: 'province',
    access: ['admin'],
    summary: 'The development SMS outbox (messages the outbox gateway kept instead of sending); development mode only',
    description: 'Holds one-time codes, so it opens only when the server runs with JANGKAU_MODE=development (never in production, issue 10); otherwise 404 (there is no outbox to read in production) with reason portal.outboxDevelopmentOnly.',
    tag: 'portal',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: itemsOut, handler: async ({ ctx, query }) => {
      // 404, not 403: no role opens it in production; the route exists only for a developer's server.
      if (ctx.config.development !== true) {
        throw new AppError('not_found', 'the SMS outbox is readable only when the server runs in development mode (JANGKAU_MODE=development); in production codes go through the SMS gateway', {
          reason: 'portal.outboxDevelopmentOnly',
        });
      }
      return { items: await readOutbox(ctx, query.limit) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/quality',
    scope: 'province',
    access: 'staff',
    summary: "Citizens' speed tests per ward and hotspot: tests and median download, upload and latency (no test: no data)",
    tag: 'portal',
    query: z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }),
    response: speedQualityOut,
    handler: async ({ ctx, query }) => speedQuality(ctx, { days: query.days }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/sms/presets',
    scope: 'province',
    access: ['admin'],
    summary: 'Gateway presets (Zenziva, Fonnte, Wablas): URL, body template, phone format and success test to start from',
    tag: 'portal',
    response: smsPresetsOut,
    handler: async () => ({ items: SMS_PRESETS.map((p) => ({ ...p, headerNames: [...p.headerNames], secretNames: [...p.secretNames] })) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/sms/messages',
    scope: 'province',
    access: ['admin'],
    summary: "Delivery status of messages through the SMS gateway (queued, sent, failed with a reason) and today's cost against the cap",
    tag: 'portal',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: smsMessagesOut,
    handler: async ({ ctx, query }) => smsDeliveryStatus(ctx, { limit: query.limit }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/sms/test',
    scope: 'province',
    access: ['admin'],
    summary: 'Send a test message through the configured gateway and say what happened',
    tag: 'portal',
    body: { kind: 'json', schema: smsTestBody },
    response: smsTestOut,
    handler: async ({ ctx, body }) => sendTestSms(ctx, body.phone),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/portal/dpo-export',
    scope: 'province',
    access: ['admin'],
    summary: 'Every citizen identity with consents, for the data protection officer (JSON or CSV; audited)',
    tag: 'portal',
    produces: 'application/json, text/csv',
    query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
    response: looseResult, handler: async ({ c, ctx, query }) => {
      const out = await dpoExport(ctx, query.format);
      c.header('cache-control', 'no-store');
      c.header('content-disposition', `attachment; filename="portal-citizens.${query.format}"`);
      return c.body(out.body, 200, { 'content-type': out.contentType });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/purge',
    scope: 'province',
    access: ['admin'],
    summary: 'Run the retention purge now (days from the settings unless given)',
    tag: 'portal',
    body: { kind: 'json', schema: z.object({ identityDays: z.number().int().min(1).max(3650).optional(), logDays: z.number().int().min(1).max(3650).optional() }).strict() },
    response: looseResult, handler: async ({ ctx, body }) =>
      purgePortalData(ctx, { ...(body.identityDays === undefined ? {} : { identityDays: body.identityDays }), ...(body.logDays === undefined ? {} : { logDays: body.logDays }) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/sweep-users',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: 'Remove the hotspot users of ended grants from the routers (or queue their removal); run on a schedule',
    tag: 'portal',
    body: { kind: 'json', schema: z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict() },
    response: looseResult, handler: async ({ ctx, body }) => sweepHotspotUsers(ctx, body.limit === undefined ? {} : { limit: body.limit }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/provision-jobs/claim',
    scope: 'province',
    access: ['admin', 'engineer'],
    collectorMay: true,
    summary: 'A collector (API token) claims hotspot provisioning jobs for the routers it reaches',
    tag: 'portal',
    body: { kind: 'json', schema: claimJobsBody },
    response: looseResult, handler: async ({ ctx, body }) => claimProvisionJobs(ctx, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/provision-jobs/:id/result',
    scope: 'province',
    access: ['admin', 'engineer'],
    collectorMay: true,
    summary: 'A collector reports the outcome of a claimed job',
    tag: 'portal',
    params: idParam,
    body: { kind: 'json', schema: jobResultBody },
    response: looseResult, handler: async ({ ctx, params, body }) => reportProvisionJob(ctx, params.id, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/portal/hotspot-active',
    scope: 'province',
    access: ['admin', 'engineer'],
    summary: "A collector posts a router's /ip/hotspot/active snapshot for usage accounting",
    tag: 'portal',
    body: { kind: 'json', schema: hotspotActiveBody },
    response: looseResult, handler: async ({ ctx, body }) => {
      const r = await recordHotspotActive(
        ctx,
        body.deviceId,
        body.active.map((a) => ({ user: a.user, address: a.address, mac: a.mac, uptimeS: a.uptimeS, bytesIn: BigInt(a.bytesIn), bytesOut: BigInt(a.bytesOut) })),
        body.atMs ?? ctx.clock.nowMs(),
      );
      return r ?? { started: 0, updated: 0, ended: 0, unknownHotspot: true };
    },
  }),
];
