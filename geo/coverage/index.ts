/** Coverage and gaps: pure geometry, no I/O, no clock. See README.md. */
export { COUNT_LAYERS, COVERAGE_LAYERS, COVERAGE_LAYER_DEFINITIONS } from './types.ts';
export type { CountLayerName, CoverageDevice, CoverageLayer, CoverageWard, Evidence } from './types.ts';
export { CoverageEngine, createCoverageEngine } from './coverage-engine.ts';
export type { CoverageEngineOptions, DeviceChangeResult, DeviceIssue } from './coverage-engine.ts';
export type { CityFigures, LayerDevices, OutsideCityFigures, PopulationSource, ResidentsReason, WardCoverageFigures, WardFiguresResult } from './figures.ts';
export type { Gap, GapOptions, GapReport, GapSlicing, WardGapSummary } from './gaps.ts';
export type { WardDelta, WhatIfChange, WhatIfResult } from './what-if.ts';
export type { PopulationGridInput, PopulationGridOptions } from './population-grid.ts';
export {
  DEFAULT_CAP_RADIUS_M, LINK_BUDGET_DEFAULTS, MAX_RADIUS_M, PATH_LOSS_EXPONENT, PROFILE_RADIUS_M,
  freeSpaceLossAt1mDb, linkBudgetRadiusM, resolveRadius,
} from './footprint-radius.ts';
export type { RadiusOptions, RadiusResult } from './footprint-radius.ts';
export { footprintPolygon } from './footprint-polygon.ts';
export { createProjection } from './projection.ts';
export type { Projection } from './projection.ts';
export { randomBetween, seededRandom } from '../../core/seeded-random.ts';
export type { RandomSource } from '../../core/seeded-random.ts';
export { randomPointInWard, seededDevices, syntheticCity, syntheticWards } from './synthetic.ts';
export type { SeededDeviceOptions, SyntheticCityOptions, SyntheticWardsOptions } from './synthetic.ts';
