import { z } from 'zod';

export const wardOut = z.object({
  code: z.string(),
  name: z.string(),
  district: z.string(),
  /** Area on the WGS84 ellipsoid (the same figure the coverage endpoints give). */
  areaM2: z.number(),
  population: z.number().nullable(),
  /** `ward`: counted for this ward; `district-estimate`: a district's count spread over its wards by area. */
  populationSource: z.enum(['ward', 'district-estimate']).nullable(),
  /** The ward's kecamatan and kabupaten/kota codes (GET /api/v1/regions), null when imported without a hierarchy. */
  districtCode: z.string().nullable().optional(),
  cityCode: z.string().nullable().optional(),
  updatedAt: z.string(),
});
export type WardOut = z.infer<typeof wardOut>;

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

export const wardImportQuery = z.object({
  codeProp: z.string().min(1).max(64).default('code'),
  nameProp: z.string().min(1).max(64).default('name'),
  districtProp: z.string().min(1).max(64).default('district'),
  districtCodeProp: z.string().min(1).max(64).optional().describe('The kecamatan code property (e.g. kode_kecamatan): with the others below, the wards are stored with their regions'),
  cityCodeProp: z.string().min(1).max(64).optional().describe('The kabupaten/kota code property (e.g. kode_kota)'),
  cityProp: z.string().min(1).max(64).optional().describe('The kabupaten/kota name property (e.g. kota)'),
  provinceProp: z.string().min(1).max(64).optional().describe('The province name property (e.g. provinsi)'),
  provinceCodeProp: z.string().min(1).max(64).optional().describe('The province code property; without it, the part of the kabupaten/kota code before its first dot'),
  repair: flag
    .default(false)
    .describe('Repair rings that cross or touch themselves (repeated points, spikes, crossings) when that changes a ward\'s area by at most the tolerance; each repair is listed. Features that cannot be repaired are still refused, by name.'),
  repairTolerancePct: z.coerce
    .number()
    .min(0)
    .max(5)
    .default(0.1)
    .describe('Largest change of a ward\'s area a repair may make, % (default 0.1; changes up to 10 m2 are always accepted)'),
});

export const wardRepairOut = z.object({
  feature: z.number().int(),
  code: z.string(),
  name: z.string().nullable(),
  actions: z.array(z.string()),
  areaBeforeM2: z.number(),
  areaAfterM2: z.number(),
});

export const wardImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  total: z.number().int(),
  areaM2: z.number(),
  repairs: z.array(wardRepairOut),
  repairTolerancePct: z.number().nullable(),
  regions: z.object({ provinces: z.number().int(), cities: z.number().int(), districts: z.number().int() }),
});

export const residentsImportQuery = z.object({
  by: z.enum(['ward', 'district']),
  keyColumn: z.string().min(1).max(64),
  valueColumn: z.string().min(1).max(64),
});

export const residentsImportResult = z.object({
  wardsUpdated: z.number().int(),
  residents: z.number().int(),
  estimated: z.boolean(),
});

export const wardListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  district: z.string().max(120).optional(),
});

export const wardCodeParam = z.object({ code: z.string().min(1).max(64) });
