/**
 * Programme KPIs per region (issue 17): the ward KPIs over every desa/kelurahan of each kecamatan, kabupaten/kota or
 * the province (services/kpis/ward-kpis.ts kpisOfWardGroups: one pass over inputs loaded for the wards in scope only),
 * with the same no-data rules. Staff limited to one
 * kabupaten/kota get theirs only (the province level is refused them).
 */
import type { RegionLevelName } from '../../../core/schemas/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { KPI_PERIOD_MS, kpisOfWardGroups, loadKpiInputs, type KpiValue } from '../kpis/ward-kpis.ts';
import { assertLevelInScope, groupWardsByRegion, loadHierarchy, wardsOf } from './region-filter.ts';

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
  const hierarchy = await loadHierarchy(ctx);
  // Only the wards that can land in a group are loaded (a caller limited to one kabupaten/kota, or a parent named):
  // the same grouping over the hierarchy's wards says which.
  const limited = scope !== null || q.parent !== undefined;
  const wanted = limited ? new Set(groupWardsByRegion(hierarchy, wardsOf(hierarchy), q, scope).groups.flatMap((g) => g.wards.map((w) => w.code))) : null;
  const inputs = await loadKpiInputs(ctx, { wardCodes: wanted });
  const { groups, wardsWithoutRegion } = groupWardsByRegion(hierarchy, inputs.wards, q, scope);
  const kpis = kpisOfWardGroups(inputs, groups.map((g) => new Set(g.wards.map((w) => w.code))));
  const items = groups.map((g, i) => ({
    code: g.code, name: g.name, level: q.level, parentCode: g.parentCode, wards: g.wards.length,
    kpis: kpis[i]!,
  }));
  return { asOf: new Date(inputs.nowMs).toISOString(), periodDays: KPI_PERIOD_MS / 86_400_000, level: q.level, items, wardsWithoutRegion };
}
