/**
 * The periodic check of RADIUS sessions (every minute where the RADIUS server runs): a citizen whose daily time or
 * data, or whose voucher's quota or validity, is used up across all their devices is disconnected (the gateway's
 * own Session-Timeout covers one device; this covers the sum, and vendors without a quota attribute); a voucher
 * revoked meanwhile too. A session the NAS went silent about (no Interim-Update for `silentAfterMs`) lost its Stop
 * and is ended at its last figures.
 */
import type { PortalHotspotRow } from '../portal/queries/hotspots.ts';
import { findUsageSession } from '../portal/queries/nas.ts';
import { listOpenRadiusSessions, listSilentRadiusSessions, updateRadiusSession, type OpenRadiusSession } from '../db/radius.ts';
import { inTransaction } from '../db/tx.ts';
import type { ServiceCtx } from '../deps.ts';
import { allowanceOf, updateNasUsage, type NasRefusal } from '../portal/services/nas-access.ts';
import { queueCoa, type CoaReason } from './coa-queue.ts';

const REASON: Partial<Record<NasRefusal, CoaReason>> = { quota_time: 'quota_time', quota_data: 'quota_data', expired: 'expired', revoked: 'voucher_revoked' };

export async function enforceRadiusLimits(
  ctx: ServiceCtx,
  hotspotOf: (id: string) => Promise<PortalHotspotRow | undefined>,
  options: { silentAfterMs?: number } = {},
): Promise<{ checked: number; queued: number; ended: number }> {
  let checked = 0;
  let queued = 0;
  const byCitizen = new Map<string, OpenRadiusSession[]>();
  let afterId: string | undefined;
  for (;;) {
    const page = await listOpenRadiusSessions(ctx.db, { limit: 500, ...(afterId === undefined ? {} : { afterId }) });
    if (page.length === 0) break;
    for (const s of page) {
      if (s.citizen_id === null) continue;
      const list = byCitizen.get(s.citizen_id) ?? [];
      list.push(s);
      byCitizen.set(s.citizen_id, list);
    }
    afterId = page[page.length - 1]!.id;
    if (page.length < 500) break;
  }
  for (const [citizenId, sessions] of byCitizen) {
    checked += sessions.length;
    const hotspot = await hotspotOf(sessions[0]!.hotspot_id);
    if (hotspot === undefined) continue;
    const left = await allowanceOf(ctx, hotspot, citizenId);
    if (left.ok) continue;
    const reason = REASON[left.refusal];
    if (reason === undefined) continue;
    for (const s of sessions) if ((await queueCoa(ctx, ctx.db, s.id, 'disconnect', reason)) !== null) queued++;
  }

  let ended = 0;
  const silent = await listSilentRadiusSessions(ctx.db, ctx.clock.nowMs() - (options.silentAfterMs ?? 30 * 60_000), 500);
  for (const s of silent) {
    await inTransaction(ctx, async (trx) => {
      const usage = await findUsageSession(trx, s.id);
      if (usage !== undefined) {
        await updateNasUsage(trx, s.id, usage, { uptimeS: usage.uptime_s, bytesIn: Number(usage.bytes_in), bytesOut: Number(usage.bytes_out), endedAtMs: Number(usage.started_at) + usage.uptime_s * 1000 });
      }
      // Acct-Terminate-Cause 2 (Lost-Carrier) is the nearest meaning: the NAS stopped telling us.
      await updateRadiusSession(trx, s.id, { ended_at: Number(s.last_update_ms), terminate_cause: 2, user_sealed: null });
    });
    ended++;
  }
  return { checked, queued, ended };
}
