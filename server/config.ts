/**
 * The Node server's one configuration schema, parsed once at start from the environment (documented in
 * .env.example). A bad value stops the start with a message naming the variable.
 */
import { z } from 'zod';
import { parseCidr, type Cidr } from '../core/net/ip.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v)));

export const nodeEnvSchema = z.object({
  /** 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  /** postgres://... for Postgres; otherwise a SQLite file path (default ./data/jangkau.db). */
  DATABASE_URL: z.string().default('./data/jangkau.db'),
  /** Issue 17: a Postgres streaming replica for reads that tolerate lag (maps, coverage, KPIs, reports). */
  DATABASE_READ_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL must be a postgres:// URL').optional(),
  /** 32 bytes, hex or base64. When unset, a key is generated once into ./data/secret.key (mode 0600). */
  JANGKAU_SECRET_KEY: z.string().optional(),
  JANGKAU_DATA_DIR: z.string().default('./data'),
  JANGKAU_ADMIN_EMAIL: z.string().email().optional(),
  JANGKAU_ADMIN_PASSWORD: z.string().min(12, 'JANGKAU_ADMIN_PASSWORD needs at least 12 characters').optional(),
  JANGKAU_TRUSTED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== '')),
  JANGKAU_COOKIE_SECURE: bool,
  JANGKAU_SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Start the demo city when the database is empty (default), or never. Same as `npm start -- --no-demo`. */
  JANGKAU_DEMO: bool,
  /** Run the collectors inside the server process (default true). Background jobs run either way. */
  JANGKAU_COLLECT: bool,
  /** Password hashes (scrypt, 32 MiB each) run at once; default the cores minus one (server/auth/scrypt-node.ts). */
  JANGKAU_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Issue 11: how often the background-job runner looks for due jobs (seconds; each job keeps its own period). */
  JANGKAU_JOB_TICK_S: z.coerce.number().min(0.05).max(3600).default(15),
  JANGKAU_TRUST_PROXY: bool,
  /**
   * Issue 10: the reverse proxies in front of the server, as CIDRs (`127.0.0.1/32,10.0.0.0/8`). The client address is
   * read from X-Forwarded-For from the right, stepping over these hops only. Setting it turns proxy trust on; with
   * JANGKAU_TRUST_PROXY=true and no list, the one direct peer is the proxy (the rightmost entry is the client).
   */
  JANGKAU_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s, ctx) => {
      const out: Cidr[] = [];
      for (const part of s.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
        const c = parseCidr(part);
        if (c === null) ctx.addIssue({ code: 'custom', message: `not an address or CIDR range: ${part}` });
        else out.push(c);
      }
      return out;
    }),
  /** Issue 10: origins the map loads tile images from (CSP img-src), comma-separated; default OpenStreetMap's. */
  JANGKAU_TILE_ORIGINS: z
    .string()
    .default('https://tile.openstreetmap.org')
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .refine((list) => list.every((x) => /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(x)), 'each tile origin is scheme://host[:port], nothing more'),
  LOG_QUIET: bool,
  /** Issue 16: run the RADIUS server (UDP) inside `npm start`. `npm run radius` runs it alone. */
  JANGKAU_RADIUS: bool,
  /** Where the RADIUS sockets listen; the gateways must reach it (unknown sources are dropped). */
  JANGKAU_RADIUS_HOST: z.string().default('0.0.0.0'),
  /** 0 picks a free port (tests). */
  JANGKAU_RADIUS_AUTH_PORT: z.coerce.number().int().min(0).max(65535).default(1812),
  JANGKAU_RADIUS_ACCT_PORT: z.coerce.number().int().min(0).max(65535).default(1813),
  /** Issue 15: the bearer token for GET /metrics (Prometheus). Unset: /metrics answers 401 to everyone. */
  /** Issue 15: the city's name on the open-data catalogue and the monthly report. */
  JANGKAU_CITY_NAME: z.string().min(1).max(80).default('Kota Cilegon'),
  JANGKAU_METRICS_TOKEN: z.string().min(16, 'JANGKAU_METRICS_TOKEN needs at least 16 characters').optional(),
  /**
   * Issue 10: the captive portal's flood budgets per 10 minutes (server/portal/services/portal-limits.ts). Raise the
   * per-address ones where a hotspot masquerades its clients behind one address.
   */
  /**
   * Issue 10: `development` opens what only a developer may see (the SMS outbox with its codes). Default
   * `production`; refused together with NODE_ENV=production.
   */
  JANGKAU_MODE: z.enum(['production', 'development']).default('production'),
  NODE_ENV: z.string().optional(),
  JANGKAU_PORTAL_FLOWS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  JANGKAU_PORTAL_GRANTS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  JANGKAU_PORTAL_FLOWS_PER_HOTSPOT: z.coerce.number().int().min(1).max(1_000_000).optional(),
  JANGKAU_PORTAL_GRANTS_PER_HOTSPOT: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

/** The portal budgets set in the environment (unset ones keep their defaults). */
export function portalLimitsFromEnv(env: Partial<Record<'JANGKAU_PORTAL_FLOWS_PER_ADDRESS' | 'JANGKAU_PORTAL_GRANTS_PER_ADDRESS' | 'JANGKAU_PORTAL_FLOWS_PER_HOTSPOT' | 'JANGKAU_PORTAL_GRANTS_PER_HOTSPOT', number | undefined>>): Record<string, number> {
  const out: Record<string, number> = {};
  if (env.JANGKAU_PORTAL_FLOWS_PER_ADDRESS !== undefined) out.flowsPerAddress = env.JANGKAU_PORTAL_FLOWS_PER_ADDRESS;
  if (env.JANGKAU_PORTAL_GRANTS_PER_ADDRESS !== undefined) out.grantsPerAddress = env.JANGKAU_PORTAL_GRANTS_PER_ADDRESS;
  if (env.JANGKAU_PORTAL_FLOWS_PER_HOTSPOT !== undefined) out.flowsPerHotspot = env.JANGKAU_PORTAL_FLOWS_PER_HOTSPOT;
  if (env.JANGKAU_PORTAL_GRANTS_PER_HOTSPOT !== undefined) out.grantsPerHotspot = env.JANGKAU_PORTAL_GRANTS_PER_HOTSPOT;
  return out;
}

export type NodeEnv = z.infer<typeof nodeEnvSchema>;

const checkedEnvSchema = nodeEnvSchema.refine((e) => !(e.JANGKAU_MODE === 'development' && e.NODE_ENV === 'production'), {
  message: 'JANGKAU_MODE=development cannot run with NODE_ENV=production (development mode shows one-time codes)',
  path: ['JANGKAU_MODE'],
});

export function parseNodeEnv(env: Record<string, string | undefined>): NodeEnv {
  const r = checkedEnvSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  return r.data;
}
