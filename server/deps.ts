import type { DeadLetterStore } from '../core/ingest.ts';
import type { Context } from 'hono';
import type { Clock } from '../core/time.ts';
import type { HotspotProvisioner } from '../core/hotspot.ts';
import type { DeviceDiscoverer } from '../core/discovery.ts';
import type { Role } from '../core/roles.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { DbHandle, Executor } from './db/types.ts';
import type { Logger } from './log.ts';
import type { Mailer } from './notify/mailer.ts';
import type { PdfMaker } from './pdf/pdf-maker.ts';
import type { PortalLimits } from './portal/services/portal-limits.ts';
import type { OutboundNet } from '../core/net/outbound-policy.ts';

/** Who is calling: a signed-in staff member (by session cookie or personal API token) or nobody. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  via: 'session' | 'token';
  sessionId: string | null;
  /** Issue 10: a `collector` token belongs to one standalone collector and may call only collector routes. */
  tokenKind?: 'personal' | 'collector';
  /** The collector a collector token is bound to. */
  collectorId?: string | null;
  /** The account still has its first (one-time or reset) password: it may only change it. */
  mustChangePassword?: boolean;
  /** The kabupaten/kota this account is limited to (issue 17); null or absent: everywhere. */
  scopeCityCode?: string | null;
}

export interface AppConfig {
  /** Origins allowed to make cookie-authenticated writes, besides the request's own origin. */
  trustedOrigins: string[];
  /** Force the Secure cookie attribute; otherwise it follows the request scheme. */
  cookieSecure: boolean | null;
  sessionDays: number;
  /** The request body limit of routes that do not set their own. */
  maxBodyBytes: number;
  /** Issue 10: origins the map may load tile images from (the CSP's img-src); default OpenStreetMap's. */
  tileOrigins?: string[];
  /** Checks every JSON answer against its route's response schema and fails loudly on a mismatch (tests turn it on). */
  checkResponses?: boolean;
  /** Issue 15: the bearer token Prometheus sends to GET /metrics (JANGKAU_METRICS_TOKEN); unset: /metrics is closed. */
  metricsToken?: string | null;
  /** Issue 15: the city's name on the open-data catalogue and the monthly report (JANGKAU_CITY_NAME). */
  cityName?: string;
  /**
   * Issue 10: the server runs in development mode (JANGKAU_MODE=development; never with NODE_ENV=production): only
   * then may an admin read the SMS outbox, which holds one-time codes. Absent: production.
   */
  development?: boolean;
  /** Issue 10: the captive portal's flood budgets (server/portal/services/portal-limits.ts); unset fields: defaults. */
  portalLimits?: Partial<PortalLimits>;
}

/** What the app is built from. Entry files make these; tests make their own. */
export interface AppDeps {
  /** The database for this request: one long-lived handle on Node, the request's D1 binding on Workers. */
  getDb(c: Context): DbHandle;
  /**
   * Issue 17: a streaming replica (DATABASE_READ_URL) for the reads that tolerate lag (routes declaring
   * `reads: 'replica'`: maps, coverage, KPIs, reports); absent: every read goes to getDb.
   */
  getReadDb?(c: Context): DbHandle | null;
  clock: Clock;
  secrets: SecretBox;
  config: AppConfig;
  log: Logger;
  /** The caller's network address as the runtime saw it (never a header the caller can set, unless behind a trusted proxy). */
  clientAddress(c: Context): string;
  /** Reaches hotspot routers for the captive portal; null where this runtime cannot (then the collector does). */
  provisioner?: HotspotProvisioner | null;
  /** Identifies a device over SNMP from its address and community; null where this runtime cannot reach devices. */
  discoverer?: DeviceDiscoverer | null;
  /** Sends alert e-mail over SMTP; null where this runtime cannot open SMTP connections (Workers). */
  mailer?: Mailer | null;
  /** Batches the in-process collector set aside (issue 11); null where this runtime keeps none (Workers). */
  deadLetters?: DeadLetterStore | null;
  /** Issue 15: draws the monthly report's PDF (pdfkit, Node); null where this runtime cannot (Workers). */
  pdf?: PdfMaker | null;
  /**
   * Issue 10: resolves names and connects to checked addresses for outbound URLs (Node); null where the runtime
   * cannot (Workers: only literal addresses are checked, the platform itself refuses private networks).
   */
  outbound?: OutboundNet | null;
}

/** What a service verb receives: everything it may touch, nothing global. */
export interface ServiceCtx {
  db: DbHandle['db'];
  dialect: DbHandle['dialect'];
  clock: Clock;
  secrets: SecretBox;
  config: AppConfig;
  log: Logger;
  actor: Actor | null;
  /** Issue 17: the replica for lag-tolerant reads, when one is configured (the route table swaps it in as `db`). */
  readDb?: DbHandle['db'] | undefined;
  requestId: string;
  clientAddress: string;
  provisioner: HotspotProvisioner | null;
  discoverer: DeviceDiscoverer | null;
  mailer: Mailer | null;
  /** Issue 11: the in-process collector's dead letters, where this runtime has them. */
  deadLetters?: DeadLetterStore | null;
  /** Issue 15: the PDF maker, when this runtime has one. */
  pdf?: PdfMaker | null;
  /** Issue 10: name resolution and pinned connections for outbound URLs, when this runtime has them. */
  outbound?: OutboundNet | null;
  /** Runs work after the response (webhook deliveries): waitUntil on Workers, a caught promise on Node. */
  defer(task: Promise<unknown>): void;
}

export type { Executor };

export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor | null;
    ctx: ServiceCtx;
    /** Set when the session was extended and the cookie must be sent again. */
    renewedSessionToken: string | null;
  };
}
