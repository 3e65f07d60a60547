import type { CountLayerName, CoverageLayer } from '../../../core/coverage-layers.ts';
import { COVERAGE_LAYER_DEFINITIONS } from '../../../core/coverage-layers.ts';
import type { WhatIfBody } from '../../../core/schemas/coverage.ts';
import type { CoverageEngine, LayerDevices, WhatIfChange } from '../../../geo/coverage/index.ts';
import type { ServiceCtx } from '../../deps.ts';
import { currentCoverageEngine, GAP_SLICING } from './coverage-engine-cache.ts';
import { assertWardSelected, selectWards } from '../regions/region-filter.ts';
import { scopeOf } from '../regions/scope.ts';
import { rankGapsWithReports, REPORT_WEIGHT_RESIDENTS } from '../reports/gap-reports.ts';

/** Which layer an answer used, what it means, and what monitoring knows of the access points behind it. */
export interface LayerInfo {
  layer: CoverageLayer;
  layerDefinition: string;
  devices: LayerDevices;
}

export function layerInfo(engine: CoverageEngine, layer: CoverageLayer): LayerInfo {
  return { layer, layerDefinition: COVERAGE_LAYER_DEFINITIONS[layer], devices: engine.layerDevices(layer) };
}

export async function wardCoverage(ctx: ServiceCtx, layer: CoverageLayer): Promise<unknown> {
  const engine = await currentCoverageEngine(ctx);
  const r = engine.wardFigures(layer);
  const scope = scopeOf(ctx);
  if (scope !== null) {
    // Staff limited to one kabupaten/kota: its wards only, and no city-wide totals that hold others' figures.
    const mine = (await selectWards(ctx, undefined)).wardCodes ?? new Set<string>();
    const { city: _city, outsideCity: _outside, devices: _devices, ...rest } = r;
    return { ...rest, items: r.items.filter((w) => mine.has(w.code)), layerDefinition: COVERAGE_LAYER_DEFINITIONS[layer], warnings: engine.warnings(), scope };
  }
  return { ...r, layerDefinition: COVERAGE_LAYER_DEFINITIONS[layer], warnings: engine.warnings() };
}

/**
 * The gaps to list: every ward, one ward, or the wards of a region of any level (`region`), always inside the
 * caller's kabupaten/kota when their account is limited to one.
 */
export async function gapWardCodes(ctx: ServiceCtx, q: { wardCode?: string | undefined; region?: string | undefined }): Promise<string[] | undefined> {
  const sel = await selectWards(ctx, q.region);
  assertWardSelected(sel, q.wardCode, scopeOf(ctx));
  if (q.wardCode !== undefined) return sel.wardCodes === null || sel.wardCodes.has(q.wardCode) ? [q.wardCode] : [];
  return sel.wardCodes === null ? undefined : [...sel.wardCodes];
}

export async function rankedGaps(ctx: ServiceCtx, q: { layer: CountLayerName; limit: number; minAreaM2?: number | undefined; wardCode?: string | undefined; region?: string | undefined }): Promise<unknown> {
  const wardCodes = await gapWardCodes(ctx, q);
  const engine = await currentCoverageEngine(ctx);
  // Clipped ahead a slice at a time, so a first call does not hold the server (geo/coverage/gaps.ts fillGapPieces).
  await engine.prepareGaps(q.layer, { ...GAP_SLICING, wardCodes });
  // Every gap first, then citizens' reports raise ranks (services/reports/gap-reports.ts), then the limit.
  const r = engine.gaps(q.layer, {
    ...(q.minAreaM2 === undefined ? {} : { minAreaM2: q.minAreaM2 }),
    ...(wardCodes === undefined ? {} : { wardCodes }),
  });
  const items = (await rankGapsWithReports(ctx, r.items)).slice(0, q.limit);
  // A caller limited to one kabupaten/kota is not told what monitoring knows of the devices everywhere.
  const { devices: _devices, ...layerOnly } = layerInfo(engine, q.layer);
  const layer = scopeOf(ctx) === null ? layerInfo(engine, q.layer) : layerOnly;
  return {
    ...layer, ...(q.region === undefined ? {} : { region: q.region }), populationSource: r.populationSource, minAreaM2: r.minAreaM2, totalGaps: r.totalGaps,
    wardsWithoutResidents: r.wardsWithoutResidents, cityDensityPerKm2: Math.round(r.cityDensityPerM2 * 1e6),
    reportWeightResidents: REPORT_WEIGHT_RESIDENTS, items,
  };
}

/** Hypothetical changes, computed on the engine without saving anything. Added points are assumed up. */
export async function whatIf(ctx: ServiceCtx, body: WhatIfBody): Promise<unknown> {
  const engine = await currentCoverageEngine(ctx);
  const changes: WhatIfChange[] = [
    ...body.add.map(
      (a, i): WhatIfChange => ({
        op: 'add',
        device: { id: `what-if-${i + 1}`, lon: a.lon, lat: a.lat, spec: a.coverage ?? (a.radiusM === undefined ? {} : { radiusM: a.radiusM }), up: true, evidence: 'up', availability: 1 },
      }),
    ),
    ...body.move.map((m): WhatIfChange => ({ op: 'move', id: m.deviceId, lon: m.lon, lat: m.lat })),
    ...body.remove.map((id): WhatIfChange => ({ op: 'remove', id })),
  ];
  return { ...engine.whatIf(changes, { layer: body.layer }), ...layerInfo(engine, body.layer) };
}
