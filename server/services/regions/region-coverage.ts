/**
 * Coverage at every level of the hierarchy (issue 17): the ward figures of the coverage engine summed per kecamatan,
 * kabupaten/kota and province. Areas and covered areas add up (each 5 m cell belongs to one ward); residents add up
 * only where every ward inside has a figure, otherwise the region's residents are null and say why.
 */
import { AppError } from '../../../core/errors.ts';
import { COVERAGE_LAYER_DEFINITIONS, type CoverageLayer } from '../../../core/coverage-layers.ts';
import type { RegionCoverageOut, RegionLevelName } from '../../../core/schemas/regions.ts';
import type { WardCoverageFigures } from '../../../geo/coverage/index.ts';
import { listRegions, wardRegionCodes, type RegionRow } from '../../db/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine } from '../coverage/coverage-engine-cache.ts';
import { scopeOf } from './scope.ts';

export interface WardPlace {
  wardCode: string;
  districtCode: string | null;
  cityCode: string | null;
  provinceCode: string | null;
}

/** Every ward with the codes of the regions it lies in, and the regions by code. */
export async function loadHierarchy(ctx: ServiceCtx): Promise<{ places: Map<string, WardPlace>; regions: Map<string, RegionRow> }> {
  const regions = new Map((await listRegions(ctx.db)).map((r) => [r.code, r]));
  const places = new Map<string, WardPlace>();
  for (const [wardCode, r] of await wardRegionCodes(ctx.db)) {
    const provinceCode = r.cityCode === null ? null : (regions.get(r.cityCode)?.parent_code ?? null);
    places.set(wardCode, { wardCode, districtCode: r.districtCode, cityCode: r.cityCode, provinceCode });
  }
  return { places, regions };
}

export function regionCodeAt(place: WardPlace, level: RegionLevelName): string | null {
  if (level === 'desa') return place.wardCode;
  if (level === 'kecamatan') return place.districtCode;
  if (level === 'kota') return place.cityCode;
  return place.provinceCode;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** A scoped caller sees regions inside their kabupaten/kota only; the province level holds others' figures. */
export function assertLevelInScope(ctx: ServiceCtx, level: RegionLevelName): string | null {
  const scope = scopeOf(ctx);
  if (scope !== null && level === 'provinsi') {
    throw new AppError('forbidden', `the province level sums every kabupaten/kota; your account is limited to ${scope}`, { reason: 'scope.outside', params: { scope } });
  }
  return scope;
}

export async function regionCoverage(ctx: ServiceCtx, q: { level: RegionLevelName; layer: CoverageLayer; parent?: string | undefined }): Promise<RegionCoverageOut> {
  const scope = assertLevelInScope(ctx, q.level);
  const engine = await currentCoverageEngine(ctx);
  const figures = engine.wardFigures(q.layer).items;
  const { places, regions } = await loadHierarchy(ctx);
  interface Acc { code: string; name: string; parentCode: string | null; wards: number; areaM2: number; coveredAreaM2: number; residents: number; residentsCovered: number; withoutResidents: number; aps: number; live: number; unverified: number; down: number }
  const groups = new Map<string, Acc>();
  let wardsWithoutRegion = 0;
  const parentLevel: Record<RegionLevelName, RegionLevelName | null> = { provinsi: null, kota: 'provinsi', kecamatan: 'kota', desa: 'kecamatan' };
  for (const f of figures as WardCoverageFigures[]) {
    const place = places.get(f.code) ?? { wardCode: f.code, districtCode: null, cityCode: null, provinceCode: null };
    if (place.cityCode === null) {
      wardsWithoutRegion += 1;
      if (q.level !== 'desa') continue;
    }
    if (scope !== null && place.cityCode !== scope) continue;
    if (q.parent !== undefined && !(place.provinceCode === q.parent || place.cityCode === q.parent || place.districtCode === q.parent)) continue;
    const code = regionCodeAt(place, q.level);
    if (code === null) continue;
    const pl = parentLevel[q.level];
    let acc = groups.get(code);
    if (acc === undefined) {
      acc = {
        code,
        name: q.level === 'desa' ? f.name : (regions.get(code)?.name ?? code),
        parentCode: pl === null ? null : regionCodeAt(place, pl),
        wards: 0, areaM2: 0, coveredAreaM2: 0, residents: 0, residentsCovered: 0, withoutResidents: 0, aps: 0, live: 0, unverified: 0, down: 0,
      };
      groups.set(code, acc);
    }
    acc.wards += 1;
    acc.areaM2 += f.areaM2;
    acc.coveredAreaM2 += f.coveredAreaM2;
    if (f.residents === null || f.residentsCovered === null) acc.withoutResidents += 1;
    else {
      acc.residents += f.residents;
      acc.residentsCovered += f.residentsCovered;
    }
    acc.aps += f.accessPoints;
    acc.live += f.liveAccessPoints;
    acc.unverified += f.unverifiedAccessPoints;
    acc.down += f.downAccessPoints;
  }
  const items = [...groups.values()]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((a) => {
      const known = a.withoutResidents === 0;
      return {
        code: a.code, name: a.name, level: q.level, parentCode: a.parentCode, wards: a.wards,
        areaM2: round(a.areaM2, 1), coveredAreaM2: round(a.coveredAreaM2, 1), coveredPct: a.areaM2 > 0 ? round((a.coveredAreaM2 / a.areaM2) * 100, 4) : 0,
        residents: known ? round(a.residents, 1) : null,
        residentsCovered: known ? round(a.residentsCovered, 1) : null,
        residentsCoveredPct: known && a.residents > 0 ? round((a.residentsCovered / a.residents) * 100, 2) : null,
        ...(known ? {} : { residentsReason: a.withoutResidents === a.wards ? ('not-imported' as const) : ('partial' as const) }),
        wardsWithoutResidents: a.withoutResidents,
        accessPoints: a.aps, liveAccessPoints: a.live, unverifiedAccessPoints: a.unverified, downAccessPoints: a.down,
      };
    });
  return { level: q.level, layer: q.layer, layerDefinition: COVERAGE_LAYER_DEFINITIONS[q.layer], items, wardsWithoutRegion };
}
