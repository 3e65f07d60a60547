/** API contract of the captive portal's staff endpoints (hotspots, vouchers, settings, collector jobs). */
import { z } from 'zod';

export const PORTAL_METHODS = ['terms', 'otp', 'voucher'] as const;
export const portalMethod = z.enum(PORTAL_METHODS);
export type PortalMethod = z.infer<typeof portalMethod>;

/** MikroTik rate-limit: rx/tx with optional bursts, e.g. "2M/5M" or "1M/2M 4M/8M 512k/1M 10/10". */
export const rateLimitString = z
  .string()
  .max(80)
  .regex(/^\d+[kKmMgG]?\/\d+[kKmMgG]?( \d+[kKmMgG]?\/\d+[kKmMgG]?){0,3}( \d+\/\d+)?( \d+)?$/, 'expected a MikroTik rate limit such as 2M/5M');

const hostAddress = z.string().min(1).max(64).regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected the hotspot address, e.g. 10.5.50.1');
const profileName = z.string().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/);

export const hotspotBody = z
  .object({
    deviceId: z.string().min(1).max(64),
    identity: z.string().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/),
    serverName: z.string().min(1).max(64).nullable().default(null),
    serverAddress: hostAddress,
    loginMode: z.enum(['form', 'direct']).default('form'),
    methods: z.array(portalMethod).min(1).max(3).default(['terms', 'otp', 'voucher']),
    userProfile: profileName.nullable().default(null),
    rateLimit: rateLimitString.nullable().default(null),
    termsSessionS: z.number().int().min(300).max(86_400).default(3600),
    signedSessionS: z.number().int().min(300).max(86_400).default(4 * 3600),
    dailyTimeS: z.number().int().min(300).max(86_400).default(4 * 3600),
    /** 0 = no daily data limit. */
    dailyBytes: z.number().int().min(0).max(1e13).default(2e9),
    maxDevices: z.number().int().min(1).max(10).default(2),
    enabled: z.boolean().default(true),
  })
  .strict();
export type HotspotBody = z.infer<typeof hotspotBody>;
export const hotspotPatch = hotspotBody.omit({ deviceId: true }).partial().strict();

export const hotspotOut = z.object({
  id: z.string(),
  deviceId: z.string(),
  identity: z.string(),
  serverName: z.string().nullable(),
  serverAddress: z.string(),
  loginMode: z.enum(['form', 'direct']),
  methods: z.array(portalMethod),
  userProfile: z.string().nullable(),
  rateLimit: z.string().nullable(),
  termsSessionS: z.number(),
  signedSessionS: z.number(),
  dailyTimeS: z.number(),
  dailyBytes: z.number(),
  maxDevices: z.number(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HotspotOut = z.infer<typeof hotspotOut>;

export const voucherBatchBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    count: z.number().int().min(1).max(1000),
    hotspotId: z.string().min(1).max(64).nullable().default(null),
    /** How long a voucher works after its first use. */
    validityS: z.number().int().min(600).max(90 * 86_400).default(86_400),
    timeQuotaS: z.number().int().min(600).max(90 * 86_400).default(4 * 3600),
    /** 0 = no data quota. */
    dataQuotaBytes: z.number().int().min(0).max(1e13).default(0),
    /** Unused vouchers stop working after this many days. */
    expiresInDays: z.number().int().min(1).max(366).default(90),
  })
  .strict();
export type VoucherBatchBody = z.infer<typeof voucherBatchBody>;

export const portalSettingsBody = z
  .object({
    sms: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('outbox') }).strict(),
        z.object({ kind: z.literal('http'), url: z.string().url().max(500), token: z.string().min(1).max(500).optional() }).strict(),
      ])
      .optional(),
    identityRetentionDays: z.number().int().min(1).max(3650).optional(),
    logRetentionDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
export type PortalSettingsBody = z.infer<typeof portalSettingsBody>;

export const claimJobsBody = z
  .object({
    collector: z.string().min(1).max(64),
    max: z.number().int().min(1).max(100).default(20),
    deviceIds: z.array(z.string().min(1).max(64)).max(5000).optional(),
  })
  .strict();

export const jobResultBody = z.object({ ok: z.boolean(), error: z.string().max(500).optional() }).strict();

/** A provisioning job as a collector receives it (secrets opened for the collector only). */
export type ProvisionJobPayload =
  | {
      kind: 'upsert_user';
      user: { name: string; password: string; profile?: string; limitUptimeS?: number; limitBytesTotal?: number; macAddress?: string; comment?: string };
    }
  | { kind: 'active_login'; login: { user: string; password: string; mac: string; ip: string } }
  | { kind: 'remove_user'; name: string };

export const hotspotActiveBody = z
  .object({
    deviceId: z.string().min(1).max(64),
    atMs: z.number().int().positive().optional(),
    active: z
      .array(
        z.object({
          user: z.string().max(64),
          address: z.string().max(45),
          mac: z.string().max(17).nullable(),
          uptimeS: z.number().int().min(0),
          bytesIn: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().min(0)]),
          bytesOut: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().min(0)]),
        }),
      )
      .max(10_000),
  })
  .strict();

/** RFC 8908 Captive Portal API state (`application/captive+json`), as `GET /portal/api/captive` answers it. Issue 14. */
export const captiveStateOut = z.object({
  captive: z.boolean(),
  'user-portal-url': z.string(),
  'seconds-remaining': z.number().int().nonnegative().optional(),
  'bytes-remaining': z.number().int().nonnegative().optional(),
  'can-extend-session': z.boolean().optional(),
});
