/**
 * A saved plan's sites for people and GIS tools: CSV (one row per site, in the planner's order, spreadsheet-safe) and
 * GeoJSON (points with the same fields as properties, plan name and figures on the collection). File names carry the
 * plan's name and date so a download folder stays readable.
 */
import { toCsv } from '../../../core/csv.ts';
import type { ServiceCtx } from '../../deps.ts';
import { getPlan, type PlanOut } from './plans.ts';

const COLUMNS = ['rank', 'name', 'lat', 'lon', 'wardCode', 'kind', 'generated', 'cost', 'marginalResidents', 'cumulativeResidents', 'reason', 'candidateId'] as const;

export function planFileName(plan: PlanOut, ext: 'csv' | 'geojson'): string {
  const slug = plan.name.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || 'rencana';
  return `jangkau-rencana-${slug}-${plan.createdAt.slice(0, 10)}.${ext}`;
}

export async function planCsv(ctx: ServiceCtx, id: string): Promise<{ plan: PlanOut; text: string }> {
  const plan = await getPlan(ctx, id);
  const text = toCsv(
    plan.sites.map((s) => ({ ...s })),
    { columns: COLUMNS },
  );
  return { plan, text };
}

export async function planGeoJson(ctx: ServiceCtx, id: string): Promise<{ plan: PlanOut; collection: Record<string, unknown> }> {
  const plan = await getPlan(ctx, id);
  return {
    plan,
    collection: {
      type: 'FeatureCollection',
      name: plan.name,
      plan: { id: plan.id, name: plan.name, createdAt: plan.createdAt, layer: plan.layer, radiusM: plan.radiusM, newResidents: plan.newResidents, totalCost: plan.totalCost, gapPct: plan.gapPct },
      features: plan.sites.map((s) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
        properties: Object.fromEntries(COLUMNS.filter((c) => c !== 'lat' && c !== 'lon').map((c) => [c, s[c]])),
      })),
    },
  };
}
