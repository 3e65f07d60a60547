import { z } from 'zod';
import { isoDate, latitude, longitude } from './common.ts';
import { deviceAddressProblem } from '../net/ip.ts';
import { trafficSelection } from '../interface-roles.ts';

export const SITE_STATUSES = ['planned', 'approved', 'installing', 'live', 'retired'] as const;
export const siteStatus = z.enum(SITE_STATUSES);
export type SiteStatus = z.infer<typeof siteStatus>;

export const siteBody = z.object({
  name: z.string().trim().min(1).max(160),
  /** An optional external key (the city's or operator's site code); a CSV re-import updates the site with this code. */
  code: z.string().trim().min(1).max(64).nullable().optional(),
  lat: latitude,
  lon: longitude,
  status: siteStatus.default('planned'),
  provider: z.string().trim().max(120).nullable().optional(),
  contractedMbps: z.number().finite().min(0).max(100_000).nullable().optional(),
  address: z.string().trim().max(300).nullable().optional(),
  plannedAt: isoDate.nullable().optional(),
  liveAt: isoDate.nullable().optional(),
  notes: z.string().max(2000).nullable().optional(),
});
export type SiteBody = z.infer<typeof siteBody>;
/**
 * A PATCH changes only what it names. With zod 4 a `.partial()` of the body would still fill absent fields with
 * their defaults (status 'planned'), so renaming a live site made it planned again (found in issue 14).
 */
export const sitePatch = siteBody.extend({ status: siteStatus }).partial();

export const siteOut = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  lat: z.number(),
  lon: z.number(),
  wardCode: z.string().nullable(),
  /** True when the location lies in no ward: accepted and flagged, never dropped. */
  outsideCity: z.boolean(),
  status: siteStatus,
  provider: z.string().nullable(),
  contractedMbps: z.number().nullable(),
  address: z.string().nullable(),
  plannedAt: z.string().nullable(),
  liveAt: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SiteOut = z.infer<typeof siteOut>;

export const siteListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  wardCode: z.string().max(64).optional(),
  status: siteStatus.optional(),
  /** Search (issue 13): part of the name, street address, provider, kelurahan or kecamatan. */
  q: z.string().trim().min(1).max(120).optional(),
});

export const DEVICE_ROLES = ['ap', 'router', 'gateway', 'switch'] as const;
export const deviceRole = z.enum(DEVICE_ROLES);
export type DeviceRole = z.infer<typeof deviceRole>;

export const VENDORS = ['generic', 'mikrotik', 'ubiquiti-unifi', 'ubiquiti-airos', 'ruckus', 'cambium', 'tplink'] as const;
export const vendor = z.enum(VENDORS);
export type Vendor = z.infer<typeof vendor>;

export const ENVIRONMENTS = ['open', 'suburban', 'dense-urban', 'indoor'] as const;

/** How far a device's signal reaches: a fixed radius, a profile default, or a link budget. */
export const coverageSpec = z
  .object({
    profile: z.enum(['indoor', 'outdoor']).optional(),
    // Issue 10: a footprint under a metre is not one (1e-9 was accepted); over 20 km is not Wi-Fi.
    radiusM: z.number().finite().min(1, 'a radius under 1 m is not a footprint').max(20_000).optional(),
    /** Sector antennas: centre of the beam, degrees clockwise from north, and its width. */
    azimuthDeg: z.number().finite().min(0).lt(360).optional(),
    beamWidthDeg: z.number().finite().gt(0).max(360).optional(),
    txPowerDbm: z.number().finite().min(-10).max(40).optional(),
    antennaGainDbi: z.number().finite().min(-10).max(30).optional(),
    clientGainDbi: z.number().finite().min(-10).max(15).optional(),
    sensitivityDbm: z.number().finite().min(-110).max(-40).optional(),
    frequencyMHz: z.number().finite().min(700).max(7200).optional(),
    environment: z.enum(ENVIRONMENTS).optional(),
  })
  .strict();
export type CoverageSpec = z.infer<typeof coverageSpec>;

export const snmpSpec = z
  .object({
    community: z.string().min(1).max(128),
    port: z.number().int().min(1).max(65535).default(161),
    version: z.enum(['2c', '1']).default('2c'),
    /** Issue 11: how long to wait for each answer, and how many times to ask again; absent: the role's default. */
    timeoutMs: z.number().int().min(100).max(30_000).optional(),
    retries: z.number().int().min(0).max(5).optional(),
  })
  .strict();

/**
 * Issue 11: SNMP patience per role when a device sets none. Routers and gateways carry a whole site and sit behind
 * longer paths: more patience before a poll counts as failed; access points answer close by.
 */
