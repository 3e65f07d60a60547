/** Staff roles, from most to least powerful. A department's contact person is a `viewer`. */
export const ROLES = ['admin', 'engineer', 'planner', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a route. Every route declares one:
 * - `public`: anyone, signed in or not (the public map, the captive portal, health checks);
 * - `staff`: any signed-in staff member, whatever the role;
 * - a list of roles: only those;
 * - `collector`: only a standalone collector's own token (a token of kind `collector`, issue 10), never a person.
 */
export type Access = 'public' | 'staff' | 'collector' | readonly Role[] | TokenAccess;

/**
 * Issue 15: machines and wall screens that are not staff. `metrics`: the bearer token set in JANGKAU_METRICS_TOKEN
 * (Prometheus); `widget`: a read-only wall-widget token in the URL (`?token=`), created by an admin. No staff
 * session or role opens these routes: without the token they answer 401, whoever calls.
 */
export interface TokenAccess {
  token: 'metrics' | 'widget';
}

export function isTokenAccess(access: Access): access is TokenAccess {
  return typeof access === 'object' && access !== null && !Array.isArray(access) && 'token' in access;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function mayAccess(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (isTokenAccess(access)) return false;
  if (role === null) return false;
  if (access === 'staff') return true;
  // No staff role reaches a collector route: the server checks the token kind (server/http/route.ts).
  if (access === 'collector') return false;
  return access.includes(role);
}

/**
 * How a route honours a staff account limited to one kabupaten/kota (issue 17). Routes without one are refused
 * (403) to such accounts, so a new route is closed to them until its author says how it keeps to the region:
 * - `global`: holds nothing of any region (the caller's own account, sign-out, tokens);
 * - `filtered`: the handler answers and changes only what lies in the caller's region (lists, coverage by region);
 * - `{ site | device | ward | incident: param }`: the path parameter names a site, device, ward or incident (of a
 *   device), which must lie in the caller's region (403 otherwise); the handler may then act on it;
 * - `province`: holds or changes what belongs to the whole installation (settings, accounts, imports, the programme,
 *   the portal and RADIUS, collectors) or figures that sum every kabupaten/kota; refused (403 `scope.provinceOnly`)
 *   to an account limited to one, on purpose rather than by omission.
 * Staff without a scope (the province or the whole installation) are not affected.
 */
export type RouteScope = 'global' | 'filtered' | 'province' | { site: string } | { device: string } | { ward: string } | { incident: string };
