/**
 * Alert channels: create, list, change, remove, send a test. The secret of each kind (webhook signing secret, bot
 * token, SMTP password) is sealed with a purpose bound to the channel id and never returned. Every change is audited
 * with field names only.
 */
import { AppError } from '../../../core/errors.ts';
import {
  emailSettings, telegramSettings, webhookSettings, type ChannelBody, type ChannelKind, type ChannelOut, type ChannelPatch, type DeliveryOut, type Severity,
} from '../../../core/schemas/alerts.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { deleteChannel, findChannel, insertAlertDeliveries, insertChannel, lastAlertDeliveries, listAlertDeliveries, listChannels, updateChannel } from '../../db/alerts.ts';
import { inTransaction } from '../../db/tx.ts';
import type { AlertChannelsTable, AlertDeliveriesTable } from '../../db/types.ts';
import type { ServiceCtx } from '../../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { checkChannelUrl } from './outbound-check.ts';
import { secretPurpose, sendToChannel, type ChannelMessage } from './send.ts';
import { alertText } from '../../notify/messages.ts';

function targetOf(kind: ChannelKind, settings: Record<string, unknown>): string {
  if (kind === 'webhook') return String(settings.url);
  if (kind === 'telegram') return String(settings.chatId);
  return (settings.to as string[]).join(', ');
}

