/** Voucher batches and their codes (sealed for printing, keyed-hashed for look-up). */
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalVoucherBatchesTable, type PortalVouchersTable } from './types.ts';

export type VoucherBatchRow = PortalVoucherBatchesTable;
export type VoucherRow = PortalVouchersTable;

export async function insertVoucherBatch(db: Executor, batch: VoucherBatchRow, vouchers: VoucherRow[]): Promise<void> {
  const p = portalDb(db);
  await p.insertInto('portal_voucher_batches').values(batch).execute();
  for (let i = 0; i < vouchers.length; i += 50) await p.insertInto('portal_vouchers').values(vouchers.slice(i, i + 50)).execute();
}

export async function findVoucherBatch(db: Executor, id: string): Promise<VoucherBatchRow | undefined> {
  return portalDb(db).selectFrom('portal_voucher_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listVoucherBatches(db: Executor, options: { limit: number; offset: number }): Promise<Array<VoucherBatchRow & { redeemed: number; revoked: number }>> {
  const p = portalDb(db);
  const batches = await p.selectFrom('portal_voucher_batches').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(options.limit).offset(options.offset).execute();
  if (batches.length === 0) return [];
  const counts = await p
    .selectFrom('portal_vouchers')
    .select(['batch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batches.map((b) => b.id))
    .where('redeemed_at', 'is not', null)
    .groupBy('batch_id')
    .execute();
  const byBatch = new Map(counts.map((c) => [c.batch_id, Number(c.n)]));
  const revokedCounts = await p
    .selectFrom('portal_vouchers')
    .select(['batch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('batch_id', 'in', batches.map((b) => b.id))
    .where('revoked_at', 'is not', null)
    .groupBy('batch_id')
    .execute();
  const revoked = new Map(revokedCounts.map((c) => [c.batch_id, Number(c.n)]));
  return batches.map((b) => ({ ...b, redeemed: byBatch.get(b.id) ?? 0, revoked: revoked.get(b.id) ?? 0 }));
}

export async function listVouchersOfBatch(db: Executor, batchId: string): Promise<VoucherRow[]> {
  return portalDb(db).selectFrom('portal_vouchers').selectAll().where('batch_id', '=', batchId).orderBy('seq').execute();
}

export async function findVoucherByHash(db: Executor, codeHash: string): Promise<(VoucherRow & { batch: VoucherBatchRow }) | undefined> {
  const p = portalDb(db);
  const v = await p.selectFrom('portal_vouchers').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  if (v === undefined) return undefined;
  const batch = await p.selectFrom('portal_voucher_batches').selectAll().where('id', '=', v.batch_id).executeTakeFirst();
  return batch === undefined ? undefined : { ...v, batch };
}

/** Redeems an unused voucher for this citizen; false when it was already redeemed (no replay, even in a race). */
export async function redeemVoucher(db: Executor, id: string, citizenId: string, nowMs: number, validUntilMs: number): Promise<boolean> {
  const r = await portalDb(db)
    .updateTable('portal_vouchers')
    .set({ citizen_id: citizenId, redeemed_at: nowMs, valid_until: validUntilMs })
    .where('id', '=', id)
    .where('redeemed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
