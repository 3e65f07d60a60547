/** API contract of the RADIUS server's staff endpoints (NAS clients, sessions, Disconnect/CoA, figures). Issue 16. */
import { z } from 'zod';
import { rateLimitString } from './portal.ts';

export const NAS_VENDOR_IDS = ['mikrotik', 'coova', 'pfsense', 'wispr', 'standard'] as const;
export const nasVendor = z.enum(NAS_VENDOR_IDS);
export type NasVendor = (typeof NAS_VENDOR_IDS)[number];

/** The fields without their defaults: a PATCH must change only what it names (zod 4 fills defaults inside `.partial()`). */
const radiusClientFields = z.object({
  name: z.string().trim().min(1).max(120),
  /** The NAS's source address as Jangkau sees its packets: an IPv4 or IPv6 literal. */
  address: z.union([z.ipv4(), z.ipv6()]),
  /** The shared secret; sealed at rest, never returned. */
  secret: z.string().min(12, 'use a shared secret of at least 12 characters (16+ random is better)').max(128).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  vendor: nasVendor,
  hotspotId: z.string().min(1).max(64),
  /** Only for legacy gear that cannot send Message-Authenticator (BLAST-RADIUS, CVE-2024-3596). */
  requireMessageAuthenticator: z.boolean(),
  /** Devices that signed in here within this many days may come back by MAC authentication; 0 = off. */
  macAuthDays: z.number().int().min(0).max(90),
  idleTimeoutS: z.number().int().min(60).max(86_400),
  interimS: z.number().int().min(60).max(3600),
  coaPort: z.number().int().min(1).max(65535),
  enabled: z.boolean(),
});

export const radiusClientBody = radiusClientFields
  .extend({
    requireMessageAuthenticator: radiusClientFields.shape.requireMessageAuthenticator.default(true),
    macAuthDays: radiusClientFields.shape.macAuthDays.default(0),
    idleTimeoutS: radiusClientFields.shape.idleTimeoutS.default(900),
    interimS: radiusClientFields.shape.interimS.default(300),
    coaPort: radiusClientFields.shape.coaPort.default(3799),
    enabled: radiusClientFields.shape.enabled.default(true),
  })
  .strict();
export type RadiusClientBody = z.infer<typeof radiusClientBody>;
export const radiusClientPatch = radiusClientFields.omit({ hotspotId: true }).partial().strict();

export interface RadiusClientOut {
  id: string;
  name: string;
  address: string;
  secretSet: boolean;
  vendor: NasVendor;
  hotspotId: string;
  requireMessageAuthenticator: boolean;
  macAuthDays: number;
  idleTimeoutS: number;
  interimS: number;
  coaPort: number;
  enabled: boolean;
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const coaBody = z
  .object({
    rateLimit: rateLimitString.optional(),
    sessionTimeoutS: z.number().int().min(60).max(86_400).optional(),
  })
  .strict()
  .refine((b) => b.rateLimit !== undefined || b.sessionTimeoutS !== undefined, 'give rateLimit or sessionTimeoutS');

export const voucherRevokeBody = z
  .object({
    /** Sequence numbers as printed on the sheet; with neither this nor codes, the whole batch is revoked. */
    seqs: z.array(z.number().int().min(1).max(1000)).max(1000).optional(),
    codes: z.array(z.string().min(1).max(32)).max(1000).optional(),
  })
  .strict();

export const radiusStatsQuery = z.object({ minutes: z.coerce.number().int().min(1).max(10_080).default(60) });
