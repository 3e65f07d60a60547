/**
 * RADIUS tests: the real app and the real RADIUS server (UDP on 127.0.0.1, free ports) on a real database, with
 * Debian's FreeRADIUS client tools (radclient, radtest) playing the NAS, and a UDP listener playing the NAS for
 * Disconnect/CoA.
 */
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { portalDb } from '../../server/portal/queries/types.ts';
import type { DbHandle } from '../../server/db/types.ts';
import { silentLogger } from '../../server/log.ts';
import { startRadius, type RadiusRuntime } from '../../server/radius/runtime.ts';
import { systemServiceCtx } from '../../server/service-ctx.ts';
import { makePortalApp, seedHotspot, type PortalTestApp, type SeededHotspot } from '../portal/helpers.ts';

export const SECRET = 'nas-shared-secret-123';

export interface RadiusTest {
  t: PortalTestApp;
  h: SeededHotspot;
  radius: RadiusRuntime;
  admin: string;
  clientId: string;
  stop(): Promise<void>;
}

export async function startRadiusTest(
  handle: DbHandle,
  options: { vendor?: string; requireMessageAuthenticator?: boolean; macAuthDays?: number; coaPort?: number; dailyTimeS?: number; dailyBytes?: number; maxDevices?: number; address?: string } = {},
): Promise<RadiusTest> {
  const t = await makePortalApp(handle);
  const h = await seedHotspot(handle, {
    wardCode: 'W-01',
    ...(options.dailyTimeS === undefined ? {} : { dailyTimeS: options.dailyTimeS }),
    ...(options.dailyBytes === undefined ? {} : { dailyBytes: options.dailyBytes }),
    ...(options.maxDevices === undefined ? {} : { maxDevices: options.maxDevices }),
  });
  const admin = await t.staffCookie('admin');
  const res = await t.call('POST', '/api/v1/radius/clients', {
    headers: { cookie: admin, origin: 'http://portal.test' },
    json: {
      name: 'rw-gateway',
      address: options.address ?? '127.0.0.1',
      secret: SECRET,
      vendor: options.vendor ?? 'mikrotik',
      hotspotId: h.hotspotId,
      requireMessageAuthenticator: options.requireMessageAuthenticator ?? true,
      macAuthDays: options.macAuthDays ?? 0,
      coaPort: options.coaPort ?? 3799,
    },
  });
  if (res.status !== 201) throw new Error(`NAS client: ${res.status} ${await res.text()}`);
  const clientId = ((await res.json()) as { id: string }).id;
  const ctx = systemServiceCtx({ clock: t.clock, secrets: t.secrets, log: silentLogger, config: { trustedOrigins: [], cookieSecure: null, sessionDays: 30, maxBodyBytes: 1 << 20 } }, handle, { requestId: 'radius-test' });
  const radius = await startRadius(ctx, { host: '127.0.0.1', authPort: 0, acctPort: 0, timers: false, coaTimeoutMs: 300, coaTries: 2 });
  return { t, h, radius, admin, clientId, stop: () => radius.stop() };
}

/** Makes a voucher batch through the API and opens its codes (as the printed sheet shows them, without the dash). */
export async function makeVouchers(r: RadiusTest, body: Record<string, unknown> = {}): Promise<{ batchId: string; codes: string[] }> {
  const res = await r.t.call('POST', '/api/v1/portal/voucher-batches', { headers: { cookie: r.admin, origin: 'http://portal.test' }, json: { name: 'RW 03', count: 3, hotspotId: r.h.hotspotId, ...body } });
  if (res.status !== 201) throw new Error(`vouchers: ${res.status} ${await res.text()}`);
  const batchId = ((await res.json()) as { id: string }).id;
  const rows = await portalDb(r.t.handle.db).selectFrom('portal_vouchers').select(['code_sealed', 'seq']).where('batch_id', '=', batchId).orderBy('seq').execute();
  const codes: string[] = [];
  for (const row of rows) codes.push(await r.t.secrets.open(row.code_sealed, 'portal-voucher-code'));
  return { batchId, codes };
}

export interface RadclientResult {
  code: number;
  stdout: string;
  /** Reply attributes as radclient prints them: name -> values. */
  reply: Map<string, string[]>;
  replyCode: string | null;
}

/** Runs radclient with `input` as the attribute list on stdin (no answer is a result too: replyCode null). */
export function radclient(args: string[], input: string, timeoutMs = 8000): Promise<RadclientResult> {
  return new Promise((resolve) => {
    const child = execFile('radclient', args, { timeout: timeoutMs }, (err, stdout) => resolve(parseRadclient(stdout, err === null ? 0 : 1)));
    child.stdin?.end(input);
  });
}

