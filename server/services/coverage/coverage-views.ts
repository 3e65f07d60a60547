import type { WhatIfBody } from '../../../core/schemas/coverage.ts';
import type { CoverageLayer, WhatIfChange } from '../../../geo/coverage/index.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine } from './coverage-engine-cache.ts';
import { rankGapsWithReports, REPORT_WEIGHT_RESIDENTS } from '../reports/gap-reports.ts';

export async function wardCoverage(ctx: ServiceCtx, layer: CoverageLayer): Promise<unknown> {
  const engine = await currentCoverageEngine(ctx);
  const r = engine.wardFigures(layer);
  return { ...r, warnings: engine.warnings() };
}

export async function coverageGeoJson(ctx: ServiceCtx, layer: CoverageLayer): Promise<unknown> {
  const engine = await currentCoverageEngine(ctx);
  const fps = engine.footprints(layer);
  const union = engine.footprintUnion(layer);
  return {
    type: 'FeatureCollection',
    layer,
    features: [...fps.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'footprint' } })), ...union.features.map((f) => ({ ...f, properties: { ...f.properties, kind: 'union' } }))],
  };
}

export async function rankedGaps(ctx: ServiceCtx, q: { layer: Exclude<CoverageLayer, 'expected'>; limit: number; minAreaM2?: number | undefined; wardCode?: string | undefined }): Promise<unknown> {
  const engine = await currentCoverageEngine(ctx);
  // Every gap first, then citizens' reports raise ranks (services/reports/gap-reports.ts), then the limit.
  const r = engine.gaps(q.layer, {
    ...(q.minAreaM2 === undefined ? {} : { minAreaM2: q.minAreaM2 }),
    ...(q.wardCode === undefined ? {} : { wardCodes: [q.wardCode] }),
  });
  const items = (await rankGapsWithReports(ctx, r.items)).slice(0, q.limit);
  return { layer: q.layer, populationSource: r.populationSource, minAreaM2: r.minAreaM2, totalGaps: r.totalGaps, reportWeightResidents: REPORT_WEIGHT_RESIDENTS, items };
}

/** Hypothetical changes, computed on the engine without saving anything. Added points are assumed up. */
export async function whatIf(ctx: ServiceCtx, body: WhatIfBody): Promise<unknown> {
  const engine = await currentCoverageEngine(ctx);
  const changes: WhatIfChange[] = [
    ...body.add.map(
      (a, i): WhatIfChange => ({
        op: 'add',
        device: { id: `what-if-${i + 1}`, lon: a.lon, lat: a.lat, spec: a.coverage ?? (a.radiusM === undefined ? {} : { radiusM: a.radiusM }), up: true, availability: 1 },
      }),
    ),
    ...body.move.map((m): WhatIfChange => ({ op: 'move', id: m.deviceId, lon: m.lon, lat: m.lat })),
    ...body.remove.map((id): WhatIfChange => ({ op: 'remove', id })),
  ];
  return engine.whatIf(changes, { layer: body.layer });
}
