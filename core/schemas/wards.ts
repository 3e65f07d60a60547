import { z } from 'zod';

export const wardOut = z.object({
  code: z.string(),
  name: z.string(),
  district: z.string(),
  areaM2: z.number(),
  population: z.number().nullable(),
  /** `ward`: counted for this ward; `district-estimate`: a district's count spread over its wards by area. */
  populationSource: z.enum(['ward', 'district-estimate']).nullable(),
  updatedAt: z.string(),
});
export type WardOut = z.infer<typeof wardOut>;

export const wardImportQuery = z.object({
  codeProp: z.string().min(1).max(64).default('code'),
  nameProp: z.string().min(1).max(64).default('name'),
  districtProp: z.string().min(1).max(64).default('district'),
});

export const wardImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  total: z.number().int(),
  areaM2: z.number(),
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