export const SNMP_DEFAULTS_BY_ROLE: Record<DeviceRole, { timeoutMs: number; retries: number }> = {
  ap: { timeoutMs: 1500, retries: 1 },
  switch: { timeoutMs: 1500, retries: 1 },
  router: { timeoutMs: 2000, retries: 2 },
  gateway: { timeoutMs: 2000, retries: 2 },
};

export const routerosSpec = z
  .object({
    username: z.string().min(1).max(128),
    password: z.string().max(256),
    port: z.number().int().min(1).max(65535).optional(),
    tls: z.boolean().default(false),
  })
  .strict();

export const deviceBody = z.object({
  siteId: z.string().min(1).max(64).nullable().optional(),
  name: z.string().trim().min(1).max(160),
  role: deviceRole,
  vendor: vendor.optional(),
  model: z.string().trim().max(120).nullable().optional(),
  /** Management address: an IPv4/IPv6 literal or a host name. */
  address: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'expected an IP address or host name')
    // Issue 10: 0.0.0.0, broadcast, 999.1.1.1 and `-bad-` are not addresses a device can have.
    .superRefine((v, c) => {
      const problem = deviceAddressProblem(v.replace(/^\[(.*)\]$/, '$1'));
      if (problem !== null) c.addIssue({ code: 'custom', message: problem });
    }),
  snmp: snmpSpec.nullable().optional(),
  routeros: routerosSpec.nullable().optional(),
  pollIntervalS: z.number().int().min(5).max(3600).default(60),
  enabled: z.boolean().default(true),
  coverage: coverageSpec.nullable().optional(),
  /**
   * Issue 11: false keeps the device in the inventory only (state `unmonitored`: never polled, never an incident;
   * it still counts on the planned coverage layer). A device without SNMP and RouterOS settings is inventory only
   * whatever this says.
   */
  monitor: z.boolean().optional(),
  /** Issue 17: the collector group (network zone) whose collectors poll it; null or absent: `default`. */
  collectorGroup: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/).nullable().optional(),
  /**
   * Issue 11: which interfaces the device's traffic totals add, by role (`physical`, `uplink`, `virtual`) and/or by
   * exact interface name; null or absent: physical ones (the uplink included).
   */
  trafficInterfaces: trafficSelection.nullable().optional(),
});
export type DeviceBody = z.infer<typeof deviceBody>;
/** Without the body's defaults (see sitePatch): disabling a device must not reset its poll interval to 60 s. */
export const devicePatch = deviceBody.extend({ pollIntervalS: z.number().int().min(5).max(3600), enabled: z.boolean() }).partial();

/** What the API shows of a device: never a credential, only whether one is set. */
export const deviceOut = z.object({
  id: z.string(),
  siteId: z.string().nullable(),
  name: z.string(),
  role: deviceRole,
  vendor: vendor.nullable(),
  model: z.string().nullable(),
  address: z.string(),
  /** `timeoutMs`/`retries` in force (the device's own or its role's default); `patienceSet`: the device sets its own. */
  snmp: z.object({ port: z.number(), version: z.string(), communitySet: z.boolean(), timeoutMs: z.number(), retries: z.number(), patienceSet: z.boolean() }).nullable(),
  routeros: z.object({ port: z.number(), tls: z.boolean(), username: z.string(), passwordSet: z.boolean() }).nullable(),
  pollIntervalS: z.number(),
  enabled: z.boolean(),
  /** Issue 11: as set (default true) ... */
  monitor: z.boolean(),
  /** ... and whether collectors poll it: monitor on and SNMP or RouterOS settings present. */
  monitored: z.boolean(),
  coverage: coverageSpec.nullable(),
  collectorGroup: z.string().nullable().optional(),
  /** Issue 11: the device's own choice of interfaces its totals add; null: the default (physical and uplink). */
  trafficInterfaces: trafficSelection.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeviceOut = z.infer<typeof deviceOut>;

export const deviceListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  siteId: z.string().max(64).optional(),
  role: deviceRole.optional(),
  /** Search (issue 13): part of the name, IP address, site, kelurahan or kecamatan, case-insensitive. */
  q: z.string().trim().min(1).max(120).optional(),
});

/** Many devices at once (issue 13): enable, disable, or move to a site (null: no site). All or nothing. */
export const deviceBulkBody = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['enable', 'disable']), ids: z.array(z.string().min(1).max(64)).min(1).max(1000) }).strict(),
  z.object({ action: z.literal('move'), ids: z.array(z.string().min(1).max(64)).min(1).max(1000), siteId: z.string().min(1).max(64).nullable() }).strict(),
]);
export type DeviceBulkBody = z.infer<typeof deviceBulkBody>;

export const csvImportResult = z.object({
  created: z.number().int(),
  /** Issue 10: a re-import upserts by an external key; rows that changed a stored one, and rows equal to it. */
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});
