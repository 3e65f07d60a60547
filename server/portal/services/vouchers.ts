/** Voucher batches: codes without look-alike letters, a validity and quota profile, and a printable sheet. */
import { AppError } from '../../../core/errors.ts';
import type { VoucherBatchBody } from '../../../core/schemas/portal.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { findVoucherBatch, insertVoucherBatch, listVoucherBatches, listVouchersOfBatch, type VoucherBatchRow, type VoucherRow } from '../queries/vouchers.ts';
import { findPortalHotspot } from '../queries/hotspots.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { formatVoucherCode, newVoucherCode } from '../pure/voucher-code.ts';
import { recordAudit } from '../../services/audit/record-audit.ts';
import { VOUCHER_PURPOSE } from './sign-in.ts';

const CODE_SEAL_PURPOSE = 'portal-voucher-code';

function batchOut(b: VoucherBatchRow & { redeemed?: number; revoked?: number }): Record<string, unknown> {
  return {
    id: b.id,
    name: b.name,
    hotspotId: b.hotspot_id,
    count: b.count,
    redeemed: b.redeemed ?? 0,
    revoked: b.revoked ?? 0,
    ssid: b.ssid ?? null,
    priceIdr: b.price_idr ?? null,
    loginHost: b.login_host ?? null,
    validityS: b.validity_s,
    timeQuotaS: b.time_quota_s,
    dataQuotaBytes: Number(b.data_quota_bytes),
    createdAt: b.created_at,
    expiresAt: isoAt(Number(b.expires_at)),
  };
}

export async function createVoucherBatch(ctx: ServiceCtx, body: VoucherBatchBody): Promise<Record<string, unknown>> {
  const hotspot = body.hotspotId === null ? undefined : await findPortalHotspot(ctx.db, body.hotspotId);
  if (body.hotspotId !== null && hotspot === undefined) throw new AppError('validation_failed', 'no such hotspot');
  const now = ctx.clock.nowMs();
  const batch: VoucherBatchRow = {
    id: newId(),
    name: body.name,
    hotspot_id: body.hotspotId,
    validity_s: body.validityS,
    time_quota_s: body.timeQuotaS,
    data_quota_bytes: body.dataQuotaBytes,
    count: body.count,
    created_by: ctx.actor?.userId ?? null,
    created_at: isoAt(now),
    expires_at: now + body.expiresInDays * 86_400_000,
    ssid: body.ssid ?? hotspot?.ssid ?? null,
    price_idr: body.priceIdr === 0 ? null : body.priceIdr,
    login_host: body.loginHost,
  };
  const seen = new Set<string>();
  const vouchers: VoucherRow[] = [];
  while (vouchers.length < body.count) {
    const code = newVoucherCode();
    if (seen.has(code)) continue;
    seen.add(code);
    vouchers.push({
      id: newId(),
      batch_id: batch.id,
      code_hash: await ctx.secrets.keyedHash(code, VOUCHER_PURPOSE),
      code_sealed: await ctx.secrets.seal(code, CODE_SEAL_PURPOSE),
      seq: vouchers.length + 1,
      citizen_id: null,
      redeemed_at: null,
      valid_until: null,
    });
  }
  await inTransaction(ctx, async (trx) => {
    await insertVoucherBatch(trx, batch, vouchers);
    await recordAudit(ctx, trx, { action: 'create', entity: 'portal_voucher_batch', entityId: batch.id, detail: { count: body.count } });
  });
  return batchOut(batch);
}

export async function listBatches(ctx: ServiceCtx, page: { limit: number; offset: number }): Promise<{ items: Record<string, unknown>[] }> {
  return { items: (await listVoucherBatches(ctx.db, page)).map(batchOut) };
}

export interface VoucherSheetEntry {
  seq: number;
  code: string;
  redeemed: boolean;
  revoked: boolean;
}

/** The batch with its codes opened, for printing. Audited: printing hands out credentials. */
export async function voucherSheet(ctx: ServiceCtx, batchId: string): Promise<{ batch: VoucherBatchRow; entries: VoucherSheetEntry[]; loginHost: string | null }> {
  const batch = await findVoucherBatch(ctx.db, batchId);
  if (batch === undefined) throw new AppError('not_found', 'no such voucher batch');
  const rows = await listVouchersOfBatch(ctx.db, batchId);
  const entries: VoucherSheetEntry[] = [];
  for (const r of rows) {
    entries.push({ seq: r.seq, code: formatVoucherCode(await ctx.secrets.open(r.code_sealed, CODE_SEAL_PURPOSE)), redeemed: r.redeemed_at !== null, revoked: r.revoked_at !== null && r.revoked_at !== undefined });
  }
  const hotspot = batch.hotspot_id === null ? undefined : await findPortalHotspot(ctx.db, batch.hotspot_id);
  await recordAudit(ctx, ctx.db, { action: 'print', entity: 'portal_voucher_batch', entityId: batchId });
  return { batch, entries, loginHost: batch.login_host ?? hotspot?.server_address ?? null };
}
