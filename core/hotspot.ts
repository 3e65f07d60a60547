/**
 * How the server gives a MikroTik hotspot the credentials of a citizen who signed in through the portal. On Node the
 * server reaches the routers itself (an implementation over collectors/routeros, made in entry.node.ts); on Workers
 * it cannot, and an on-premises collector carries the same jobs. The portal only sees this interface.
 */
export interface HotspotRouterRef {
  /** The inventory device (a router with RouterOS credentials) that runs the hotspot. */
  deviceId: string;
}

export interface HotspotUserSpec {
  name: string;
  password: string;
  /** RouterOS hotspot user profile (rate limit, shared users). */
  profile?: string;
  /** RouterOS duration, e.g. "1h". */
  limitUptime?: string;
  limitBytesTotal?: number;
  macAddress?: string;
  comment?: string;
}

/** A hotspot user profile as the router holds it (issue 14): the console pushes it to the router. */
export interface HotspotProfileSpec {
  name: string;
  /** MikroTik rate limit, e.g. "2M/5M". */
  rateLimit?: string;
  /** Devices that may use one hotspot user at once (the portal makes one user per device: 1). */
  sharedUsers?: number;
  sessionTimeoutS?: number;
  idleTimeoutS?: number;
}

export interface HotspotProvisioner {
  upsertUser(router: HotspotRouterRef, user: HotspotUserSpec, options: { deadlineMs: number }): Promise<void>;
  /** `/ip/hotspot/active/login`: logs a host in without a second browser round trip. */
  activeLogin(router: HotspotRouterRef, login: { user: string; password: string; mac: string; ip: string }, options: { deadlineMs: number }): Promise<void>;
  removeUser(router: HotspotRouterRef, name: string, options: { deadlineMs: number }): Promise<void>;
  /** Adds or updates the hotspot user profile of that name (`/ip/hotspot/user/profile`). Issue 14. */
  upsertProfile(router: HotspotRouterRef, profile: HotspotProfileSpec, options: { deadlineMs: number }): Promise<void>;
  /** Ends the active sessions of that user and/or address (`/ip/hotspot/active/remove`); how many were ended. Issue 14. */
  kickActive(router: HotspotRouterRef, match: { user?: string; address?: string }, options: { deadlineMs: number }): Promise<{ kicked: number }>;
}
