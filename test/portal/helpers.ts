/**
 * Builds the real app on a real database for portal tests, with a browser-like cookie jar, staff sign-in, API tokens
 * for collectors, a registered hotspot, and a provisioner that records what it was asked (or fails on demand).
 */
import type { HotspotProfileSpec, HotspotProvisioner, HotspotRouterRef, HotspotUserSpec } from '../../core/hotspot.ts';
import type { Role } from '../../core/roles.ts';
import { createApp, type App } from '../../server/app.ts';
import { newApiToken } from '../../server/auth/api-token.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { passwordWork } from '../../server/auth/hash-queue.ts';
import { useNodeScrypt } from '../../server/auth/scrypt-node.ts';
import { createSecretBox, type SecretBox } from '../../server/crypto/secret-box.ts';
import { newId } from '../../server/crypto/random.ts';
import { insertDevice } from '../../server/db/devices.ts';
import { insertPortalHotspot } from '../../server/portal/queries/hotspots.ts';
import { insertApiToken } from '../../server/db/sessions.ts';
import { insertSite } from '../../server/db/sites.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { insertUser } from '../../server/db/users.ts';
import { silentLogger, type Logger } from '../../server/log.ts';
import type { PortalLimits } from '../../server/portal/services/portal-limits.ts';
import type { ServiceCtx } from '../../server/deps.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { afterAll, beforeAll } from 'vitest';
import { testStartMs } from '../helpers/clock.ts';
import { openTestDb, type TestDialect } from '../helpers/db.ts';

export const TEST_KEY = new Uint8Array(32).fill(9);
export const ORIGIN = 'http://portal.test';

/** Keeps cookies like a browser (name -> value; Max-Age=0 deletes). */
export class CookieJar {
  readonly values = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }
  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface ProvisionCall {
  op: 'upsert' | 'login' | 'remove' | 'profile' | 'kick';
  router: HotspotRouterRef;
  user?: HotspotUserSpec;
  login?: { user: string; password: string; mac: string; ip: string };
  profile?: HotspotProfileSpec;
  match?: { user?: string; address?: string };
}

export function recordingProvisioner(): HotspotProvisioner & { calls: ProvisionCall[]; failWith: Error | null } {
  const p = {
    calls: [] as ProvisionCall[],
    failWith: null as Error | null,
    async upsertUser(router: HotspotRouterRef, user: HotspotUserSpec) {
      if (p.failWith !== null) throw p.failWith;
      p.calls.push({ op: 'upsert', router, user });
    },
    async activeLogin(router: HotspotRouterRef, login: { user: string; password: string; mac: string; ip: string }) {
      if (p.failWith !== null) throw p.failWith;
      p.calls.push({ op: 'login', router, login });
    },
    async removeUser(router: HotspotRouterRef, name: string) {
      p.calls.push({ op: 'remove', router, user: { name, password: '' } });
    },
    async upsertProfile(router: HotspotRouterRef, profile: HotspotProfileSpec) {
      if (p.failWith !== null) throw p.failWith;
      p.calls.push({ op: 'profile', router, profile });
    },
    async kickActive(router: HotspotRouterRef, match: { user?: string; address?: string }) {
      if (p.failWith !== null) throw p.failWith;
      p.calls.push({ op: 'kick', router, match });
      return { kicked: 1 };
    },
  };
  return p;
}

export interface CallInit {
  form?: Record<string, string>;
  json?: unknown;
  jar?: CookieJar;
  headers?: Record<string, string>;
  /** The client address the runtime reports for this request. */
  client?: string;
}

export interface PortalTestApp {
  app: App;
  handle: DbHandle;
  secrets: SecretBox;
  clock: { nowMs(): number; advance(ms: number): void };
  call(method: string, path: string, init?: CallInit): Promise<Response>;
  staffCookie(role: Role): Promise<string>;
  apiToken(role: Role): Promise<string>;
  /** A ServiceCtx as the background job runner has it (same clock, secrets, log and database). */
  jobCtx(): ServiceCtx;
}

/**
 * These tests play many citizens from one client address: the per-address flood budgets are opened wide unless a
 * test passes its own (test/security/portal-flood.test.ts holds the defaults to account).
 */
