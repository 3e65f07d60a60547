/**
 * Region scope of staff accounts (issue 17): an account with `scope_city_code` sees and changes only what lies in
 * that kabupaten/kota. Routes declare how they keep to it (core/roles.ts RouteScope); this file enforces the
 * declarations before a handler runs and gives handlers the filter to apply.
 */
import { AppError } from '../../../core/errors.ts';
import type { RouteScope } from '../../../core/roles.ts';
import { cityOfDevice, cityOfIncident, cityOfSite, cityOfWard } from '../../db/regions.ts';
import type { ServiceCtx } from '../../deps.ts';

/** The kabupaten/kota the caller is limited to, or null (everywhere). */
export function scopeOf(ctx: ServiceCtx): string | null {
  return ctx.actor?.scopeCityCode ?? null;
}

function outside(what: string, city: string | null, scope: string): AppError {
  return new AppError('forbidden', `this ${what} lies ${city === null ? 'outside every kabupaten/kota' : `in ${city}`}, outside your region ${scope}`, {
    reason: 'scope.outside',
    params: { scope, ...(city === null ? {} : { city }) },
  });
}

/** Before the handler: refuses what the route's declaration does not open to a scoped caller. */
export async function enforceRouteScope(ctx: ServiceCtx, scope: RouteScope | undefined, params: Record<string, string> | undefined): Promise<void> {
  const city = scopeOf(ctx);
  if (city === null) return;
  if (scope === undefined) {
    throw new AppError('forbidden', `this is not open to staff limited to one kabupaten/kota (yours: ${city})`, { reason: 'scope.routeClosed', params: { scope: city } });
  }
  if (scope === 'global' || scope === 'filtered') return;
  if (scope === 'province') {
    throw new AppError('forbidden', `this belongs to the whole installation or sums every kabupaten/kota; your account is limited to ${city}`, { reason: 'scope.provinceOnly', params: { scope: city } });
  }
  const [kind, param] = Object.entries(scope)[0] as ['site' | 'device' | 'ward' | 'incident', string];
  const id = params?.[param];
  if (id === undefined) throw new AppError('internal', `route scope names a missing path parameter ${param}`);
  const where =
    kind === 'site' ? await cityOfSite(ctx.db, id) : kind === 'device' ? await cityOfDevice(ctx.db, id) : kind === 'incident' ? await cityOfIncident(ctx.db, id) : await cityOfWard(ctx.db, id);
  // Not found: the handler answers 404 as for anyone.
  if (!where.found) return;
  if (where.cityCode !== city) throw outside(kind, where.cityCode, city);
}

/** For a write that places something (a new site, a moved one): it must land inside the caller's region. */
export async function assertWardInScope(ctx: ServiceCtx, wardCode: string | null): Promise<void> {
  const city = scopeOf(ctx);
  if (city === null) return;
  const where = wardCode === null ? { found: false, cityCode: null } : await cityOfWard(ctx.db, wardCode);
  if (where.cityCode !== city) throw outside('place', where.cityCode, city);
}

/** For a write that attaches something to a site (a device): the site must lie in the caller's region. */
export async function assertSiteInScope(ctx: ServiceCtx, siteId: string | null): Promise<void> {
  const city = scopeOf(ctx);
  if (city === null) return;
  const where = siteId === null ? { found: false, cityCode: null } : await cityOfSite(ctx.db, siteId);
  if (where.cityCode !== city) throw outside('site', where.cityCode, city);
}

/**
 * For a filter naming a device, site or ward (e.g. ?deviceId=): one that exists outside the caller's region is
 * refused (403), as the path-parameter declarations do; one that does not exist is left to the handler.
 */
export async function assertNamedInScope(ctx: ServiceCtx, named: { deviceId?: string | undefined; siteId?: string | undefined; wardCode?: string | undefined }): Promise<void> {
  const city = scopeOf(ctx);
  if (city === null) return;
  const checks: ['device' | 'site' | 'ward', string | undefined][] = [['device', named.deviceId], ['site', named.siteId], ['ward', named.wardCode]];
  for (const [kind, id] of checks) {
    if (id === undefined) continue;
    const where = kind === 'site' ? await cityOfSite(ctx.db, id) : kind === 'device' ? await cityOfDevice(ctx.db, id) : await cityOfWard(ctx.db, id);
    if (where.found && where.cityCode !== city) throw outside(kind, where.cityCode, city);
  }
}
