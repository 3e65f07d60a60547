import { z } from 'zod';
import { DEFAULT_COVERAGE_LAYER } from '../coverage-layers.ts';
import { coverageLayer } from './coverage.ts';

/**
 * Levels of the region hierarchy as the API names them (Kemendagri's): `provinsi`, `kota` (kabupaten or kota),
 * `kecamatan`, `desa` (desa or kelurahan: the wards themselves).
 */
export const REGION_LEVELS = ['provinsi', 'kota', 'kecamatan', 'desa'] as const;
export type RegionLevelName = (typeof REGION_LEVELS)[number];

export const regionCoverageQuery = z.object({
  level: z.enum(REGION_LEVELS),
  layer: coverageLayer.default(DEFAULT_COVERAGE_LAYER),
  /** Only the regions inside this one (e.g. the kecamatan of one kabupaten). */
  parent: z.string().min(1).max(64).optional(),
});

export const regionListQuery = z.object({ level: z.enum(REGION_LEVELS).optional(), parent: z.string().min(1).max(64).optional() });

export const regionOut = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  wards: z.number().int(),
});

export const regionPageOut = z.object({ items: z.array(regionOut), total: z.number().int() });

export const regionCoverageItemOut = regionOut.extend({
  areaM2: z.number(),
  coveredAreaM2: z.number(),
  coveredPct: z.number(),
  /** null when any ward inside has no residents figure (then `residentsReason` and `wardsWithoutResidents`). */
  residents: z.number().nullable(),
  residentsCovered: z.number().nullable(),
  residentsCoveredPct: z.number().nullable(),
  residentsReason: z.enum(['not-imported', 'partial']).optional(),
  wardsWithoutResidents: z.number().int(),
  accessPoints: z.number().int(),
  liveAccessPoints: z.number().int(),
  unverifiedAccessPoints: z.number().int(),
  downAccessPoints: z.number().int(),
});

export const regionCoverageOut = z.object({
  level: z.enum(REGION_LEVELS),
  layer: z.string(),
  layerDefinition: z.string(),
  items: z.array(regionCoverageItemOut),
  /** Wards imported without a hierarchy: counted in no region above the ward. */
  wardsWithoutRegion: z.number().int(),
});
export type RegionCoverageOut = z.infer<typeof regionCoverageOut>;

export const regionKpisQuery = z.object({ level: z.enum(REGION_LEVELS), parent: z.string().min(1).max(64).optional() });

const kpiValueOut = z.looseObject({
  key: z.string(), label: z.string(), value: z.number().nullable(), target: z.number().nullable(), unit: z.string(), status: z.string(),
  reason: z.string().optional(), note: z.string().optional(), observedSince: z.string().optional(),
});

export const regionKpisOut = z.object({
  asOf: z.string(),
  periodDays: z.number(),
  level: z.enum(REGION_LEVELS),
  items: z.array(regionOut.extend({ kpis: z.array(kpiValueOut) })),
  wardsWithoutRegion: z.number().int(),
});