const WIDE_ADDRESS_BUDGETS: Partial<PortalLimits> = { flowsPerAddress: 100_000, grantsPerAddress: 100_000 };

// A developer's server (the SMS outbox readable, where these tests read one-time codes) unless `development: false`.
export async function makePortalApp(
  handle: DbHandle,
  options: { provisioner?: HotspotProvisioner | null; startMs?: number; portalLimits?: Partial<PortalLimits>; log?: Logger; development?: boolean } = {},
): Promise<PortalTestApp> {
  // As the Node server does (native scrypt); and on a busy machine a sign-in waits for the hash queue, not refused.
  useNodeScrypt();
  passwordWork.configure({ maxWaitMs: 120_000 });
  const secrets = await createSecretBox(TEST_KEY);
  // Monotonic: every reading moves one millisecond on, so rows written one after another sort in that order.
  let now = options.startMs ?? testStartMs();
  const clock = { nowMs: () => ++now, advance: (ms: number) => void (now += ms) };
  const deps = {
    clock,
    secrets,
    log: options.log ?? silentLogger,
    config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1024 * 1024, portalLimits: options.portalLimits ?? WIDE_ADDRESS_BUDGETS, development: options.development ?? true },
    provisioner: options.provisioner === undefined ? recordingProvisioner() : options.provisioner,
  };
  const app = createApp({ ...deps, getDb: () => handle, clientAddress: (c) => c.req.header('x-test-client') ?? '10.5.50.77' });
  const jobCtx = (): ServiceCtx => systemServiceCtx(deps, handle, { requestId: `job-${newId().slice(0, 6)}` });
  const call: PortalTestApp['call'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.jar !== undefined && init.jar.values.size > 0) headers.cookie = init.jar.header();
    if (init.client !== undefined) headers['x-test-client'] = init.client;
    let body: string | undefined;
    if (init.form !== undefined) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    }
    const res = await app.request(`${ORIGIN}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    init.jar?.take(res);
    return res;
  };
  const staffCookie: PortalTestApp['staffCookie'] = async (role) => {
    const email = `${role}-${newId().slice(0, 6)}@test.local`;
    const password = `pw-${role}-correct-horse`;
    const at = new Date(now).toISOString();
    await insertUser(handle.db, { id: newId(), email, password_hash: await hashPassword(password, { params: { ln: 10, r: 8, p: 1 } }), role, display_name: null, must_change_password: 0, disabled: 0, created_at: at, updated_at: at });
    const res = await call('POST', '/api/v1/auth/login', { json: { email, password }, headers: { origin: ORIGIN } });
    if (res.status !== 200) throw new Error(`staff sign-in failed: ${res.status} ${await res.text()}`);
    const m = /jangkau_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
    return `jangkau_session=${m![1]}`;
  };
  const apiToken: PortalTestApp['apiToken'] = async (role) => {
    const userId = newId();
    const at = new Date(now).toISOString();
    await insertUser(handle.db, { id: userId, email: `bot-${userId.slice(0, 6)}@test.local`, password_hash: 'x', role, display_name: null, must_change_password: 0, disabled: 0, created_at: at, updated_at: at });
    const t = newApiToken();
    await insertApiToken(handle.db, { id: newId(), user_id: userId, name: 'collector', token_hash: t.hash, created_at: at, expires_at: null, last_used_at: null });
    return t.token;
  };
  return { app, handle, secrets, clock, call, staffCookie, apiToken, jobCtx };
}

export interface SeededHotspot {
  hotspotId: string;
  deviceId: string;
  siteId: string;
  identity: string;
  address: string;
}

export async function seedHotspot(
  handle: DbHandle,
  options: { identity?: string; address?: string; methods?: string[]; loginMode?: 'form' | 'direct'; maxDevices?: number; dailyTimeS?: number; dailyBytes?: number; routerosPort?: number; wardCode?: string | null } = {},
): Promise<SeededHotspot> {
  const at = new Date().toISOString();
  const siteId = newId();
  const deviceId = newId();
  const hotspotId = newId();
  const identity = options.identity ?? `rw-${hotspotId.slice(0, 6)}`;
  const address = options.address ?? '10.5.50.1';
  await insertSite(handle.db, { id: siteId, name: 'Balai Warga', code: null, lat: -6.0, lon: 106.05, ward_code: options.wardCode ?? null, outside_city: 0, status: 'live', provider: null, contracted_mbps: null, address: null, planned_at: null, live_at: null, notes: null, created_at: at, updated_at: at });
  await insertDevice(handle.db, {
    id: deviceId, site_id: siteId, name: identity, role: 'router', vendor: 'mikrotik', model: null, address: '127.0.0.1', snmp_port: null, snmp_version: null,
    routeros_port: options.routerosPort ?? 8728, routeros_tls: 0, routeros_username: 'jangkau', secrets_sealed: null, poll_interval_s: 60, enabled: 1, coverage: null, created_at: at, updated_at: at,
  });
  await insertPortalHotspot(handle.db, {
    id: hotspotId, device_id: deviceId, identity, server_name: null, server_address: address, login_mode: options.loginMode ?? 'form',
    methods: JSON.stringify(options.methods ?? ['terms', 'otp', 'voucher']), user_profile: 'warga', rate_limit: '2M/5M', terms_session_s: 3600, signed_session_s: 4 * 3600,
    daily_time_s: options.dailyTimeS ?? 4 * 3600, daily_bytes: options.dailyBytes ?? 2e9, max_devices: options.maxDevices ?? 2, enabled: 1, created_at: at, updated_at: at,
  });
  return { hotspotId, deviceId, siteId, identity, address };
}

/** What a MikroTik login.html posts (RouterOS fills these in), for one client. */
export function hotspotVars(h: Pick<SeededHotspot, 'identity' | 'address'>, over: Record<string, string> = {}): Record<string, string> {
  return {
    mac: 'AA:BB:CC:11:22:33',
    ip: '10.5.50.23',
    username: '',
    'link-login': `http://${h.address}/login?dst=http%3A%2F%2Fexample.com%2F`,
    'link-login-only': `http://${h.address}/login`,
    'link-orig': 'http://example.com/',
    'link-orig-esc': 'http%3A%2F%2Fexample.com%2F',
    'chap-id': '\\371',
    'chap-challenge': '\\024\\215\\342\\037\\260\\017\\231\\146\\301\\012\\377\\000\\123\\200\\055\\007',
    identity: h.identity,
    'server-name': 'hotspot1',
    'server-address': `${h.address}:80`,
    error: '',
    'session-id': '',
    ...over,
  };
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (m === null) throw new Error(`no csrf field in page: ${html.slice(0, 300)}`);
  return m[1]!.replaceAll('&#43;', '+').replaceAll('&#x2B;', '+').replaceAll('&amp;', '&').replaceAll('&#x2F;', '/').replaceAll('&#61;', '=').replaceAll('&#x3D;', '=');
}

