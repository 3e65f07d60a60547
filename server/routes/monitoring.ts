import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { idParam } from '../../core/schemas/common.ts';
import { INGEST_MAX_BODY_BYTES, parseIngestBody } from '../../core/ingest.ts';
import { availabilityQuery, incidentAckBody, incidentListQuery, incidentOut, maintenanceBody, maintenanceClearOut, maintenanceListQuery, maintenanceOut, maintenanceSetBody, seriesQuery, webhookBody } from '../../core/schemas/monitoring.ts';
import { sealForToken } from '../../core/token-seal.ts';
import { listPolledDevices } from '../db/devices.ts';
import { defineRoute, type AnyRoute } from '../http/route.ts';
import { toDeviceTarget } from '../services/devices/device-rules.ts';
import { availability } from '../services/monitoring/availability.ts';
import { selectWards } from '../services/regions/region-filter.ts';
import { assertNamedInScope } from '../services/regions/scope.ts';
import { ingestBatch } from '../services/monitoring/ingest-batch.ts';
import { deviceStatus, devicePolls, fleetStatus } from '../services/monitoring/read-status.ts';
import { acknowledgeIncident, listIncidentPage, withdrawAcknowledgement } from '../services/monitoring/incidents.ts';
import { clearMaintenanceOf, endMaintenance, maintenanceWindows, setMaintenanceOf } from '../services/monitoring/maintenance.ts';
import { deviceSeries } from '../services/monitoring/series.ts';
import { createMaintenance, createWebhook, notifyIncidents, removeMaintenance, removeWebhook, webhookList } from '../services/monitoring/webhooks.ts';
import { ingestHealthOut } from '../../core/schemas/responses.ts';
import { ingestHealth } from '../services/monitoring/ingest-health.ts';
import { availabilityOut, collectorTargetsOut, deviceStatusOut, fleetStatusOut, idOut, ingestOut, okOut, pollListOut, seriesOut, webhookCreatedOut, webhookListOut } from '../../core/schemas/responses.ts';

const DAY = 86_400_000;
const ENGINEERS = ['admin', 'engineer'] as const;

