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

/** The fields of a hotspot, without defaults (a PATCH must change only what it names). */
const hotspotFields = {
  deviceId: z.string().min(1).max(64),
  identity: z.string().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/),
  serverName: z.string().min(1).max(64).nullable(),
  serverAddress: hostAddress,
  loginMode: z.enum(['form', 'direct']),
  methods: z.array(portalMethod).min(1).max(3),
  userProfile: profileName.nullable(),
  rateLimit: rateLimitString.nullable(),
  termsSessionS: z.number().int().min(300).max(86_400),
  signedSessionS: z.number().int().min(300).max(86_400),
  dailyTimeS: z.number().int().min(300).max(86_400),
  /** 0 = no daily data limit. */
  dailyBytes: z.number().int().min(0).max(1e13),
  maxDevices: z.number().int().min(1).max(10),
  enabled: z.boolean(),
  /** The Wi-Fi name (SSID) citizens join, printed on voucher sheets. Issue 14. */
  ssid: z.string().trim().min(1).max(32).nullable(),
};

export const hotspotBody = z
  .object({
    ...hotspotFields,
    serverName: hotspotFields.serverName.default(null),
    loginMode: hotspotFields.loginMode.default('form'),
    methods: hotspotFields.methods.default(['terms', 'otp', 'voucher']),
    userProfile: hotspotFields.userProfile.default(null),
    rateLimit: hotspotFields.rateLimit.default(null),
    termsSessionS: hotspotFields.termsSessionS.default(3600),
    signedSessionS: hotspotFields.signedSessionS.default(4 * 3600),
    dailyTimeS: hotspotFields.dailyTimeS.default(4 * 3600),
    dailyBytes: hotspotFields.dailyBytes.default(2e9),
    maxDevices: hotspotFields.maxDevices.default(2),
    enabled: hotspotFields.enabled.default(true),
    ssid: hotspotFields.ssid.default(null),
  })
  .strict();
export type HotspotBody = z.infer<typeof hotspotBody>;
/**
 * Built from the fields without defaults: with zod 4 a `.partial()` of the body would still fill every absent field
 * with its default, so a PATCH of one field reset all the others (found in issue 14).
 */
export const hotspotPatch = z.object(hotspotFields).omit({ deviceId: true }).partial().strict();

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
  ssid: z.string().nullable(),
  /** When the user profile last reached the router, and why the last push failed (null when it did not). */
  profilePushedAt: z.string().nullable(),
  profilePushError: z.string().nullable(),
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
    /** Printed on the sheet (issue 14): the Wi-Fi name, a price in rupiah (null: free). */
    ssid: z.string().trim().min(1).max(32).nullable().default(null),
    priceIdr: z.number().int().min(0).max(10_000_000).nullable().default(null),
    /** Where the QR codes send a phone: the hotspot's DNS name or address (default: the batch hotspot's address). */
    loginHost: z.string().min(1).max(64).regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected a host name or address, e.g. login.wifi').nullable().default(null),
  })
  .strict();
export type VoucherBatchBody = z.infer<typeof voucherBatchBody>;

const smsHeaderName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name: letters, digits and -')
  .refine((n) => !['host', 'content-length', 'connection', 'transfer-encoding', 'legacy-bearer'].includes(n.toLowerCase()), 'this header is set by the server');

export const portalSettingsBody = z
  .object({
    sms: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('outbox') }).strict(),
        z
          .object({
            kind: z.literal('http'),
            /** Start from a preset's fields (zenziva, fonnte, wablas); absent: from the stored gateway. */
            preset: z.enum(['zenziva', 'fonnte', 'wablas', 'custom']).optional(),
            url: z.string().url().max(500).optional(),
            /** Shorthand for the header `Authorization: Bearer <token>`. */
            token: z.string().min(1).max(500).optional(),
            method: z.enum(['POST', 'GET']).optional(),
            contentType: z.enum(['form', 'json']).optional(),
            bodyTemplate: z.string().min(1).max(2000).optional(),
            phoneFormat: z.enum(['e164', 'international', 'national']).optional(),
            successStatusMin: z.number().int().min(100).max(599).optional(),
            successStatusMax: z.number().int().min(100).max(599).optional(),
            successBodyMatch: z.string().min(1).max(200).nullable().optional(),
            /** Header values are secrets: sealed at rest, never returned. A listed header without a value keeps its value. */
            headers: z.array(z.object({ name: smsHeaderName, value: z.string().min(1).max(1000).optional() }).strict()).max(10).optional(),
            /** Values the body template names as {secret:NAME} (API keys sent in the body), sealed like the headers. */
            secrets: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), value: z.string().min(1).max(1000).optional() }).strict()).max(10).optional(),
            timeoutMs: z.number().int().min(200).max(30_000).optional(),
            pricePerMessageIdr: z.number().int().min(0).max(100_000).optional(),
            dailyCapIdr: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
          })
          .strict(),
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
  | { kind: 'remove_user'; name: string }
  | { kind: 'upsert_profile'; profile: { name: string; rateLimit?: string; sharedUsers?: number; sessionTimeoutS?: number; idleTimeoutS?: number } }
  | { kind: 'kick_active'; match: { user?: string; address?: string } };

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

