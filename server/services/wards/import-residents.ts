import { parseCsv } from '../../../core/csv.ts';
import { isoAt } from '../../../core/time.ts';
import { spreadResidents } from '../../../geo/wards/index.ts';
import { inTransaction } from '../../db/tx.ts';
import { listAllWards, setWardPopulation } from '../../db/wards.ts';
import type { ServiceCtx } from '../../deps.ts';
import { AppError } from '../../../core/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';

/**
 * Residents from a CSV, per ward (`by=ward`, keyed by ward code) or per district (`by=district`, keyed by district
 * name; spread over the district's wards in proportion to area, marked `district-estimate`). All or nothing.
 */
export async function importResidents(
  ctx: ServiceCtx,
  text: string,
  options: { by: 'ward' | 'district'; keyColumn: string; valueColumn: string },
): Promise<{ wardsUpdated: number; residents: number; estimated: boolean; wardsWithoutResidents: string[] }> {
  const table = parseCsv(text, { maxRows: 100_000 });
  const wards = await listAllWards(ctx.db);
  if (wards.length === 0) throw new AppError('conflict', 'import the wards before their residents');
  const r = spreadResidents(
    wards.map((w) => ({ code: w.code, district: w.district, areaM2: w.area_m2 })),
    table,
    options,
  );
  const now = isoAt(ctx.clock.nowMs());
  let wardsUpdated = 0;
  await inTransaction(ctx, async (trx) => {
    for (const w of r.wards) {
      if (w.population === null) continue;
      await setWardPopulation(trx, w.code, w.population, w.populationSource, now);
      wardsUpdated++;
    }
    await recordAudit(ctx, trx, { action: 'import-residents', entity: 'ward', entityId: null, detail: { by: options.by, residents: r.residents } });
  });
  return { wardsUpdated, residents: r.residents, estimated: r.estimated, wardsWithoutResidents: r.wardsWithoutResidents };
}
