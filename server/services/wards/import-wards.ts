import { isoAt } from '../../../core/time.ts';
import { parseWardFile, REPAIR_TOLERANCE_PCT_DEFAULT, type WardPropertyNames, type WardRepairReport } from '../../../geo/wards/index.ts';
import { listAllSiteLocations, setSiteWard } from '../../db/sites.ts';
import { inTransaction } from '../../db/tx.ts';
import { existingWardCodes, insertWard, updateWardShape } from '../../db/wards.ts';
import { setWardRegions, upsertRegions, type RegionRow } from '../../db/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { loadWardLocator } from './load-ward-locator.ts';

export interface ImportWardsResult {
  created: number;
  updated: number;
  total: number;
  areaM2: number;
  /** Features repaired (with `repair`): feature, code, what was done, area before and after. */
  repairs: WardRepairReport[];
  repairTolerancePct: number | null;
  /** Regions above the wards stored with this file (issue 17): provinces, kabupaten/kota, kecamatan; 0 without a hierarchy. */
  regions: { provinces: number; cities: number; districts: number };
}

export interface ImportWardsOptions extends WardPropertyNames {
  repair?: boolean;
  repairTolerancePct?: number;
}

/**
 * Imports a GeoJSON FeatureCollection of wards. The whole file is validated first (every fault named; with `repair`,
 * rings that cross themselves are repaired within the tolerance and each repair is listed); then, in one
 * transaction, wards are inserted or updated by code (residents kept), and every site is placed again, since a
 * border may have moved.
 */
export async function importWards(ctx: ServiceCtx, text: string, options: ImportWardsOptions): Promise<ImportWardsResult> {
  const repairTolerancePct = options.repair === true ? (options.repairTolerancePct ?? REPAIR_TOLERANCE_PCT_DEFAULT) : null;
  const { wards, repairs } = parseWardFile(text, options, repairTolerancePct === null ? {} : { repair: { pct: repairTolerancePct } });
  const now = isoAt(ctx.clock.nowMs());
  return inTransaction(ctx, async (trx) => {
    const existing = await existingWardCodes(trx);
    let created = 0;
    let updated = 0;
    for (const w of wards) {
      const shape = {
        name: w.name,
        district: w.district,
        geometry: JSON.stringify(w.geometry),
        area_m2: w.areaM2,
        min_lon: w.bbox[0],
        min_lat: w.bbox[1],
        max_lon: w.bbox[2],
        max_lat: w.bbox[3],
        updated_at: now,
      };
      if (existing.has(w.code)) {
        await updateWardShape(trx, w.code, shape);
        updated++;
      } else {
        await insertWard(trx, { code: w.code, ...shape, population: null, population_source: null, created_at: now });
        created++;
      }
    }
    const regionRows = new Map<string, RegionRow>();
    for (const w of wards) {
      const r = w.region;
      if (r === undefined) continue;
      const base = { created_at: now, updated_at: now };
      regionRows.set(r.provinceCode, { code: r.provinceCode, level: 'province', name: r.provinceName, parent_code: null, ...base });
      regionRows.set(r.cityCode, { code: r.cityCode, level: 'city', name: r.cityName, parent_code: r.provinceCode, ...base });
      regionRows.set(r.districtCode, { code: r.districtCode, level: 'district', name: r.districtName, parent_code: r.cityCode, ...base });
    }
    await upsertRegions(trx, [...regionRows.values()]);
    for (const w of wards) if (w.region !== undefined) await setWardRegions(trx, w.code, w.region.districtCode, w.region.cityCode);
    const count = (level: string): number => [...regionRows.values()].filter((r) => r.level === level).length;
    const regions = { provinces: count('province'), cities: count('city'), districts: count('district') };
    const locator = await loadWardLocator(trx);
    for (const s of await listAllSiteLocations(trx)) {
      const code = locator.locate(s.lon, s.lat);
      if (code !== s.ward_code) await setSiteWard(trx, s.id, code);
    }
    const areaM2 = wards.reduce((a, w) => a + w.areaM2, 0);
    await recordAudit(ctx, trx, { action: 'import', entity: 'ward', entityId: null, detail: { created, updated, features: wards.length, repaired: repairs.map((r) => r.code), regions } });
    return { created, updated, total: existing.size + created, areaM2, repairs, repairTolerancePct, regions };
  });
}
