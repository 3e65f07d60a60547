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
