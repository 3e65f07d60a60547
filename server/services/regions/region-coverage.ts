/**
 * Coverage at every level of the hierarchy (issue 17): the ward figures of the coverage engine summed per kecamatan,
 * kabupaten/kota and province. Areas and covered areas add up (each 5 m cell belongs to one ward); residents add up
 * only where every ward inside has a figure, otherwise the region's residents are null and say why.
 */
import { COVERAGE_LAYER_DEFINITIONS, type CoverageLayer } from '../../../core/coverage-layers.ts';
import type { RegionCoverageOut, RegionLevelName } from '../../../core/schemas/regions.ts';
import type { WardCoverageFigures } from '../../../geo/coverage/index.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine } from '../coverage/coverage-engine-cache.ts';
import { assertLevelInScope, groupWardsByRegion, loadHierarchy } from './region-filter.ts';

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export async function regionCoverage(ctx: ServiceCtx, q: { level: RegionLevelName; layer: CoverageLayer; parent?: string | undefined }): Promise<RegionCoverageOut> {
  const scope = assertLevelInScope(ctx, q.level);
  const engine = await currentCoverageEngine(ctx);
  const figures = engine.wardFigures(q.layer).items;
  const h = await loadHierarchy(ctx);
  const { groups, wardsWithoutRegion } = groupWardsByRegion(h, figures as WardCoverageFigures[], q, scope);
  const sum = (ws: WardCoverageFigures[], f: (w: WardCoverageFigures) => number): number => ws.reduce((a, w) => a + f(w), 0);
  const items = groups.map((g) => {
    const ws = g.wards;
    const known = ws.every((w) => w.residents !== null && w.residentsCovered !== null);
    const withResidents = ws.filter((w) => w.residents !== null && w.residentsCovered !== null);
    const a = {
      code: g.code, name: g.name, parentCode: g.parentCode, wards: ws.length,
      areaM2: sum(ws, (w) => w.areaM2), coveredAreaM2: sum(ws, (w) => w.coveredAreaM2),
      residents: sum(withResidents, (w) => w.residents!), residentsCovered: sum(withResidents, (w) => w.residentsCovered!),
      withoutResidents: ws.length - withResidents.length,
      aps: sum(ws, (w) => w.accessPoints), live: sum(ws, (w) => w.liveAccessPoints), unverified: sum(ws, (w) => w.unverifiedAccessPoints), down: sum(ws, (w) => w.downAccessPoints),
    };
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
