/**
 * Hotspot user profiles and active sessions for the console (issue 14): a profile (rate limit, shared users, session
 * timeout) is added or updated by name on the router, and an active session is ended by user and/or address
 * (`/ip/hotspot/active/remove`), the way Mikhmon's "kick" does. Inputs are checked before anything is sent.
 */
import { isIPv4 } from 'node:net';
import { RouterOSError } from './errors.ts';
import type { RouterOSPool } from './pool.ts';
import type { RouterOSEndpoint } from './types.ts';
import { formatRouterOsDuration } from './values.ts';
import type { HotspotCallOptions } from './hotspot-users.ts';

export interface HotspotProfileSpec {
  name: string;
  /** MikroTik rate limit "rx/tx[ burst...]", e.g. "2M/5M"; absent leaves the router's value. */
  rateLimit?: string;
  /** How many devices may use one hotspot user at once. */
  sharedUsers?: number;
  sessionTimeoutS?: number;
  idleTimeoutS?: number;
}

const NAME = /^[^\u0000-\u001f\u007f]{1,64}$/;
const RATE = /^\d+[kKmMgG]?\/\d+[kKmMgG]?( \d+[kKmMgG]?\/\d+[kKmMgG]?){0,3}( \d+\/\d+)?( \d+)?$/;

/** Adds the profile, or sets the given fields on the profile of that name. */
export async function upsertHotspotProfile(pool: RouterOSPool, endpoint: RouterOSEndpoint, profile: HotspotProfileSpec, opts: HotspotCallOptions = {}): Promise<{ id: string; created: boolean }> {
  if (!NAME.test(profile.name)) throw new RouterOSError('config', 'profile name must be 1-64 printable characters');
  const attributes: Record<string, string> = { name: profile.name };
  if (profile.rateLimit !== undefined) {
    if (profile.rateLimit.length > 80 || !RATE.test(profile.rateLimit)) throw new RouterOSError('config', `"${profile.rateLimit}" is not a MikroTik rate limit`);
    attributes['rate-limit'] = profile.rateLimit;
  }
  if (profile.sharedUsers !== undefined) {
    if (!Number.isInteger(profile.sharedUsers) || profile.sharedUsers < 1 || profile.sharedUsers > 1000) throw new RouterOSError('config', 'shared users must be 1-1000');
    attributes['shared-users'] = String(profile.sharedUsers);
  }
  if (profile.sessionTimeoutS !== undefined) attributes['session-timeout'] = formatRouterOsDuration(profile.sessionTimeoutS);
  if (profile.idleTimeoutS !== undefined) attributes['idle-timeout'] = formatRouterOsDuration(profile.idleTimeoutS);
  const found = await pool.run(endpoint, { command: '/ip/hotspot/user/profile/print', proplist: ['.id', 'name'], queries: [`name=${profile.name}`], ...opts });
  const existing = found.rows.find((r) => r.name === profile.name)?.['.id'];
  if (existing !== undefined) {
    await pool.run(endpoint, { command: '/ip/hotspot/user/profile/set', attributes: { '.id': existing, ...attributes }, ...opts });
    return { id: existing, created: false };
  }
  const reply = await pool.run(endpoint, { command: '/ip/hotspot/user/profile/add', attributes, ...opts });
  const id = reply.done.ret;
  if (id === undefined) throw new RouterOSError('protocol', '/ip/hotspot/user/profile/add answered without an id');
  return { id, created: true };
}

/**
 * Ends the active sessions matching the user and/or address (at least one is required). Returns how many were
 * ended; 0 when the router had none (already gone is not an error: that is what was asked).
 */
export async function kickHotspotActive(pool: RouterOSPool, endpoint: RouterOSEndpoint, match: { user?: string; address?: string }, opts: HotspotCallOptions = {}): Promise<{ kicked: number }> {
  const queries: string[] = [];
  if (match.user !== undefined) {
    if (!NAME.test(match.user)) throw new RouterOSError('config', 'user must be 1-64 printable characters');
    queries.push(`user=${match.user}`);
  }
  if (match.address !== undefined) {
    if (!isIPv4(match.address)) throw new RouterOSError('config', 'address must be an IPv4 address');
    queries.push(`address=${match.address}`);
  }
  if (queries.length === 0) throw new RouterOSError('config', 'say which session: a user or an address');
  const found = await pool.run(endpoint, { command: '/ip/hotspot/active/print', proplist: ['.id', 'user', 'address'], queries, ...opts });
  const ids = found.rows
    .filter((r) => (match.user === undefined || r.user === match.user) && (match.address === undefined || r.address === match.address))
    .map((r) => r['.id'])
    .filter((id): id is string => id !== undefined);
  let kicked = 0;
  for (const id of ids) {
    try {
      await pool.run(endpoint, { command: '/ip/hotspot/active/remove', attributes: { '.id': id }, ...opts });
      kicked++;
    } catch (err) {
      // Logged out between the print and the remove: gone is what we wanted.
      if (!(err instanceof RouterOSError && err.kind === 'trap' && /no such item/i.test(err.message))) throw err;
    }
  }
  return { kicked };
}
