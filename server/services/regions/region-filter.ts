/**
 * The one region filter (issue 17): which wards a caller asks for and may see, and how wards group into regions at
 * a level (provinsi, kota, kecamatan, desa). Coverage, KPIs, gaps, availability and citizens' reports by region all
 * go through here, so a staff account limited to one kabupaten/kota is held to it the same way everywhere.
 */
import { AppError } from '../../../core/errors.ts';
import type { RegionLevelName } from '../../../core/schemas/regions.ts';
import { listRegions, wardRegionCodes, type RegionRow } from '../../db/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { scopeOf } from './scope.ts';

export interface WardPlace {
  wardCode: string;
  wardName: string;
  districtCode: string | null;
  cityCode: string | null;
  provinceCode: string | null;
}

export interface Hierarchy {
  places: Map<string, WardPlace>;
  regions: Map<string, RegionRow>;
}

const NO_PLACE = (wardCode: string): WardPlace => ({ wardCode, wardName: wardCode, districtCode: null, cityCode: null, provinceCode: null });
const LEVEL_OF_DB: Record<string, RegionLevelName> = { province: 'provinsi', city: 'kota', district: 'kecamatan' };
export const PARENT_LEVEL: Record<RegionLevelName, RegionLevelName | null> = { provinsi: null, kota: 'provinsi', kecamatan: 'kota', desa: 'kecamatan' };

/** Every ward with its name and the codes of the regions it lies in, and the regions by code. */
export async function loadHierarchy(ctx: ServiceCtx): Promise<Hierarchy> {
  const regions = new Map((await listRegions(ctx.db)).map((r) => [r.code, r]));
  const places = new Map<string, WardPlace>();
  for (const [wardCode, r] of await wardRegionCodes(ctx.db)) {
    const provinceCode = r.cityCode === null ? null : (regions.get(r.cityCode)?.parent_code ?? null);
    places.set(wardCode, { wardCode, wardName: r.name, districtCode: r.districtCode, cityCode: r.cityCode, provinceCode });
  }
  return { places, regions };
}

export function regionCodeAt(place: WardPlace, level: RegionLevelName): string | null {
  if (level === 'desa') return place.wardCode;
  if (level === 'kecamatan') return place.districtCode;
  if (level === 'kota') return place.cityCode;
  return place.provinceCode;
}

/** True when the ward lies in the region (of any level). */
export function placeIsIn(place: WardPlace, regionCode: string): boolean {
  return place.wardCode === regionCode || place.districtCode === regionCode || place.cityCode === regionCode || place.provinceCode === regionCode;
}

function outsideScope(what: string, scope: string): AppError {
  return new AppError('forbidden', `${what}; your account is limited to ${scope}`, { reason: 'scope.outside', params: { scope } });
}

/** A scoped caller sees regions inside their kabupaten/kota only; the province level holds others' figures. */
export function assertLevelInScope(ctx: ServiceCtx, level: RegionLevelName): string | null {
  const scope = scopeOf(ctx);
  if (scope !== null && level === 'provinsi') throw outsideScope('the province level sums every kabupaten/kota', scope);
  return scope;
}

export interface RegionRef {
  code: string;
  name: string;
  level: RegionLevelName;
}

/** A region of any level by its code (a ward code is a desa), or 404. */
export function findRegionIn(h: Hierarchy, code: string): RegionRef {
  const r = h.regions.get(code);
  if (r !== undefined && LEVEL_OF_DB[r.level] !== undefined) return { code, name: r.name, level: LEVEL_OF_DB[r.level]! };
  const ward = h.places.get(code);
  if (ward !== undefined) return { code, name: ward.wardName, level: 'desa' };
  throw new AppError('not_found', `no region ${code} (a province, kabupaten/kota, kecamatan or desa/kelurahan code)`, { reason: 'region.unknown', params: { code } });
}

