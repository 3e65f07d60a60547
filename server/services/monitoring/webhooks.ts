import { AppError } from '../../../core/errors.ts';
import type { StateEvent } from '../../../core/ingest.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { fleetRows } from '../../db/monitoring.ts';
import { deleteMaintenance, deleteWebhook, insertDelivery, insertMaintenance, insertWebhook, listMaintenance, listWebhooks } from '../../db/webhooks.ts';
import type { ServiceCtx } from '../../deps.ts';
import { createIncidentNotifier } from '../../notify/index.ts';
import { recordAudit } from '../audit/record-audit.ts';

const PURPOSE = (id: string): string => `webhook-secret:${id}`;

/** Outbound URLs must be http(s); the secret signs every delivery and is sealed at rest. */
export async function createWebhook(ctx: ServiceCtx, input: { url: string; secret: string }): Promise<{ id: string; url: string; createdAt: string }> {
  const u = new URL(input.url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('validation_failed', 'a webhook URL must be http or https');
  const id = newId();
  const createdAt = isoAt(ctx.clock.nowMs());
  await insertWebhook(ctx.db, { id, url: input.url, secret_sealed: await ctx.secrets.seal(input.secret, PURPOSE(id)), enabled: 1, created_at: createdAt });
  await recordAudit(ctx, ctx.db, { action: 'create', entity: 'webhook', entityId: id, detail: { url: u.origin } });
  return { id, url: input.url, createdAt };
}

export async function webhookList(ctx: ServiceCtx): Promise<{ items: { id: string; url: string; enabled: boolean; createdAt: string }[] }> {
  return { items: (await listWebhooks(ctx.db)).map((w) => ({ id: w.id, url: w.url, enabled: w.enabled === 1, createdAt: w.created_at })) };
}

export async function removeWebhook(ctx: ServiceCtx, id: string): Promise<void> {
  if ((await deleteWebhook(ctx.db, id)) === 0) throw new AppError('not_found', `no webhook ${id}`);
  await recordAudit(ctx, ctx.db, { action: 'delete', entity: 'webhook', entityId: id });
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

/** Sends incident events to every enabled webhook (signed, retried with back-off), unless a maintenance window mutes them. */
export async function notifyIncidents(ctx: ServiceCtx, events: readonly StateEvent[]): Promise<void> {
  if (events.length === 0) return;
  const hooks = (await listWebhooks(ctx.db)).filter((w) => w.enabled === 1);
  if (hooks.length === 0) return;
  const targets = await Promise.all(hooks.map(async (w) => ({ id: w.id, url: w.url, secret: await ctx.secrets.open(w.secret_sealed, PURPOSE(w.id)) })));
  const fleet = new Map((await fleetRows(ctx.db)).map((r) => [r.id, r]));
  const notifier = createIncidentNotifier({
    webhooks: () => targets,
    maintenance: async () =>
      (await listMaintenance(ctx.db, ctx.clock.nowMs() - 86_400_000)).map((m) => ({
        deviceId: m.device_id,
        siteId: m.site_id,
        startMs: Number(m.starts_ms),
        endMs: Number(m.ends_ms),
      })),
    deviceContext: (id) => {
      const r = fleet.get(id);
      return { name: r?.name ?? null, siteId: r?.site_id ?? null, siteName: r?.site_name ?? null, wardCode: r?.ward_code ?? null };
    },
    send: { nowMs: () => ctx.clock.nowMs() },
  });
  const reports = await notifier.handle(events);
  const byUrl = new Map(targets.map((t) => [t.url, t.id]));
  for (const rep of reports) {
    for (const o of rep.outcomes) {
      await insertDelivery(ctx.db, {
        id: newId(),
        webhook_id: byUrl.get(o.url) ?? 'unknown',
        incident_id: rep.incidentId,
        event: rep.type,
        at_ms: ctx.clock.nowMs(),
        ok: o.delivered ? 1 : 0,
        attempts: o.attempts,
        status: o.status ?? null,
        error: o.error ?? null,
      });
    }
  }
}
