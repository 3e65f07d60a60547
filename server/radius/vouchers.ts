/**
 * Revoking vouchers (a lost or abused sheet): revoked codes sign nobody in again (portal or RADIUS), the running
 * grants of the citizens who used them end (their router users are swept), and their RADIUS sessions are sent a
 * Disconnect-Request.
 */
import { AppError } from '../../core/errors.ts';
import { findVoucherBatch } from '../portal/queries/vouchers.ts';
import { expireGrantsOfCitizen, revokeVouchers } from '../portal/queries/nas.ts';
import { inTransaction } from '../db/tx.ts';
import type { ServiceCtx } from '../deps.ts';
import { normalizeVoucherCode } from '../portal/pure/voucher-code.ts';
import { recordAudit } from '../services/audit/record-audit.ts';
import { VOUCHER_PURPOSE } from '../portal/services/sign-in.ts';
import { disconnectCitizen } from './coa-queue.ts';

export async function revokeVoucherBatch(ctx: ServiceCtx, batchId: string, select: { seqs?: number[]; codes?: string[] }): Promise<{ revoked: number; disconnects: number }> {
  if ((await findVoucherBatch(ctx.db, batchId)) === undefined) throw new AppError('not_found', 'no such voucher batch');
  let codeHashes: string[] | undefined;
  if (select.codes !== undefined) {
    codeHashes = [];
    for (const c of select.codes) {
      const code = normalizeVoucherCode(c);
      if (code === null) throw new AppError('validation_failed', `not a voucher code: ${c.slice(0, 12)}`);
      codeHashes.push(await ctx.secrets.keyedHash(code, VOUCHER_PURPOSE));
    }
  }
  const now = ctx.clock.nowMs();
  return inTransaction(ctx, async (trx) => {
    const r = await revokeVouchers(trx, batchId, { ...(select.seqs === undefined ? {} : { seqs: select.seqs }), ...(codeHashes === undefined ? {} : { codeHashes }) }, now);
    let disconnects = 0;
    for (const citizenId of r.citizenIds) {
      await expireGrantsOfCitizen(trx, citizenId, now);
      disconnects += await disconnectCitizen(ctx, trx, citizenId, 'voucher_revoked');
    }
    await recordAudit(ctx, trx, { action: 'revoke', entity: 'portal_voucher_batch', entityId: batchId, detail: { revoked: r.revoked, disconnects } });
    return { revoked: r.revoked, disconnects };
  });
}