/** What the console gets back from a push or a kick: done on the router, queued for a collector, or why not. */
export const routerActionOut = z.object({ done: z.boolean(), queued: z.boolean(), error: z.string().nullable() });
export const profilePushOut = routerActionOut.extend({
  profile: z.object({ name: z.string(), rateLimit: z.string().optional(), sharedUsers: z.number().optional() }),
  pushedAt: z.string().nullable(),
});
export const kickOut = routerActionOut.extend({ kicked: z.number().int().nonnegative() });

/** RFC 8908 Captive Portal API state (`application/captive+json`), as `GET /portal/api/captive` answers it. Issue 14. */
export const captiveStateOut = z.object({
  captive: z.boolean(),
  'user-portal-url': z.string(),
  'seconds-remaining': z.number().int().nonnegative().optional(),
  'bytes-remaining': z.number().int().nonnegative().optional(),
  'can-extend-session': z.boolean().optional(),
});

/** Issue 14: delivery of gateway messages, as the console shows it (no number, no text). */
export const smsMessageOut = z.object({
  id: z.string(),
  purpose: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export const smsMessagesOut = z.object({
  today: z.object({
    day: z.string(),
    gateway: z.enum(['outbox', 'http']),
    counted: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    queued: z.number().int(),
    costIdr: z.number(),
    pricePerMessageIdr: z.number().nullable(),
    dailyCapIdr: z.number().nullable(),
    capReached: z.boolean(),
  }),
  items: z.array(smsMessageOut),
});
export const smsTestBody = z.object({ phone: z.string().min(1).max(32) }).strict();
export const smsTestOut = z.object({ status: z.enum(['sent', 'queued', 'failed', 'capped']), reason: z.string().nullable(), messageId: z.string().nullable() });
export const smsPresetsOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      url: z.string(),
      method: z.string(),
      contentType: z.string(),
      bodyTemplate: z.string(),
      phoneFormat: z.string(),
      successStatusMin: z.number(),
      successStatusMax: z.number(),
      successBodyMatch: z.string().nullable(),
      headerNames: z.array(z.string()),
      secretNames: z.array(z.string()),
      note: z.string(),
    }),
  ),
});

/** Issue 14: citizens' speed tests per ward and hotspot; no test is "no data" (null medians with a reason), never 0. */
const speedFiguresOut = {
  tests: z.number().int(),
  medianDownMbps: z.number().nullable(),
  medianUpMbps: z.number().nullable(),
  medianLatencyMs: z.number().nullable(),
  reason: z.literal('no-speed-tests').optional(),
};
export const speedQualityOut = z.object({
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  wards: z.array(z.object({ wardCode: z.string(), wardName: z.string(), ...speedFiguresOut })),
  hotspots: z.array(z.object({ hotspotId: z.string(), identity: z.string(), ...speedFiguresOut })),
});

/** GET /api/v1/portal/usage: per day and hotspot, and unique citizens per day and ward (the console's charts). */
export const dailyUsageRow = z.object({
  day: z.string(),
  hotspotId: z.string(),
  wardCode: z.string().nullable(),
  uniqueUsers: z.number(),
  sessions: z.number(),
  uptimeS: z.number(),
  bytesIn: z.number(),
  bytesOut: z.number(),
});
export type DailyUsage = z.infer<typeof dailyUsageRow>;
export const dailyWardUsersRow = z.object({ day: z.string(), wardCode: z.string().nullable(), uniqueUsers: z.number() });
export type DailyWardUsers = z.infer<typeof dailyWardUsersRow>;
export const portalUsageOut = z.object({ from: z.string(), to: z.string(), byHotspot: z.array(dailyUsageRow), byWard: z.array(dailyWardUsersRow) });
export type PortalUsageOut = z.infer<typeof portalUsageOut>;
