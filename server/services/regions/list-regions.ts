import type { RegionLevelName } from '../../../core/schemas/regions.ts';
import type { ServiceCtx } from '../../deps.ts';
import { assertLevelInScope, loadHierarchy, regionCodeAt } from './region-filter.ts';

const LEVEL_OF_DB: Record<string, RegionLevelName> = { province: 'provinsi', city: 'kota', district: 'kecamatan' };

/** The regions above the ward with their parent and how many wards each holds; a scoped caller sees theirs only. */
export async function listRegionPage(ctx: ServiceCtx, q: { level?: RegionLevelName | undefined; parent?: string | undefined }): Promise<{ items: { code: string; name: string; level: RegionLevelName; parentCode: string | null; wards: number }[]; total: number }> {
  const scope = q.level === undefined ? null : assertLevelInScope(ctx, q.level);
  const { places, regions } = await loadHierarchy(ctx);
  const counts = new Map<string, number>();
  for (const p of places.values()) for (const level of ['provinsi', 'kota', 'kecamatan'] as const) {
    const code = regionCodeAt(p, level);
    if (code !== null) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const cityOf = (code: string): string | null => {
    const r = regions.get(code);
    if (r === undefined) return null;
    if (r.level === 'city') return r.code;
    if (r.level === 'district') return r.parent_code;
    return null;
  };
  const actorScope = scope ?? ctx.actor?.scopeCityCode ?? null;
  const items = [...regions.values()]
    .filter((r) => LEVEL_OF_DB[r.level] !== undefined)
    .filter((r) => q.level === undefined || LEVEL_OF_DB[r.level] === q.level)
    .filter((r) => q.parent === undefined || r.parent_code === q.parent)
    .filter((r) => actorScope === null || cityOf(r.code) === actorScope)
    .map((r) => ({ code: r.code, name: r.name, level: LEVEL_OF_DB[r.level]!, parentCode: r.parent_code, wards: counts.get(r.code) ?? 0 }));
  return { items, total: items.length };
}