/** The hand-off form of a page: its action and hidden fields (entities decoded). */
export function handoffForm(html: string): { action: string; fields: Record<string, string> } | null {
  const form = /<form id="handoff" method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (form === null) return null;
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/g)) fields[decode(m[1]!)] = decode(m[2]!);
  return { action: decode(form[1]!), fields };
}

export function decode(s: string): string {
  return s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

export interface PortalSuite {
  handle: DbHandle;
  t: PortalTestApp;
  h: SeededHotspot;
  /** A signed-in admin's session cookie. */
  admin: string;
}

/**
 * The set-up most portal and security suites share: a fresh database of `dialect`, the portal app on it, one hotspot
 * and a signed-in admin, made before the suite's tests and closed after them. Read its fields inside tests.
 */
export function usePortalSuite(
  dialect: TestDialect,
  options: { app?: Parameters<typeof makePortalApp>[1]; hotspot?: Parameters<typeof seedHotspot>[1] } = {},
): PortalSuite {
  const suite = {} as PortalSuite;
  beforeAll(async () => {
    suite.handle = await openTestDb(dialect);
    suite.t = await makePortalApp(suite.handle, options.app);
    suite.h = await seedHotspot(suite.handle, options.hotspot);
    suite.admin = await suite.t.staffCookie('admin');
  });
  afterAll(async () => suite.handle?.close());
  return suite;
}
