import { z } from 'zod';
import { latitude, longitude } from './common.ts';
import { coverageSpec } from './inventory.ts';

export const coverageLayer = z.enum(['planned', 'live', 'reliable', 'expected']);

export const coverageQuery = z.object({ layer: coverageLayer.default('live') });

export const gapsQuery = z.object({
  layer: z.enum(['planned', 'live', 'reliable']).default('live'),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  minAreaM2: z.coerce.number().min(0).max(1_000_000).optional(),
  wardCode: z.string().max(64).optional(),
});

export const whatIfBody = z
  .object({
    layer: coverageLayer.default('planned'),
    add: z
      .array(
        z.object({
          lat: latitude,
          lon: longitude,
          radiusM: z.number().finite().positive().max(20_000).optional(),
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