export interface WardSelection {
  /** The wards asked for and allowed, or null for every ward (no region named, caller not limited). */
  wardCodes: Set<string> | null;
  /** The region named, when one was. */
  region: RegionRef | null;
  hierarchy: Hierarchy;
}

/**
 * The wards of `regionCode` (any level) that the caller may see. Without a region: the caller's kabupaten/kota when
 * they are limited to one, else every ward (null). A region outside their kabupaten/kota (or the province that holds
 * it) is refused with 403; an unknown code is 404.
 */
export async function selectWards(ctx: ServiceCtx, regionCode: string | undefined): Promise<WardSelection> {
  const scope = scopeOf(ctx);
  const hierarchy = await loadHierarchy(ctx);
  if (regionCode === undefined && scope === null) return { wardCodes: null, region: null, hierarchy };
  const region = regionCode === undefined ? null : findRegionIn(hierarchy, regionCode);
  if (region !== null && scope !== null) {
    const inside = region.level === 'provinsi' ? false : [...hierarchy.places.values()].some((p) => p.cityCode === scope && placeIsIn(p, region.code));
    if (!inside) throw outsideScope(`region ${region.code} lies outside your kabupaten/kota`, scope);
  }
  const wardCodes = new Set<string>();
  for (const p of hierarchy.places.values()) {
    if (scope !== null && p.cityCode !== scope) continue;
    if (region !== null && !placeIsIn(p, region.code)) continue;
    wardCodes.add(p.wardCode);
  }
  return { wardCodes, region, hierarchy };
}

/** A single ward named alongside a region (e.g. ?wardCode=): it must be inside the selection. */
export function assertWardSelected(sel: WardSelection, wardCode: string | undefined, scope: string | null): void {
  if (wardCode === undefined || sel.wardCodes === null || sel.wardCodes.has(wardCode)) return;
  if (scope !== null && sel.hierarchy.places.get(wardCode)?.cityCode !== scope) throw outsideScope(`ward ${wardCode} lies outside your kabupaten/kota`, scope);
}

export interface RegionGroup<W> {
  code: string;
  name: string;
  parentCode: string | null;
  wards: W[];
}

/**
 * Wards grouped into the regions of one level, inside `parent` when given and inside the caller's kabupaten/kota when
 * limited. Wards imported without a hierarchy count in `wardsWithoutRegion` and appear only at the desa level.
 * Groups come sorted by code.
 */
export function groupWardsByRegion<W extends { code: string; name: string }>(
  h: Hierarchy,
  wards: Iterable<W>,
  q: { level: RegionLevelName; parent?: string | undefined },
  scope: string | null,
): { groups: RegionGroup<W>[]; wardsWithoutRegion: number } {
  const groups = new Map<string, RegionGroup<W>>();
  let wardsWithoutRegion = 0;
  const pl = PARENT_LEVEL[q.level];
  for (const w of wards) {
    const place = h.places.get(w.code) ?? NO_PLACE(w.code);
    if (place.cityCode === null) {
      wardsWithoutRegion += 1;
      if (q.level !== 'desa') continue;
    }
    if (scope !== null && place.cityCode !== scope) continue;
    if (q.parent !== undefined && !(place.provinceCode === q.parent || place.cityCode === q.parent || place.districtCode === q.parent)) continue;
    const code = regionCodeAt(place, q.level);
    if (code === null) continue;
    let g = groups.get(code);
    if (g === undefined) {
      g = { code, name: q.level === 'desa' ? w.name : (h.regions.get(code)?.name ?? code), parentCode: pl === null ? null : regionCodeAt(place, pl), wards: [] };
      groups.set(code, g);
    }
    g.wards.push(w);
  }
  return { groups: [...groups.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)), wardsWithoutRegion };
}

/** Every ward the hierarchy holds, as the `{ code, name }` groupWardsByRegion takes. */
export function wardsOf(h: Hierarchy): { code: string; name: string }[] {
  return [...h.places.values()].map((p) => ({ code: p.wardCode, name: p.wardName }));
}
