/**
 * The real Node server (`startNodeServer`, as `npm start` runs it) on a fresh SQLite file in `dir`, on an ephemeral
 * loopback port, with its first admin signed in. The monitoring tests that poll real agents start it this way; `env`
 * adds to or overrides the defaults (e.g. `JANGKAU_COLLECT: 'false'`).
 */
import { join } from 'node:path';
import { startNodeServer, type RunningServer } from '../../server/start-node.ts';

export const NOC = { email: 'noc@cilegon.go.id', password: 'noc-password-long' } as const;

/** Calls the API as the signed-in admin; `body` is sent as JSON unless it is a string (then as `contentType`). */
export type AdminCall = (method: string, path: string, body?: unknown, contentType?: string) => Promise<Response>;

export interface SignedInServer {
  server: RunningServer;
  base: string;
  /** The admin's session cookie (`jangkau_session=...`). */
  cookie: string;
  api: AdminCall;
  /** `api`, then the answer's JSON body. */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function startSignedInServer(dir: string, env: Record<string, string> = {}): Promise<SignedInServer> {
  const server = await startNodeServer([], {
    PORT: '0',
    HOST: '127.0.0.1',
    JANGKAU_DATA_DIR: dir,
    DATABASE_URL: join(dir, 'j.db'),
    JANGKAU_ADMIN_EMAIL: NOC.email,
    JANGKAU_ADMIN_PASSWORD: NOC.password,
    LOG_QUIET: 'true',
    JANGKAU_DEMO: 'false',
    ...env,
  });
  const base = `http://127.0.0.1:${server.port}`;
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(NOC) });
  if (login.status !== 200) {
    await server.close();
    throw new Error(`the first admin could not sign in: ${login.status} ${await login.text()}`);
  }
  const cookie = /jangkau_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
  const api: AdminCall = (method, path, body, contentType = 'application/json') =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': contentType }), ...(method === 'GET' ? {} : { origin: base }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => (await (await api(method, path, body)).json()) as T;
  return { server, base, cookie, api, json };
}
