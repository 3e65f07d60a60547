import { z } from 'zod';
import { COUNT_LAYERS, COVERAGE_LAYERS, coverageLayerHelp, DEFAULT_COVERAGE_LAYER } from '../coverage-layers.ts';
import { latitude, longitude } from './common.ts';
import { coverageSpec } from './inventory.ts';

export const coverageLayer = z.enum(COVERAGE_LAYERS).describe(coverageLayerHelp());
/** The layers with a yes/no footprint per access point: gaps, candidates and plans work on these. */
export const countLayer = z.enum(COUNT_LAYERS).describe(coverageLayerHelp(COUNT_LAYERS));

export const coverageQuery = z.object({ layer: coverageLayer.default(DEFAULT_COVERAGE_LAYER) });

/** The map layer: footprints and their union, simplified for a zoom level, cached. */
export const coverageMapQuery = z.object({
  layer: coverageLayer.default(DEFAULT_COVERAGE_LAYER),
  zoom: z.coerce
    .number()
    .int()
    .min(0)
    .max(22)
    .default(14)
    .describe('Web-map zoom the shapes are simplified for (half a pixel at this zoom, never under 1 m); default 14'),
  footprints: z
    .enum(['points', 'polygons', 'none'])
    .default('points')
    .describe('points (default): each omni footprint as a Point with radiusM (sectors as polygons); polygons: every footprint as a polygon; none: the union only'),
});

export const gapsQuery = z.object({
  layer: countLayer.default(DEFAULT_COVERAGE_LAYER),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  minAreaM2: z.coerce.number().min(0).max(1_000_000).optional(),
  wardCode: z.string().max(64).optional(),
  /** Only the gaps inside this region: a province, kabupaten/kota, kecamatan or desa/kelurahan code (issue 17). */
  region: z.string().min(1).max(64).optional(),
});

export const whatIfBody = z
  .object({
    layer: coverageLayer.default(DEFAULT_COVERAGE_LAYER),
    add: z
      .array(
        z.object({
          lat: latitude,
          lon: longitude,
          radiusM: z.number().finite().min(1, 'a radius under 1 m is not a footprint').max(20_000).optional(),
          coverage: coverageSpec.optional(),
        }),
      )
      .max(500)
      .default([]),
    move: z.array(z.object({ deviceId: z.string().min(1).max(64), lat: latitude, lon: longitude })).max(500).default([]),
    remove: z.array(z.string().min(1).max(64)).max(500).default([]),
  })
  .refine((b) => b.add.length + b.move.length + b.remove.length > 0, 'add, move or remove at least one access point');
export type WhatIfBody = z.infer<typeof whatIfBody>;
