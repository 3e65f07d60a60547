import { createWardLocator, type WardGeometry, type WardLocator } from '../../../geo/wards/index.ts';
import { listAllWards } from '../../db/wards.ts';
import type { Executor } from '../../db/types.ts';

/** A point-to-ward locator over the wards stored now. */
export async function loadWardLocator(db: Executor): Promise<WardLocator> {
  const rows = await listAllWards(db);
  return createWardLocator(
    rows.map((r) => ({
      code: r.code,
      geometry: JSON.parse(r.geometry) as WardGeometry,
      bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat] as const,
    })),
  );
}