/** Validates the settings of a kind and checks its URLs; returns what to store. */
async function cleanSettings(ctx: ServiceCtx, kind: ChannelKind, raw: unknown): Promise<Record<string, unknown>> {
  const schema = kind === 'webhook' ? webhookSettings : kind === 'telegram' ? telegramSettings : emailSettings;
  const r = schema.safeParse(raw);
  if (!r.success) {
    throw new AppError('validation_failed', `invalid ${kind} settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      details: r.error.issues.map((i) => ({ path: ['body', 'settings', ...i.path.map(String)].join('.'), message: i.message })),
    });
  }
  const s = r.data as Record<string, unknown>;
  if (kind === 'webhook') await checkChannelUrl(ctx, String(s.url), 'body.settings.url');
  if (kind === 'telegram') await checkChannelUrl(ctx, String(s.apiBaseUrl), 'body.settings.apiBaseUrl');
  return s;
}

function toDeliveryOut(d: AlertDeliveriesTable): DeliveryOut {
  return { id: d.id, incidentId: d.incident_id, event: d.event, at: isoAt(Number(d.at_ms)), ok: d.ok === 1, attempts: d.attempts, status: d.status, error: d.error };
}

function toChannelOut(r: AlertChannelsTable, last: AlertDeliveriesTable | undefined): ChannelOut {
  const settings = JSON.parse(r.settings) as Record<string, unknown>;
  if (r.kind === 'webhook') settings.url = r.target;
  return {
    id: r.id,
    kind: r.kind as ChannelKind,
    name: r.name,
    enabled: r.enabled === 1,
    target: r.target,
    settings,
    secretSet: r.secret_sealed !== null,
    wardCodes: r.ward_codes === null ? null : (JSON.parse(r.ward_codes) as string[]),
    minSeverity: r.min_severity as Severity,
    events: JSON.parse(r.events) as ChannelOut['events'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastDelivery: last === undefined ? null : toDeliveryOut(last),
  };
}

export async function listAlertChannels(ctx: ServiceCtx, kind?: ChannelKind): Promise<{ items: ChannelOut[] }> {
  const [rows, last] = await Promise.all([listChannels(ctx.db, kind), lastAlertDeliveries(ctx.db)]);
  return { items: rows.map((r) => toChannelOut(r, last.get(r.id))) };
}

export async function getAlertChannel(ctx: ServiceCtx, id: string): Promise<ChannelOut> {
  const row = await findChannel(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no alert channel ${id}`);
  return toChannelOut(row, (await lastAlertDeliveries(ctx.db)).get(id));
}

export async function createAlertChannel(ctx: ServiceCtx, body: ChannelBody): Promise<ChannelOut> {
  const settings = await cleanSettings(ctx, body.kind, body.settings);
  const id = newId();
  const now = isoAt(ctx.clock.nowMs());
  const secret = body.secret ?? null;
  const stored = { ...settings };
  if (body.kind === 'webhook') delete stored.url;
  const row: AlertChannelsTable = {
    id,
    kind: body.kind,
    name: body.name,
    enabled: body.enabled ? 1 : 0,
    target: targetOf(body.kind, settings),
    settings: JSON.stringify(stored),
    secret_sealed: secret === null || secret === '' ? null : await ctx.secrets.seal(secret, secretPurpose(body.kind, id)),
    ward_codes: body.wardCodes == null ? null : JSON.stringify([...new Set(body.wardCodes)]),
    min_severity: body.minSeverity,
    events: JSON.stringify([...new Set(body.events)]),
    created_at: now,
    updated_at: now,
  };
  await inTransaction(ctx, async (trx) => {
    await insertChannel(trx, row);
    await recordAudit(ctx, trx, { action: 'create', entity: 'alert-channel', entityId: id, detail: { kind: body.kind, name: body.name } });
  });
  return toChannelOut(row, undefined);
}

export async function patchAlertChannel(ctx: ServiceCtx, id: string, patch: ChannelPatch): Promise<ChannelOut> {
  const row = await findChannel(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no alert channel ${id}`);
  const kind = row.kind as ChannelKind;
  const set: Partial<AlertChannelsTable> = { updated_at: isoAt(ctx.clock.nowMs()) };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
  if (patch.wardCodes !== undefined) set.ward_codes = patch.wardCodes === null ? null : JSON.stringify([...new Set(patch.wardCodes)]);
  if (patch.minSeverity !== undefined) set.min_severity = patch.minSeverity;
  if (patch.events !== undefined) set.events = JSON.stringify([...new Set(patch.events)]);
  if (patch.settings !== undefined) {
    const current = JSON.parse(row.settings) as Record<string, unknown>;
    if (kind === 'webhook') current.url = row.target;
    const settings = await cleanSettings(ctx, kind, { ...current, ...patch.settings });
    set.target = targetOf(kind, settings);
    if (kind === 'webhook') delete settings.url;
    set.settings = JSON.stringify(settings);
  }
  if (patch.secret !== undefined) {
    if (patch.secret === null || patch.secret === '') {
      if (kind !== 'email') throw new AppError('validation_failed', `a ${kind} channel needs its secret`, { details: [{ path: 'body.secret', message: 'required' }] });
      set.secret_sealed = null;
    } else {
      if (kind === 'webhook' && patch.secret.length < 16) throw new AppError('validation_failed', 'a webhook secret needs at least 16 characters', { details: [{ path: 'body.secret', message: 'at least 16 characters' }] });
      set.secret_sealed = await ctx.secrets.seal(patch.secret, secretPurpose(kind, id));
    }
  }
  await inTransaction(ctx, async (trx) => {
    await updateChannel(trx, id, set);
    await recordAudit(ctx, trx, { action: 'update', entity: 'alert-channel', entityId: id, detail: { changed: Object.keys(patch) } });
  });
  return toChannelOut({ ...row, ...set }, (await lastAlertDeliveries(ctx.db)).get(id));
}

export async function removeAlertChannel(ctx: ServiceCtx, id: string, kind?: ChannelKind): Promise<void> {
  await inTransaction(ctx, async (trx) => {
    if ((await deleteChannel(trx, id, kind)) === 0) throw new AppError('not_found', `no ${kind === 'webhook' ? 'webhook' : 'alert channel'} ${id}`);
    await recordAudit(ctx, trx, { action: 'delete', entity: 'alert-channel', entityId: id });
  });
}

export async function alertChannelDeliveries(ctx: ServiceCtx, id: string, limit: number): Promise<{ items: DeliveryOut[] }> {
  if ((await findChannel(ctx.db, id)) === undefined) throw new AppError('not_found', `no alert channel ${id}`);
  return { items: (await listAlertDeliveries(ctx.db, id, limit)).map(toDeliveryOut) };
}

/** Sends a test message now (one attempt) and records it; the answer says whether it arrived and why not. */
export async function testAlertChannel(ctx: ServiceCtx, id: string): Promise<{ delivered: boolean; attempts: number; status: number | null; error: string | null }> {
  const row = await findChannel(ctx.db, id);
  if (row === undefined) throw new AppError('not_found', `no alert channel ${id}`);
  const now = ctx.clock.nowMs();
  const by = ctx.actor?.email ?? 'system';
  const subject = {
    incidentId: `test/${id}/${now}`, deviceId: 'test', deviceName: null, siteName: null, wardName: null, severity: 'warning' as const,
    startedAtMs: now, endedAtMs: null, cause: { kind: 'test', message: '' },
  };
  const message: ChannelMessage = {
    event: 'test',
    deliveryId: `test/${id}/${now}`,
    words: alertText(subject, { type: 'test', channelName: row.name, by }),
    payload: { type: 'test', deliveryId: `test/${id}/${now}`, channel: { id, name: row.name }, sentBy: by, sentAt: isoAt(now) },
  };
  const outcome = await sendToChannel(ctx, row, message, { maxAttempts: 1 });
  await recordTestDelivery(ctx, row.id, outcome, now);
  return outcome;
}

async function recordTestDelivery(ctx: ServiceCtx, channelId: string, o: { delivered: boolean; attempts: number; status: number | null; error: string | null }, atMs: number): Promise<void> {
  await insertAlertDeliveries(ctx.db, [{ id: newId(), channel_id: channelId, incident_id: null, event: 'test', at_ms: atMs, ok: o.delivered ? 1 : 0, attempts: o.attempts, status: o.status, error: o.error }]);
}
