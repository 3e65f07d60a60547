/**
 * Reports raise a gap's rank: each gap gets `reports` (citizens' reports whose location lies inside it) and is
 * ranked by `score = rankResidents + REPORT_WEIGHT_RESIDENTS x reports` (rankResidents: the residents, or where a ward's
 * residents are unknown its area at the city's mean density). One report weighs as much as 50 uncovered
 * residents: enough to lift a small, reported gap above an unreported one of similar size, not enough for a
 * handful of reports to outrank a populous gap.
 */
import type { Polygon } from 'geojson';
import { booleanPointInPolygon } from '@turf/turf';
import { reportLocations } from '../../db/planning.ts';
import type { ServiceCtx } from '../../deps.ts';

export const REPORT_WEIGHT_RESIDENTS = 50;

export interface RankableGap {
  wardCode: string;
  residents: number | null;
  /** Residents, or (ward residents unknown) the area at the city's mean density: see geo/coverage/gaps.ts. */
  rankResidents: number;
  areaM2: number;
  geometry: Polygon;
}

export async function rankGapsWithReports<G extends RankableGap>(ctx: ServiceCtx, gaps: readonly G[]): Promise<Array<G & { reports: number; score: number }>> {
  const reports = await reportLocations(ctx.db);
  const byWard = new Map<string, Array<[number, number]>>();
  for (const r of reports) {
    if (r.ward_code === null) continue;
    const list = byWard.get(r.ward_code) ?? [];
    list.push([Number(r.lon), Number(r.lat)]);
    byWard.set(r.ward_code, list);
  }
  const out = gaps.map((g) => {
    // A report is looked for in the gaps of its own ward, then (near a border) in any gap holding it.
    const points = byWard.get(g.wardCode) ?? [];
    let n = 0;
    for (const p of points) if (booleanPointInPolygon(p, g.geometry)) n++;
    return { ...g, reports: n, score: Math.round((g.rankResidents + REPORT_WEIGHT_RESIDENTS * n) * 10) / 10 };
  });
  // Stable: equal scores keep the engine's order (residents, then area).
  return out.map((g, i) => ({ g, i })).sort((a, b) => b.g.score - a.g.score || a.i - b.i).map((x) => x.g);
}
