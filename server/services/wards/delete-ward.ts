/**
 * Deleting a ward (issue 10, item 12): refused while sites (and so devices) lie in it, unless forced; forced, the
 * ward goes and its sites are placed again by the one "which ward" rule over the wards that remain (the nearest
 * within 25 m, else none: outside the city). One transaction, audited with what was moved.
 */
import { AppError } from '../../../core/errors.ts';
import { setSiteWard } from '../../db/sites.ts';
import { inTransaction } from '../../db/tx.ts';
import { findWard } from '../../db/wards.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { loadWardLocator } from './load-ward-locator.ts';

export interface WardDeleted {
  code: string;
  /** Sites that lay in the ward, placed again. */
  sites: number;
  /** Devices at those sites. */
  devices: number;
}

export async function deleteWard(ctx: ServiceCtx, code: string, options: { force: boolean }): Promise<WardDeleted> {
  return inTransaction(ctx, async (trx) => {
    const ward = await findWard(trx, code);
    if (ward === undefined) throw new AppError('not_found', `no ward ${code}`);
    const sites = await trx.selectFrom('sites').select(['id', 'lat', 'lon']).where('ward_code', '=', code).execute();
    const devices =
      sites.length === 0
        ? 0
        : Number(
            (await trx.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', 'in', sites.map((s) => s.id)).executeTakeFirstOrThrow()).n,
          );
    if (sites.length > 0 && !options.force) {
      throw new AppError(
        'conflict',
        `ward ${code} (${ward.name}) still holds ${sites.length} site(s) and ${devices} device(s); move them first, or delete with force=true to place them again by the remaining wards`,
        { reason: 'ward.notEmpty', params: { code, name: ward.name, sites: sites.length, devices } },
      );
    }
    await trx.deleteFrom('wards').where('code', '=', code).execute();
    if (sites.length > 0) {
      const locator = await loadWardLocator(trx);
      for (const s of sites) await setSiteWard(trx, s.id, locator.locate(Number(s.lon), Number(s.lat)));
    }
    await recordAudit(ctx, trx, { action: 'delete', entity: 'ward', entityId: code, detail: { name: ward.name, sites: sites.length, devices, forced: options.force } });
    return { code, sites: sites.length, devices };
  });
}
