/**
 * Programme KPIs per region (issue 17): the ward KPIs over every desa/kelurahan of each kecamatan, kabupaten/kota or
 * the province (services/kpis/ward-kpis.ts kpisOfWards), with the same no-data rules. Staff limited to one
 * kabupaten/kota get theirs only (the province level is refused them).
 */
import type { RegionLevelName } from '../../../core/schemas/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { KPI_PERIOD_MS, kpisOfWards, loadKpiInputs, type KpiValue } from '../kpis/ward-kpis.ts';
import { assertLevelInScope, loadHierarchy, regionCodeAt } from './region-coverage.ts';

export interface RegionKpisOut {
  code: string;
  name: string;
  level: RegionLevelName;
  parentCode: string | null;
  wards: number;
  kpis: KpiValue[];
}

export async function regionKpis(ctx: ServiceCtx, q: { level: RegionLevelName; parent?: string | undefined }): Promise<{ asOf: string; periodDays: number; level: RegionLevelName; items: RegionKpisOut[]; wardsWithoutRegion: number }> {
  const scope = assertLevelInScope(ctx, q.level);
  const inputs = await loadKpiInputs(ctx);
  const { places, regions } = await loadHierarchy(ctx);
  const parentLevel: Record<RegionLevelName, RegionLevelName | null> = { provinsi: null, kota: 'provinsi', kecamatan: 'kota', desa: 'kecamatan' };
  const groups = new Map<string, { name: string; parentCode: string | null; codes: Set<string> }>();
  let wardsWithoutRegion = 0;
  for (const w of inputs.wards) {
    const place = places.get(w.code) ?? { wardCode: w.code, districtCode: null, cityCode: null, provinceCode: null };
    if (place.cityCode === null) {
      wardsWithoutRegion += 1;
      if (q.level !== 'desa') continue;
    }
    if (scope !== null && place.cityCode !== scope) continue;
    if (q.parent !== undefined && !(place.provinceCode === q.parent || place.cityCode === q.parent || place.districtCode === q.parent)) continue;
    const code = regionCodeAt(place, q.level);
    if (code === null) continue;
    const pl = parentLevel[q.level];
    const g = groups.get(code) ?? { name: q.level === 'desa' ? w.name : (regions.get(code)?.name ?? code), parentCode: pl === null ? null : regionCodeAt(place, pl), codes: new Set<string>() };
    g.codes.add(w.code);
    groups.set(code, g);
  }
  const items = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, g]) => ({ code, name: g.name, level: q.level, parentCode: g.parentCode, wards: g.codes.size, kpis: kpisOfWards(inputs, g.codes) }));
  return { asOf: new Date(inputs.nowMs).toISOString(), periodDays: KPI_PERIOD_MS / 86_400_000, level: q.level, items, wardsWithoutRegion };
}
