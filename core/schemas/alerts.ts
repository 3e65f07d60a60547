/**
 * Alert channels (issue 13): where incident start, end and acknowledgement messages go. Three kinds the city's
 * engineers use: a signed JSON webhook, a Telegram bot (Bot API sendMessage over HTTPS) and e-mail (SMTP with
 * STARTTLS). Each has filters (wards, lowest severity, which events). Secrets (webhook secret, bot token, SMTP
 * password) are write-only: sealed at rest, never returned; the API says only whether one is set.
 */
import { z } from 'zod';

/** How bad an incident is: a router, gateway or switch takes a whole site down (critical); one access point is a warning. */
export const SEVERITIES = ['warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severity = z.enum(SEVERITIES);

export function severityOfRole(role: string | null | undefined): Severity {
  return role === 'router' || role === 'gateway' || role === 'switch' ? 'critical' : 'warning';
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export const ALERT_EVENTS = ['opened', 'closed', 'acknowledged'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];
export const alertEvent = z.enum(ALERT_EVENTS);

export const CHANNEL_KINDS = ['webhook', 'telegram', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const filters = {
  name: z.string().trim().min(1).max(120),
  enabled: z.boolean().default(true),
  /** Only incidents in these wards; absent or null: every ward. */
  wardCodes: z.array(z.string().min(1).max(64)).max(500).nullable().optional(),
  minSeverity: severity.default('warning'),
  events: z.array(alertEvent).min(1, 'choose at least one event').max(3).default(['opened', 'closed', 'acknowledged']),
};

const httpUrl = z.string().trim().url().max(2000);
const emailAddress = z.string().trim().toLowerCase().email().max(254);

export const webhookSettings = z.object({ url: httpUrl }).strict();
export const telegramSettings = z
  .object({
    /** A chat id (-100... for groups and channels) or @channelusername. */
    chatId: z.string().trim().regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,64})$/, 'expected a numeric chat id or @channelname'),
    /** The Bot API base URL; a city may run a local Bot API server. */
    apiBaseUrl: httpUrl.default('https://api.telegram.org'),
  })
  .strict();
export const SMTP_SECURITY = ['starttls', 'tls'] as const;
export const emailSettings = z
  .object({
    host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, 'expected a host name or IP address'),
    port: z.number().int().min(1).max(65535).default(587),
    /** starttls: plain connection upgraded with STARTTLS, which must succeed (port 587); tls: TLS from the start (465). */
    security: z.enum(SMTP_SECURITY).default('starttls'),
    username: z.string().max(254).nullable().optional(),
    from: emailAddress,
    to: z.array(emailAddress).min(1, 'at least one recipient').max(50),
    /** A PEM certificate of the CA that signed the server's certificate, for a city's own mail relay. */
    caPem: z.string().max(20_000).regex(/-----BEGIN CERTIFICATE-----/, 'expected a PEM certificate').nullable().optional(),
  })
  .strict();

/** The channel's secret: webhook signing secret, bot token or SMTP password. */
const webhookSecret = z.string().min(16, 'a webhook secret needs at least 16 characters').max(256);
const botToken = z.string().trim().regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, 'expected a bot token like 123456:ABC-DEF...');
const smtpPassword = z.string().max(1024);

export const channelBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('webhook'), ...filters, settings: webhookSettings, secret: webhookSecret }).strict(),
  z.object({ kind: z.literal('telegram'), ...filters, settings: telegramSettings, secret: botToken }).strict(),
  z.object({ kind: z.literal('email'), ...filters, settings: emailSettings, secret: smtpPassword.nullable().optional() }).strict(),
]);
export type ChannelBody = z.infer<typeof channelBody>;

/** A change: filters and name; settings replace the stored ones whole; a secret given replaces the stored one. */
export const channelPatch = z
  .object({
    name: filters.name.optional(),
    enabled: z.boolean().optional(),
    wardCodes: filters.wardCodes,
    minSeverity: severity.optional(),
    events: z.array(alertEvent).min(1).max(3).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
    secret: z.string().max(1024).nullable().optional(),
  })
  .strict();
export type ChannelPatch = z.infer<typeof channelPatch>;

export const deliveryOut = z.object({
  id: z.string(),
  incidentId: z.string().nullable(),
  event: z.string(),
  at: z.string(),
  ok: z.boolean(),
  attempts: z.number(),
  status: z.number().nullable(),
  error: z.string().nullable(),
});
export type DeliveryOut = z.infer<typeof deliveryOut>;

export const channelOut = z.object({
  id: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  enabled: z.boolean(),
  /** What it reaches: the webhook URL, the chat id, or the recipients. */
  target: z.string(),
  settings: z.record(z.string(), z.unknown()),
  secretSet: z.boolean(),
  wardCodes: z.array(z.string()).nullable(),
  minSeverity: severity,
  events: z.array(alertEvent),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastDelivery: deliveryOut.nullable(),
});
export type ChannelOut = z.infer<typeof channelOut>;

export const channelTestOut = z.object({
  delivered: z.boolean(),
  attempts: z.number(),
  status: z.number().nullable(),
  error: z.string().nullable(),
});
