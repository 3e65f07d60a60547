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

export interface HotspotProvisioner {
  upsertUser(router: HotspotRouterRef, user: HotspotUserSpec, options: { deadlineMs: number }): Promise<void>;
  /** `/ip/hotspot/active/login`: logs a host in without a second browser round trip. */
  activeLogin(router: HotspotRouterRef, login: { user: string; password: string; mac: string; ip: string }, options: { deadlineMs: number }): Promise<void>;
  removeUser(router: HotspotRouterRef, name: string, options: { deadlineMs: number }): Promise<void>;
}
