import { z } from 'zod';
import { DEFAULT_COVERAGE_LAYER } from '../coverage-layers.ts';
import { countLayer, coverageLayer } from './coverage.ts';

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

const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time');

export const regionGapsQuery = z.object({
  level: z.enum(REGION_LEVELS),
  layer: countLayer.default(DEFAULT_COVERAGE_LAYER),
  parent: z.string().min(1).max(64).optional(),
  minAreaM2: z.coerce.number().min(0).max(1_000_000).optional(),
});

export const regionGapsOut = z.object({
  level: z.enum(REGION_LEVELS),
  layer: z.string(),
  layerDefinition: z.string(),
  minAreaM2: z.number(),
  items: z.array(
    regionOut.extend({
      gaps: z.number().int(),
      uncoveredAreaM2: z.number(),
      /** Uncovered pieces smaller than minAreaM2: not listed as gaps, their area counted here. */
      sliverAreaM2: z.number(),
      /** Estimated residents in the listed gaps; null when a ward with gaps has no residents figure (residentsReason). */
      residentsInGaps: z.number().nullable(),
      residentsReason: z.enum(['not-imported', 'partial']).optional(),
      largestGap: z.object({ wardCode: z.string(), wardName: z.string(), areaM2: z.number(), residents: z.number().nullable(), centroid: z.tuple([z.number(), z.number()]) }).nullable(),
    }),
  ),
  wardsWithoutRegion: z.number().int(),
});

export const regionAvailabilityQuery = z.object({
  level: z.enum(REGION_LEVELS),
  parent: z.string().min(1).max(64).optional(),
  from: isoInstant.optional(),
  to: isoInstant.optional(),
});

export const regionAvailabilityOut = z.object({
  level: z.enum(REGION_LEVELS),
  from: z.string(),
  to: z.string(),
  items: z.array(
    regionOut.extend({
      /** 0..100 over the time the region's devices were observed; null (with reason) when none was. */
      percent: z.number().nullable(),
      reason: z.enum(['no-devices', 'never-observed']).optional(),
      devices: z.number().int(),
      devicesWithData: z.number().int(),
      upS: z.number(),
      downS: z.number(),
      observedS: z.number(),
      incidents: z.number().int(),
      openIncidents: z.number().int(),
      mttrS: z.number().nullable(),
    }),
  ),
  wardsWithoutRegion: z.number().int(),
});

export const regionReportsQuery = z.object({ level: z.enum(REGION_LEVELS), parent: z.string().min(1).max(64).optional() });

export const regionReportsOut = z.object({
  level: z.enum(REGION_LEVELS),
  items: z.array(regionOut.extend({ reports: z.number().int(), new: z.number().int(), seen: z.number().int(), planned: z.number().int(), resolved: z.number().int() })),
  wardsWithoutRegion: z.number().int(),
});