export const monitoringRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/ingest',
    scope: 'province',
    access: ENGINEERS,
    collectorMay: true,
    summary: 'A collector delivers a batch of poll results and state events (idempotent per batch and per device+time)',
    tag: 'monitoring',
    body: { kind: 'text', mediaTypes: ['application/json'], maxBytes: INGEST_MAX_BODY_BYTES },
    response: ingestOut, handler: async ({ ctx, body }) => {
      const parsed = parseIngestBody(body, { maxBytes: INGEST_MAX_BODY_BYTES });
      if (!parsed.ok) {
        throw new AppError(parsed.code, parsed.message, {
          details: parsed.issues.slice(0, 100).map((i: { path: string; message: string }) => ({ path: i.path, message: i.message })),
        });
      }
      // A collector token speaks for its own collector only.
      if (ctx.actor?.tokenKind === 'collector' && ctx.actor.collectorId !== parsed.batch.collectorId) {
        throw new AppError('forbidden', `this token belongs to collector ${ctx.actor.collectorId ?? '?'}, not ${parsed.batch.collectorId}`, { reason: 'auth.collectorMismatch' });
      }
      const out = await ingestBatch(ctx, parsed.batch);
      if (out.incidentEvents.length > 0) ctx.defer(notifyIncidents(ctx, out.incidentEvents));
      return { batchId: parsed.batch.batchId, stored: !out.duplicate, items: out.polls, events: out.events, dropped: out.dropped };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/monitoring/ingest',
    scope: 'province',
    access: ENGINEERS,
    summary: 'Ingest health: per collector, results dropped for deleted or unknown devices; the batches set aside (dead letters)',
    tag: 'monitoring',
    response: ingestHealthOut, handler: async ({ ctx }) => ingestHealth(ctx),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/collector/targets',
    scope: 'province',
    // Issue 10: the list holds every device credential, so only a collector's own token may fetch it (staff get 403).
    access: 'collector',
    summary: 'The devices a standalone collector polls, credentials sealed to the calling collector token',
    tag: 'monitoring',
    response: collectorTargetsOut, handler: async ({ c, ctx }) => {
      const token = /^Bearer\s+(\S+)/i.exec(c.req.header('authorization') ?? '')?.[1];
      // The list is sealed to the bearer token; a browser session has no token to seal it to.
      if (ctx.actor?.via !== 'token' || token === undefined) throw new AppError('forbidden', 'collectors fetch targets with their collector token (Authorization: Bearer jk_...)');
      const rows = await listPolledDevices(ctx.db);
      const targets = await Promise.all(rows.map((r) => toDeviceTarget(ctx.secrets, r)));
      return { sealedTargets: await sealForToken(token, JSON.stringify({ targets })), devices: targets.length };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/status',
    scope: 'filtered',
    access: 'staff',
    summary: 'Every device with its location and state now (for the monitor map)',
    tag: 'monitoring',
    response: fleetStatusOut, handler: async ({ ctx }) => fleetStatus(ctx),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/devices/:id/status',
    access: 'staff',
    scope: { device: 'id' },
    summary: 'A device now: state and since when, last poll, last error, uptime, clients, traffic',
    tag: 'monitoring',
    params: idParam,
    response: deviceStatusOut, handler: async ({ ctx, params }) => deviceStatus(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/devices/:id/polls',
    access: 'staff',
    scope: { device: 'id' },
    summary: 'Recent polls of a device with their errors',
    tag: 'monitoring',
    params: idParam,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(20) }),
    response: pollListOut, handler: async ({ ctx, params, query }) => devicePolls(ctx, params.id, query.limit),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/devices/:id/series',
    access: 'staff',
    scope: { device: 'id' },
    summary: 'A time series (clients, rxBps, txBps); the resolution follows the range (raw, 5m, 1h, 1d)',
    tag: 'monitoring',
    params: idParam,
    query: seriesQuery,
    response: seriesOut, handler: async ({ ctx, params, query }) => {
      const toMs = query.to === undefined ? ctx.clock.nowMs() : Date.parse(query.to);
      const fromMs = query.from === undefined ? toMs - DAY : Date.parse(query.from);
      return deviceSeries(ctx, params.id, { metric: query.metric, fromMs, toMs, resolution: query.resolution });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/incidents',
    scope: 'filtered',
    access: 'staff',
    summary: 'Incidents (outages), newest first: filter by device, site, ward, provider, cause, open/closed, acknowledged and period',
    tag: 'monitoring',
    query: incidentListQuery,
    response: z.object({ items: z.array(incidentOut), total: z.number(), limit: z.number(), offset: z.number() }),
    handler: async ({ ctx, query }) => listIncidentPage(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/incidents/:id/ack',
    scope: { incident: 'id' },
    access: ENGINEERS,
    summary: 'Acknowledge an incident with an optional note: who and when are recorded and sent to the alert channels',
    tag: 'monitoring',
    params: idParam,
    body: { kind: 'json', schema: incidentAckBody, maxBytes: 8 * 1024 },
    response: incidentOut,
    handler: async ({ ctx, params, body }) => acknowledgeIncident(ctx, params.id, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/incidents/:id/ack',
    scope: { incident: 'id' },
    access: ENGINEERS,
    summary: 'Withdraw the acknowledgement of an incident',
    tag: 'monitoring',
    params: idParam,
    response: incidentOut,
    handler: async ({ ctx, params }) => withdrawAcknowledgement(ctx, params.id),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/availability',
    access: 'staff',
    scope: 'filtered',
    summary: 'Availability % for a device, site, ward, provider, region (any level) or the whole fleet over [from, to) (default: last 24 h); staff limited to one kabupaten/kota get its devices only',
    tag: 'monitoring',
    query: availabilityQuery,
    response: availabilityOut, handler: async ({ ctx, query }) => {
      const toMs = query.to === undefined ? ctx.clock.nowMs() : Date.parse(query.to);
      const fromMs = query.from === undefined ? toMs - DAY : Date.parse(query.from);
      const { from: _f, to: _t, region: _r, ...scope } = query;
      await assertNamedInScope(ctx, scope);
      const sel = await selectWards(ctx, query.region);
      return availability(ctx, { ...scope, ...(query.region === undefined ? {} : { region: query.region }) }, { fromMs, toMs }, sel.wardCodes);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/webhooks',
    scope: 'province',
    access: ENGINEERS,
    summary: 'Incident webhooks (secrets never shown)',
    tag: 'monitoring',
    response: webhookListOut, handler: async ({ ctx }) => webhookList(ctx),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks',
    scope: 'province',
    access: ENGINEERS,
    summary: 'Register a receiver for incident start and end (JSON, HMAC-SHA256 signed with the secret)',
    tag: 'monitoring',
    status: 201,
    body: { kind: 'json', schema: webhookBody },
    response: webhookCreatedOut, handler: async ({ ctx, body }) => createWebhook(ctx, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/webhooks/:id',
    scope: 'province',
    access: ENGINEERS,
    summary: 'Remove a webhook',
    tag: 'monitoring',
    params: idParam,
    response: okOut, handler: async ({ ctx, params }) => {
      await removeWebhook(ctx, params.id);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/maintenance',
    scope: 'province',
    access: 'staff',
    summary: 'Maintenance windows that mute notifications for a device or site (active first, then upcoming, then past)',
    tag: 'monitoring',
    query: maintenanceListQuery,
    response: z.object({ items: z.array(maintenanceOut) }),
    handler: async ({ ctx, query }) => maintenanceWindows(ctx, query),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/maintenance',
    scope: 'province',
    access: ENGINEERS,
    summary: 'Mute a device or a site for a time window',
    tag: 'monitoring',
    status: 201,
    body: { kind: 'json', schema: maintenanceBody },
    response: idOut, handler: async ({ ctx, body }) => createMaintenance(ctx, body),
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/maintenance/:id/end',
    scope: 'province',
    access: ENGINEERS,
    summary: 'End a maintenance window now (one not started yet is cancelled); it stays in the history',
    tag: 'monitoring',
    params: idParam,
    response: maintenanceOut,
    handler: async ({ ctx, params }) => endMaintenance(ctx, params.id),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/maintenance/:id',
    scope: 'province',
    access: ENGINEERS,
    summary: 'End a maintenance window',
    tag: 'monitoring',
    params: idParam,
    response: okOut, handler: async ({ ctx, params }) => {
      await removeMaintenance(ctx, params.id);
      return { ok: true };
    },
  }),
  // Issue 11: one device's or one site's maintenance (its open incident paused, no new one, its time unknown time).
  defineRoute({
    method: 'put',
    path: '/api/v1/devices/:id/maintenance',
    access: ENGINEERS,
    scope: { device: 'id' },
    summary: 'Put a device in maintenance until endsAt, with the reason: its open incident is paused, none opens, the time is left out of availability',
    tag: 'monitoring',
    params: idParam,
    body: { kind: 'json', schema: maintenanceSetBody },
    response: maintenanceOut,
    handler: async ({ ctx, params, body }) => setMaintenanceOf(ctx, { deviceId: params.id }, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/devices/:id/maintenance',
    access: ENGINEERS,
    scope: { device: 'id' },
    summary: 'End a device’s maintenance now (upcoming windows are cancelled); a device still down gets its incident',
    tag: 'monitoring',
    params: idParam,
    response: maintenanceClearOut,
    handler: async ({ ctx, params }) => clearMaintenanceOf(ctx, { deviceId: params.id }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/v1/sites/:id/maintenance',
    access: ENGINEERS,
    scope: { site: 'id' },
    summary: 'Put every device of a site in maintenance until endsAt, with the reason',
    tag: 'monitoring',
    params: idParam,
    body: { kind: 'json', schema: maintenanceSetBody },
    response: maintenanceOut,
    handler: async ({ ctx, params, body }) => setMaintenanceOf(ctx, { siteId: params.id }, body),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/sites/:id/maintenance',
    access: ENGINEERS,
    scope: { site: 'id' },
    summary: 'End a site’s maintenance now (upcoming windows are cancelled)',
    tag: 'monitoring',
    params: idParam,
    response: maintenanceClearOut,
    handler: async ({ ctx, params }) => clearMaintenanceOf(ctx, { siteId: params.id }),
  }),
];
