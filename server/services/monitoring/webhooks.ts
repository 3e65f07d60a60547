/**
 * `/api/v1/webhooks` as it was before alert channels: a webhook is a channel of kind `webhook` (same id, same sealed
 * secret) that gets incident start and end for every ward and severity. Maintenance windows mute notifications.
 */
import { AppError } from '../../../core/errors.ts';
import type { StateEvent } from '../../../core/ingest.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { deleteMaintenance, insertMaintenance, listMaintenance } from '../../db/webhooks.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { createAlertChannel, listAlertChannels, removeAlertChannel } from '../alerts/channels.ts';
import { notifyIncidentEvents } from '../alerts/dispatch.ts';

/** Outbound URLs must be http(s) (alerts/outbound-check.ts); the secret signs every delivery and is sealed at rest. */
export async function createWebhook(ctx: ServiceCtx, input: { url: string; secret: string }): Promise<{ id: string; url: string; createdAt: string }> {
  let name: string;
  try {
    name = new URL(input.url).host;
  } catch {
    throw new AppError('validation_failed', 'body.url: not a URL', { details: [{ path: 'body.url', message: 'not a URL' }] });
  }
  const ch = await createAlertChannel(ctx, {
    kind: 'webhook', name, enabled: true, wardCodes: null, minSeverity: 'warning', events: ['opened', 'closed'], settings: { url: input.url }, secret: input.secret,
  });
  return { id: ch.id, url: ch.target, createdAt: ch.createdAt };
}

export async function webhookList(ctx: ServiceCtx): Promise<{ items: { id: string; url: string; enabled: boolean; createdAt: string }[] }> {
  return { items: (await listAlertChannels(ctx, 'webhook')).items.map((c) => ({ id: c.id, url: c.target, enabled: c.enabled, createdAt: c.createdAt })) };
}

export async function removeWebhook(ctx: ServiceCtx, id: string): Promise<void> {
  await removeAlertChannel(ctx, id, 'webhook');
}

export async function createMaintenance(
  ctx: ServiceCtx,
  input: { deviceId?: string | undefined; siteId?: string | undefined; startsAt: string; endsAt: string; reason?: string | undefined },
): Promise<{ id: string }> {
  if (input.deviceId === undefined && input.siteId === undefined) throw new AppError('validation_failed', 'a maintenance window needs a deviceId or a siteId');
  const starts = Date.parse(input.startsAt);
  const ends = Date.parse(input.endsAt);
  if (!(ends > starts)) throw new AppError('validation_failed', 'endsAt must be after startsAt');
  const id = newId();
  await insertMaintenance(ctx.db, {
    id,
    device_id: input.deviceId ?? null,
    site_id: input.siteId ?? null,
    starts_ms: starts,
    ends_ms: ends,
    reason: input.reason ?? null,
    created_at: isoAt(ctx.clock.nowMs()),
  });
  await recordAudit(ctx, ctx.db, { action: 'create', entity: 'maintenance', entityId: id, detail: { deviceId: input.deviceId, siteId: input.siteId } });
  return { id };
}

export async function maintenanceList(ctx: ServiceCtx): Promise<{ items: { id: string; deviceId: string | null; siteId: string | null; startsAt: string; endsAt: string; reason: string | null }[] }> {
  return {
    items: (await listMaintenance(ctx.db)).map((m) => ({
      id: m.id,
      deviceId: m.device_id,
      siteId: m.site_id,
      startsAt: isoAt(Number(m.starts_ms)),
      endsAt: isoAt(Number(m.ends_ms)),
      reason: m.reason,
    })),
  };
}

export async function removeMaintenance(ctx: ServiceCtx, id: string): Promise<void> {
  if ((await deleteMaintenance(ctx.db, id)) === 0) throw new AppError('not_found', `no maintenance window ${id}`);
}

/** Sends incident start and end to every alert channel whose filters let them through, unless maintenance mutes them. */
export async function notifyIncidents(ctx: ServiceCtx, events: readonly StateEvent[]): Promise<void> {
  await notifyIncidentEvents(ctx, events);
}
