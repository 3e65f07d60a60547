import { z } from 'zod';

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time');

export const incidentQuery = z.object({
  deviceId: z.string().max(64).optional(),
  open: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const availabilityQuery = z.object({
  deviceId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  wardCode: z.string().max(64).optional(),
  provider: z.string().max(120).optional(),
  /** The devices inside this region: a province, kabupaten/kota, kecamatan or desa/kelurahan code (issue 17). */
  region: z.string().min(1).max(64).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
});

export const seriesQuery = z.object({
  metric: z.enum(['clients', 'rxBps', 'txBps']).default('clients'),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  resolution: z.enum(['raw', '5m', '1h', '1d']).optional(),
});

export const webhookBody = z.object({
  url: z.string().url().max(2000),
  secret: z.string().min(16, 'a webhook secret needs at least 16 characters').max(256),
});

export const maintenanceBody = z.object({
  deviceId: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  startsAt: isoInstant,
  endsAt: isoInstant,
  reason: z.string().max(300).optional(),
});

// --- Console actions (issue 13): fleet-wide incident filters, acknowledgement, maintenance in the console ----------

const booleanQuery = z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true'));

/** GET /api/v1/incidents: every filter a fleet-wide list needs (all optional, combined with AND). */
export const incidentListQuery = incidentQuery.extend({
  wardCode: z.string().max(64).optional(),
  siteId: z.string().max(64).optional(),
  provider: z.string().max(120).optional(),
  /** The poll error kind that opened it (timeout, refused, auth, ...). */
  cause: z.string().max(40).optional(),
  acknowledged: booleanQuery,
});

export const incidentAckBody = z.object({ note: z.string().trim().max(1000).optional() }).strict();

export const incidentOut = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  deviceRole: z.string().nullable(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  wardCode: z.string().nullable(),
  provider: z.string().nullable(),
  severity: z.enum(['warning', 'critical']),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationS: z.number().nullable(),
  cause: z.object({ kind: z.string(), message: z.string() }),
  /** Issue 11: why it ended when not by recovery (disabled, deleted, unmonitored); null for a recovery or open. */
  endReason: z.string().nullable(),
  acknowledged: z.object({ byId: z.string().nullable(), by: z.string(), at: z.string(), note: z.string().nullable() }).nullable(),
});
export type IncidentOut = z.infer<typeof incidentOut>;

export const maintenanceListQuery = z.object({
  /** active: now inside the window; upcoming: not started; past: ended; all (default). */
  state: z.enum(['active', 'upcoming', 'past', 'all']).default('all'),
});

export const maintenanceOut = z.object({
  id: z.string(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string().nullable(),
  state: z.enum(['active', 'upcoming', 'past']),
  createdAt: z.string(),
});
export type MaintenanceOut = z.infer<typeof maintenanceOut>;

/** Issue 11: put one device or site in maintenance (from now unless `startsAt`), with the reason stated. */
export const maintenanceSetBody = z.object({
  startsAt: isoInstant.optional(),
  endsAt: isoInstant,
  reason: z.string().trim().min(1, 'say why the device is in maintenance').max(300),
});

export const maintenanceClearOut = z.object({ ended: z.number().int(), incidentsOpened: z.number().int() });
