/**
 * A test "router": the HTTP side of a MikroTik hotspot on a loopback address. GET /login serves a login.html like a
 * custom hotspot page does - fresh chap-id (1 byte) and chap-challenge (16 bytes) written as octal escapes, every
 * hotspot variable posted to the external portal - and POST /login checks the answer as the router does:
 * md5(chap-id || password || challenge) against the hotspot user's password (or the plain password without CHAP),
 * then logs the client in or sends it back to login.html with $(error).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HotspotRouterOptions {
  host: string;
  portalUrl: string;
  identity: string;
  /** The client this hotspot serves (one host per test). */
  client: { mac: string; ip: string };
  /** The hotspot user's stored password, or undefined when there is no such user (the RouterOS peer holds users). */
  passwordOf(user: string): string | undefined;
  /** Called when a client is logged in (the test wires it to the RouterOS peer's active list). */
  onLogin?(user: string, client: { mac: string; ip: string }): void;
  /** Serve plain PAP (no chap-id) instead of CHAP. */
  pap?: boolean;
}

export interface HotspotRouter {
  readonly url: string;
  readonly address: string;
  readonly loggedIn: Array<{ user: string; mac: string; ip: string }>;
  readonly attempts: Array<{ user: string; ok: boolean; error: string | null }>;
  close(): Promise<void>;
}

function octal(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65536) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startHotspotRouter(options: HotspotRouterOptions): Promise<HotspotRouter> {
  let chap: { id: Uint8Array; challenge: Uint8Array } | null = null;
  const loggedIn: HotspotRouter['loggedIn'] = [];
  const attempts: HotspotRouter['attempts'] = [];
  let address = '';

  function loginPage(res: ServerResponse, error: string, dst: string): void {
    chap = { id: randomBytes(1), challenge: randomBytes(16) };
    const vars: Record<string, string> = {
      mac: options.client.mac,
      ip: options.client.ip,
      username: '',
      'link-login': `http://${address}/login?dst=${encodeURIComponent(dst)}`,
      'link-login-only': `http://${address}/login`,
      'link-orig': dst,
      'link-orig-esc': encodeURIComponent(dst),
      identity: options.identity,
      'server-name': 'hotspot1',
      'server-address': address,
      error,
      'session-id': '',
    };
    if (options.pap !== true) {
      vars['chap-id'] = octal(chap.id);
      vars['chap-challenge'] = octal(chap.challenge);
    }
    const inputs = Object.entries(vars)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(
      `<!doctype html><html><head><title>hotspot login</title></head><body><form id="redirect" method="post" action="${esc(options.portalUrl)}/portal/login">${inputs}<button id="go" type="submit">Lanjut</button></form>` +
        `<script>document.getElementById('redirect').submit();</script></body></html>`,
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${address}`);
    if (url.pathname === '/login' && req.method === 'GET') return loginPage(res, '', url.searchParams.get('dst') ?? 'http://example.com/');
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = await readForm(req);
      const user = form.get('username') ?? '';
      const given = form.get('password') ?? '';
      const dst = form.get('dst') ?? '';
      const stored = options.passwordOf(user);
      let ok = false;
      if (stored !== undefined) {
        if (options.pap === true) ok = given === stored;
        else if (chap !== null) {
          const expected = createHash('md5').update(Buffer.concat([chap.id, Buffer.from(stored, 'utf8'), chap.challenge])).digest('hex');
          ok = given === expected;
        }
      }
      attempts.push({ user, ok, error: ok ? null : 'invalid username or password' });
      if (!ok) return loginPage(res, 'invalid username or password', dst);
      loggedIn.push({ user, ...options.client });
      options.onLogin?.(user, options.client);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><body><h1 id="status">You are logged in as ${esc(user)}</h1></body></html>`);
      return;
    }
    if (url.pathname === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ loggedIn }));
      return;
    }
    res.writeHead(404).end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen({ host: options.host, port: 0 }, () => ok());
  });
  address = `${options.host}:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${address}`,
    address,
    loggedIn,
    attempts,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