export function parseRadclient(stdout: string, code: number): RadclientResult {
  const reply = new Map<string, string[]>();
  let replyCode: string | null = null;
  let inReply = false;
  for (const line of stdout.split('\n')) {
    const m = /^Received (\S+) Id/.exec(line);
    if (m !== null) {
      replyCode = m[1] as string;
      inReply = true;
      continue;
    }
    if (/^Sent /.test(line)) inReply = false;
    const a = /^\s+(\S+) = (.*)$/.exec(line);
    if (inReply && a !== null) {
      const list = reply.get(a[1] as string) ?? [];
      list.push((a[2] as string).replace(/^"|"$/g, ''));
      reply.set(a[1] as string, list);
    }
  }
  return { code, stdout, reply, replyCode };
}

/** radtest (PAP or CHAP) against the RADIUS auth port. */
export function radtest(user: string, password: string, port: number, options: { type?: 'pap' | 'chap'; secret?: string } = {}): Promise<RadclientResult> {
  return new Promise((resolve) => {
    execFile('radtest', ['-t', options.type ?? 'pap', user, password, `127.0.0.1:${port}`, '0', options.secret ?? SECRET], { timeout: 15_000 }, (err, stdout) => {
      resolve(parseRadclient(stdout, err === null ? 0 : 1));
    });
  });
}

/** A UDP socket on 127.0.0.1 that plays the NAS for Disconnect/CoA (answers as `respond` says). */
export async function nasListener(respond: (packet: Buffer) => Buffer | null): Promise<{ port: number; received: Buffer[]; socket: Socket; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    const reply = respond(msg);
    if (reply !== null) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((ok) => socket.bind(0, '127.0.0.1', () => ok()));
  return { port: socket.address().port, received, socket, close: () => new Promise<void>((ok) => socket.close(() => ok())) };
}

/** Sends one datagram to the RADIUS server from `fromHost` (any 127.x address) and waits briefly for an answer. */
export async function sendRaw(port: number, datagram: Buffer, options: { fromHost?: string; waitMs?: number } = {}): Promise<Buffer | null> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, options.fromHost ?? '127.0.0.1', () => ok()));
  try {
    return await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), options.waitMs ?? 400);
      s.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      s.send(datagram, port, '127.0.0.1');
    });
  } finally {
    await new Promise<void>((ok) => s.close(() => ok()));
  }
}

/** Accounting attributes for radclient. */
export function acctInput(a: { status: 'Start' | 'Interim-Update' | 'Stop'; session: string; user: string; classHex?: string; time?: number; inOctets?: number; outOctets?: number; inGiga?: number; outGiga?: number; ip?: string; mac?: string }): string {
  return [
    `Acct-Status-Type = ${a.status}`,
    `Acct-Session-Id = "${a.session}"`,
    `User-Name = "${a.user}"`,
    `Framed-IP-Address = ${a.ip ?? '10.5.50.23'}`,
    `Calling-Station-Id = "${a.mac ?? 'AA-BB-CC-11-22-33'}"`,
    `Acct-Session-Time = ${a.time ?? 0}`,
    `Acct-Input-Octets = ${a.inOctets ?? 0}`,
    `Acct-Output-Octets = ${a.outOctets ?? 0}`,
    ...(a.inGiga === undefined ? [] : [`Acct-Input-Gigawords = ${a.inGiga}`]),
    ...(a.outGiga === undefined ? [] : [`Acct-Output-Gigawords = ${a.outGiga}`]),
    ...(a.classHex === undefined ? [] : [`Class = ${a.classHex}`]),
    'NAS-IP-Address = 127.0.0.1',
  ].join('\n');
}

/** Sends queued Disconnect/CoA requests as soon as one is queued (the server's 1 s timer, done by hand in tests). */
export async function drainWhenQueued(r: { radius: RadiusRuntime }, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await r.radius.drainCoa()) > 0) return;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  throw new Error('no Disconnect/CoA request was queued');
}

/** The environment of `npm start` with the RADIUS server on free loopback ports (acceptance and console tests). */
export function radiusServerEnv(dir: string, admin: { email: string; password: string }): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    JANGKAU_DATA_DIR: dir,
    DATABASE_URL: `${dir}/jangkau.db`,
    JANGKAU_ADMIN_EMAIL: admin.email,
    JANGKAU_ADMIN_PASSWORD: admin.password,
    LOG_QUIET: 'true',
    JANGKAU_DEMO: 'false',
    JANGKAU_COLLECT: 'false',
    JANGKAU_RADIUS: 'true',
    JANGKAU_RADIUS_HOST: '127.0.0.1',
    JANGKAU_RADIUS_AUTH_PORT: '0',
    JANGKAU_RADIUS_ACCT_PORT: '0',
  };
}
