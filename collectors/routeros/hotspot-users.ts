/**
 * Hotspot user management for the captive portal: create or update a local hotspot user, remove it, and log a host in
 * directly with /ip/hotspot/active/login. Inputs are checked before anything is sent; failures reject with
 * RouterOSError (kind 'trap' carries the router's message, e.g. "invalid username or password").
 */
import { isIPv4 } from 'node:net';
import { RouterOSError } from './errors.ts';
import type { RouterOSPool } from './pool.ts';
import type { RouterOSEndpoint } from './types.ts';
import { formatRouterOsDuration, normalizeMac } from './values.ts';

export interface HotspotUserSpec {
  name: string;
  password: string;
  /** Hotspot user profile (rate limits, shared users); default "default" on the router. */
  profile?: string;
  limitUptimeS?: number;
  limitBytesTotal?: bigint;
  /** Bind the account to one MAC. */
  macAddress?: string;
  comment?: string;
  /** Hotspot server name, when the router runs several. */
  server?: string;
}

export interface HotspotLogin {
  user: string;
  password: string;
  macAddress: string;
  ip: string;
}

export interface HotspotCallOptions {
  timeoutMs?: number;
}

const USER_FIELD = /^[^\u0000-\u001f\u007f]{1,64}$/;

function checkText(field: string, value: string, pattern: RegExp = USER_FIELD): void {
  if (!pattern.test(value)) throw new RouterOSError('config', `${field} must be 1-64 printable characters`);
}

function checkMac(value: string): string {
  const mac = normalizeMac(value);
  if (mac === null) throw new RouterOSError('config', 'mac-address is not a MAC address');
  return mac.toUpperCase();
}

async function findUserId(pool: RouterOSPool, endpoint: RouterOSEndpoint, name: string, opts: HotspotCallOptions): Promise<string | null> {
  const reply = await pool.run(endpoint, { command: '/ip/hotspot/user/print', proplist: ['.id', 'name'], queries: [`name=${name}`], ...opts });
  const row = reply.rows.find((r) => r.name === name) ?? reply.rows[0];
  return row?.['.id'] ?? null;
}

/** Adds the user, or sets every given field on the existing user of that name. Returns its RouterOS id. */
export async function upsertHotspotUser(pool: RouterOSPool, endpoint: RouterOSEndpoint, user: HotspotUserSpec, opts: HotspotCallOptions = {}): Promise<{ id: string; created: boolean }> {
  checkText('name', user.name);
  if (!/^[^\u0000-\u001f\u007f]{0,128}$/.test(user.password)) throw new RouterOSError('config', 'password must be at most 128 printable characters');
  const attributes: Record<string, string> = { name: user.name, password: user.password };
  if (user.profile !== undefined) {
    checkText('profile', user.profile);
    attributes.profile = user.profile;
  }
  if (user.server !== undefined) {
    checkText('server', user.server);
    attributes.server = user.server;
  }
  if (user.limitUptimeS !== undefined) attributes['limit-uptime'] = formatRouterOsDuration(user.limitUptimeS);
  if (user.limitBytesTotal !== undefined) {
    if (user.limitBytesTotal < 0n) throw new RouterOSError('config', 'limitBytesTotal must not be negative');
    attributes['limit-bytes-total'] = user.limitBytesTotal.toString();
  }
  if (user.macAddress !== undefined) attributes['mac-address'] = checkMac(user.macAddress);
  if (user.comment !== undefined) {
    if (!/^[^\u0000-\u001f\u007f]{0,255}$/.test(user.comment)) throw new RouterOSError('config', 'comment must be at most 255 printable characters');
    attributes.comment = user.comment;
  }
  // Add first (issue 14): the portal's users are new by construction (one per grant), so this is one command, not a
  // look-up and an add; the router refuses a name it already has, and then the existing user is updated.
  try {
    const reply = await pool.run(endpoint, { command: '/ip/hotspot/user/add', attributes, ...opts });
    const id = reply.done.ret;
    if (id === undefined) throw new RouterOSError('protocol', '/ip/hotspot/user/add answered without an id');
    return { id, created: true };
  } catch (err) {
    if (!(err instanceof RouterOSError && err.kind === 'trap' && /already have/i.test(err.message))) throw err;
  }
  const existing = await findUserId(pool, endpoint, user.name, opts);
  if (existing === null) throw new RouterOSError('protocol', `the router refused to add "${user.name}" as a duplicate but does not list it`);
  await pool.run(endpoint, { command: '/ip/hotspot/user/set', attributes: { '.id': existing, ...attributes }, ...opts });
  return { id: existing, created: false };
}

/** Removes the user of that name; `removed: false` when there was none. */
export async function removeHotspotUser(pool: RouterOSPool, endpoint: RouterOSEndpoint, name: string, opts: HotspotCallOptions = {}): Promise<{ removed: boolean }> {
  checkText('name', name);
  const id = await findUserId(pool, endpoint, name, opts);
  if (id === null) return { removed: false };
  await pool.run(endpoint, { command: '/ip/hotspot/user/remove', attributes: { '.id': id }, ...opts });
  return { removed: true };
}

/** Logs the host (ip + MAC) in as `user`, without a browser round trip. */
export async function hotspotActiveLogin(pool: RouterOSPool, endpoint: RouterOSEndpoint, login: HotspotLogin, opts: HotspotCallOptions = {}): Promise<{ already: boolean }> {
  checkText('user', login.user);
  if (!/^[^\u0000-\u001f\u007f]{0,128}$/.test(login.password)) throw new RouterOSError('config', 'password must be at most 128 printable characters');
  if (!isIPv4(login.ip)) throw new RouterOSError('config', 'ip must be an IPv4 address (the hotspot is IPv4 only)');
  const mac = checkMac(login.macAddress);
  try {
    await pool.run(endpoint, {
      command: '/ip/hotspot/active/login',
      attributes: { user: login.user, password: login.password, 'mac-address': mac, ip: login.ip },
      ...opts,
    });
  } catch (err) {
    // The host is online already (a second tap, a retried job, the browser hand-off was faster): that is what the
    // citizen asked for, not a failure of the router.
    if (isAlreadyLoggedIn(err)) return { already: true };
    throw err;
  }
  return { already: false };
}

/** RouterOS's `!trap` when the host at that address already has an active hotspot session. */
export function isAlreadyLoggedIn(err: unknown): boolean {
  return err instanceof RouterOSError && err.kind === 'trap' && /already logged in/i.test(err.message);
}
