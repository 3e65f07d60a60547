/** Builds the real app on a real database for `app.request()` tests, with helpers to sign in and call as a browser. */
import type { Role } from '../../core/roles.ts';
import { createNodeOutboundNet } from '../../server/notify/outbound-fetch-node.ts';
import { createApp, type App } from '../../server/app.ts';
import { hashPassword } from '../../server/auth/password.ts';
import { useNodeScrypt } from '../../server/auth/scrypt-node.ts';
import { passwordWork } from '../../server/auth/hash-queue.ts';
import { createSecretBox, type SecretBox } from '../../server/crypto/secret-box.ts';
import { newId } from '../../server/crypto/random.ts';
import { insertUser } from '../../server/db/users.ts';
import type { DbHandle } from '../../server/db/types.ts';
import type { AppConfig, AppDeps } from '../../server/deps.ts';
import { silentLogger } from '../../server/log.ts';
import type { Clock } from '../../core/time.ts';
import { testStartMs } from './clock.ts';

export const TEST_KEY = new Uint8Array(32).fill(7);
export const ORIGIN = 'http://localhost';

export interface TestApp {
  app: App;
  handle: DbHandle;
  secrets: SecretBox;
  /** `freeze()` stops the clock where it is (only `advance` moves it then) so two requests see the same instant; `resume()` lets it run again from there. */
  clock: Clock & { advance(ms: number): void; freeze(): void; resume(): void };
  /** Calls the app as a browser of ORIGIN would, with the cookie of `as` when given. */
  call(method: string, path: string, init?: { as?: string | null; json?: unknown; body?: string; contentType?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Creates a user of that role (optionally limited to one kabupaten/kota) and signs in; returns the cookie header value. */
  signIn(role: Role, options?: { scopeCityCode?: string }): Promise<string>;
}

export async function makeTestApp(handle: DbHandle, options: { config?: Partial<AppConfig>; clientAddress?: string; startMs?: number; deps?: Partial<Pick<AppDeps, 'mailer' | 'discoverer' | 'provisioner' | 'pdf' | 'getReadDb' | 'outbound'>> } = {}): Promise<TestApp> {
  // The Node server hashes with Node's native scrypt (the Worker test covers the pure-JS one): so do these tests.
  useNodeScrypt();
  // Test files share a busy machine: a sign-in here waits for the hash queue rather than being refused after 5 s
  // (test/security holds the real server, with its defaults, to the refusal).
  passwordWork.configure({ maxWaitMs: 120_000 });
  const secrets = await createSecretBox(TEST_KEY);
  // Real time, moved to JANGKAU_TEST_NOW when a run is pinned (test/helpers/clock.ts), or to `startMs`.
  let offset = (options.startMs ?? testStartMs()) - Date.now();
  let frozen: number | null = null;
  const clock = {
    nowMs: () => frozen ?? Date.now() + offset,
    advance: (ms: number): void => {
      if (frozen === null) offset += ms;
      else frozen += ms;
    },
    freeze: (): void => void (frozen = Date.now() + offset),
    resume: (): void => {
      if (frozen !== null) offset = frozen - Date.now();
      frozen = null;
    },
  };
  const app = createApp({
    getDb: () => handle,
    clock,
    secrets,
    log: silentLogger,
    clientAddress: () => options.clientAddress ?? '127.0.0.1',
    config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1024 * 1024, checkResponses: true, ...options.config },
    // As the Node server does: outbound URLs resolved and pinned by the server itself (issue 10).
    outbound: createNodeOutboundNet(),
    ...options.deps,
  });
  const call: TestApp['call'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.as != null) headers.cookie = init.as;
    if (method !== 'GET' && headers.origin === undefined) headers.origin = ORIGIN;
    let body: string | undefined;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['content-type'] = 'application/json';
    } else if (init.body !== undefined) {
      body = init.body;
      headers['content-type'] = init.contentType ?? 'text/plain';
    }
    return app.request(`${ORIGIN}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  };
  const passwords = new Map<Role, string>();
  const signIn: TestApp['signIn'] = async (role, signInOptions = {}) => {
    const email = `${role}-${newId().slice(0, 6)}@test.local`;
    const password = `pw-${role}-correct-horse`;
    passwords.set(role, password);
    const now = new Date(clock.nowMs()).toISOString();
    await insertUser(handle.db, {
      id: newId(),
      email,
      password_hash: await cachedHash(password),
      role,
      display_name: null,
      must_change_password: 0,
      disabled: 0,
      created_at: now,
      updated_at: now,
      scope_city_code: signInOptions.scopeCityCode ?? null,
    });
    const res = await call('POST', '/api/v1/auth/login', { json: { email, password } });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    return cookieOf(res);
  };
  return { app, handle, secrets, clock, call, signIn };
}

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let h = hashes.get(password);
  if (h === undefined) {
    h = hashPassword(password);
    hashes.set(password, h);
  }
  return h;
}

export function cookieOf(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  const m = /jangkau_session=([^;]*)/.exec(set);
  if (m === null) throw new Error(`no session cookie in ${set}`);
  return `jangkau_session=${m[1]}`;
}
