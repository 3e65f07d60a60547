/**
 * Programme KPIs per region (issue 17): the ward KPIs over every desa/kelurahan of each kecamatan, kabupaten/kota or
 * the province (services/kpis/ward-kpis.ts kpisOfWards), with the same no-data rules. Staff limited to one
 * kabupaten/kota get theirs only (the province level is refused them).
 */
import type { RegionLevelName } from '../../../core/schemas/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { KPI_PERIOD_MS, kpisOfWards, loadKpiInputs, type KpiValue } from '../kpis/ward-kpis.ts';
import { assertLevelInScope, groupWardsByRegion, loadHierarchy } from './region-filter.ts';

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
  const { groups, wardsWithoutRegion } = groupWardsByRegion(await loadHierarchy(ctx), inputs.wards, q, scope);
  const items = groups.map((g) => ({
    code: g.code, name: g.name, level: q.level, parentCode: g.parentCode, wards: g.wards.length,
    kpis: kpisOfWards(inputs, new Set(g.wards.map((w) => w.code))),
  }));
  return { asOf: new Date(inputs.nowMs).toISOString(), periodDays: KPI_PERIOD_MS / 86_400_000, level: q.level, items, wardsWithoutRegion };
}
