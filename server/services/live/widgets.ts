/**
 * Wall widgets (issue 15): read-only tokens an admin makes for a screen in the command centre or a page that embeds
 * the figures (no staff session). The token is shown once; only its SHA-256 is kept; revoking it closes the widget.
 * A widget shows counts and place names only: devices by state, open incidents by site, the public summary.
 */
import { AppError } from '../../../core/errors.ts';
import { isoAt } from '../../../core/time.ts';
import { newWidgetToken } from '../../auth/machine-tokens.ts';
import { newId } from '../../crypto/random.ts';
import { deviceStateCounts, insertWidgetToken, listWidgetTokens, liveDeviceStates, liveIncidents, revokeWidgetToken } from '../../db/satu-data.ts';
import { inTransaction } from '../../db/tx.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { publicSummary } from '../kpis/public-summary.ts';

export async function createWidgetToken(ctx: ServiceCtx, name: string, origin: string): Promise<{ id: string; name: string; token: string; urls: { status: string; summary: string; events: string } }> {
  const { token, hash } = newWidgetToken();
  const id = newId();
  await inTransaction(ctx, async (trx) => {
    await insertWidgetToken(trx, { id, name, token_hash: hash, created_by: ctx.actor?.email ?? 'system', created_at: isoAt(ctx.clock.nowMs()), last_used_at: null, revoked_at: null });
    await recordAudit(ctx, trx, { action: 'create', entity: 'widget_tokens', entityId: id, detail: { name } });
  });
  const q = `token=${token}`;
  return { id, name, token, urls: { status: `${origin}/widgets/status?${q}`, summary: `${origin}/api/v1/widgets/summary?${q}`, events: `${origin}/api/v1/widgets/events?${q}` } };
}

export async function widgetTokens(ctx: ServiceCtx): Promise<{ items: Array<{ id: string; name: string; createdBy: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }> }> {
  return { items: (await listWidgetTokens(ctx.db)).map((r) => ({ id: r.id, name: r.name, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at })) };
}

export async function revokeWidget(ctx: ServiceCtx, id: string): Promise<{ ok: true }> {
  await inTransaction(ctx, async (trx) => {
    if ((await revokeWidgetToken(trx, id, isoAt(ctx.clock.nowMs()))) === 0) throw new AppError('not_found', 'no such widget token, or it was revoked already');
    await recordAudit(ctx, trx, { action: 'delete', entity: 'widget_tokens', entityId: id });
  });
  return { ok: true };
}

export interface WidgetSummary {
  asOf: string;
  devices: Record<string, number>;
  openIncidents: Array<{ siteName: string | null; deviceName: string; since: string; acknowledged: boolean }>;
  pointsLive: number;
  pointsWorking: number;
  availabilityTodayPct: number | null;
  residentsCoveredPct: number | null;
  residentsCoveredReason?: string;
}

export async function widgetSummary(ctx: ServiceCtx): Promise<WidgetSummary> {
  const devices: Record<string, number> = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const r of await deviceStateCounts(ctx.db)) if (r.state !== 'disabled') devices[r.state] = (devices[r.state] ?? 0) + r.n;
  const names = new Map((await liveDeviceStates(ctx.db)).map((d) => [d.id, d]));
  const open = (await liveIncidents(ctx.db, ctx.clock.nowMs())).filter((i) => i.ended_ms === null).sort((a, b) => Number(a.started_ms) - Number(b.started_ms));
  const s = await publicSummary(ctx);
  return {
    asOf: new Date(ctx.clock.nowMs()).toISOString(),
    devices,
    openIncidents: open.map((i) => ({ siteName: names.get(i.device_id)?.site_name ?? null, deviceName: names.get(i.device_id)?.name ?? i.device_id, since: new Date(Number(i.started_ms)).toISOString(), acknowledged: i.ack_at_ms != null })),
    pointsLive: s.pointsLive, pointsWorking: s.pointsWorking, availabilityTodayPct: s.availabilityTodayPct, residentsCoveredPct: s.residentsCoveredPct,
    ...(s.residentsCoveredReason === undefined ? {} : { residentsCoveredReason: s.residentsCoveredReason }),
  };
}
