/**
 * From incident events to alert channels: incident start and end (from ingest) and acknowledgements (from staff).
 * Each channel gets what its filters let through (event, ward, lowest severity); start and end are muted by a
 * maintenance window of the device or its site (server/notify/maintenance.ts), an acknowledgement never is.
 * Channels are sent to side by side; every outcome is recorded in alert_deliveries. Runs after the request's
 * transaction (ctx.defer), never inside it.
 */
import { severityOfRole, severityRank, type AlertEvent, type Severity } from '../../../core/schemas/alerts.ts';
import type { StateEvent } from '../../../core/ingest.ts';
import { isoAt } from '../../../core/time.ts';
import { newId } from '../../crypto/random.ts';
import { insertAlertDeliveries, listChannels } from '../../db/alerts.ts';
import { fleetRows } from '../../db/monitoring.ts';
import type { AlertChannelsTable, AlertDeliveriesTable } from '../../db/types.ts';
import { entityNames, listMaintenance } from '../../db/webhooks.ts';
import type { ServiceCtx } from '../../deps.ts';
import { isIncidentMuted } from '../../notify/maintenance.ts';
import { alertText, smsCapText, type AlertMessageEvent, type AlertSubject } from '../../notify/messages.ts';
import { sendToChannel, type ChannelMessage } from './send.ts';

export interface AlertIncident {
  incidentId: string;
  deviceId: string;
  startedAtMs: number;
  detectedAtMs: number;
  endedAtMs: number | null;
  cause: { kind: string; message: string };
}

interface DeviceInfo {
  name: string | null;
  role: string | null;
  siteId: string | null;
  siteName: string | null;
  wardCode: string | null;
  wardName: string | null;
}

async function deviceInfo(ctx: ServiceCtx): Promise<(id: string) => DeviceInfo> {
  const [fleet, names] = await Promise.all([fleetRows(ctx.db), entityNames(ctx.db)]);
  const byId = new Map(fleet.map((r) => [r.id, r]));
  const wardName = names.wards;
  return (id) => {
    const r = byId.get(id);
    return {
      name: r?.name ?? null, role: r?.role ?? null, siteId: r?.site_id ?? null, siteName: r?.site_name ?? null,
      wardCode: r?.ward_code ?? null, wardName: r?.ward_code == null ? null : (wardName.get(r.ward_code) ?? null),
    };
  };
}

function accepts(ch: AlertChannelsTable, event: AlertEvent, wardCode: string | null, severity: Severity): boolean {
  if (ch.enabled !== 1) return false;
  if (!(JSON.parse(ch.events) as string[]).includes(event)) return false;
  if (severityRank(severity) < severityRank(ch.min_severity as Severity)) return false;
  if (ch.ward_codes !== null && (wardCode === null || !(JSON.parse(ch.ward_codes) as string[]).includes(wardCode))) return false;
  return true;
}

function messageOf(inc: AlertIncident, dev: DeviceInfo, severity: Severity, event: AlertMessageEvent, ack: { by: string; atMs: number; note: string | null } | null): ChannelMessage {
  const subject: AlertSubject = {
    incidentId: inc.incidentId, deviceId: inc.deviceId, deviceName: dev.name, siteName: dev.siteName, wardName: dev.wardName, severity,
    startedAtMs: inc.startedAtMs, endedAtMs: inc.endedAtMs, cause: inc.cause,
  };
  const type = event.type === 'opened' ? 'incident.opened' : event.type === 'closed' ? 'incident.closed' : 'incident.acknowledged';
  const deliveryId = `${inc.incidentId}/${event.type}`;
  const words = alertText(subject, event);
  return {
    event: event.type,
    deliveryId,
    words,
    payload: {
      type, deliveryId, incidentId: inc.incidentId, deviceId: inc.deviceId,
      device: { name: dev.name, siteId: dev.siteId, siteName: dev.siteName, wardCode: dev.wardCode },
      severity,
      startedAt: isoAt(inc.startedAtMs),
      endedAt: inc.endedAtMs === null ? null : isoAt(inc.endedAtMs),
      durationS: inc.endedAtMs === null ? null : Math.round((inc.endedAtMs - inc.startedAtMs) / 1000),
      detectedAt: isoAt(inc.detectedAtMs),
      cause: inc.cause,
      acknowledged: ack === null ? null : { by: ack.by, at: isoAt(ack.atMs), note: ack.note },
      text: words.text,
    },
  };
}

async function fanOut(ctx: ServiceCtx, items: { incidentId: string; event: AlertEvent; channels: AlertChannelsTable[]; message: ChannelMessage }[]): Promise<void> {
  const rows: AlertDeliveriesTable[] = [];
  for (const item of items) {
    const outcomes = await Promise.all(item.channels.map(async (ch) => ({ ch, o: await sendToChannel(ctx, ch, item.message) })));
    for (const { ch, o } of outcomes) {
      rows.push({ id: newId(), channel_id: ch.id, incident_id: item.incidentId, event: item.event, at_ms: ctx.clock.nowMs(), ok: o.delivered ? 1 : 0, attempts: o.attempts, status: o.status, error: o.error });
    }
  }
  if (rows.length > 0) await insertAlertDeliveries(ctx.db, rows);
}

/** Incident start and end from ingest. */
export async function notifyIncidentEvents(ctx: ServiceCtx, events: readonly StateEvent[]): Promise<void> {
  const incidents = events.filter((e) => e.type === 'incident_opened' || e.type === 'incident_closed');
  if (incidents.length === 0) return;
  const channels = (await listChannels(ctx.db)).filter((c) => c.enabled === 1);
  if (channels.length === 0) return;
  const info = await deviceInfo(ctx);
  const windows = (await listMaintenance(ctx.db, ctx.clock.nowMs() - 86_400_000)).map((m) => ({ deviceId: m.device_id, siteId: m.site_id, startMs: Number(m.starts_ms), endMs: Number(m.ends_ms) }));
  const items: Parameters<typeof fanOut>[1] = [];
  for (const e of incidents) {
    if (e.type !== 'incident_opened' && e.type !== 'incident_closed') continue;
    const dev = info(e.deviceId);
    const opened = e.type === 'incident_opened';
    // The end is muted exactly when the start was: a window covering the start (or its detection) mutes both.
    const muted = isIncidentMuted(windows, { deviceId: e.deviceId, siteId: dev.siteId, startedAtMs: e.startedAtMs, detectedAtMs: opened ? e.detectedAtMs : e.startedAtMs });
    if (muted) continue;
    const event: AlertEvent = opened ? 'opened' : 'closed';
    const severity = severityOfRole(dev.role);
    const inc: AlertIncident = { incidentId: e.incidentId, deviceId: e.deviceId, startedAtMs: e.startedAtMs, detectedAtMs: e.detectedAtMs, endedAtMs: opened ? null : e.endedAtMs, cause: e.cause };
    const chosen = channels.filter((c) => accepts(c, event, dev.wardCode, severity));
    if (chosen.length > 0) items.push({ incidentId: e.incidentId, event, channels: chosen, message: messageOf(inc, dev, severity, { type: event }, null) });
  }
  await fanOut(ctx, items);
}

/** A staff member acknowledged an incident. */
export async function notifyAcknowledged(ctx: ServiceCtx, inc: AlertIncident, ack: { by: string; atMs: number; note: string | null }): Promise<void> {
  const channels = (await listChannels(ctx.db)).filter((c) => c.enabled === 1);
  if (channels.length === 0) return;
  const dev = (await deviceInfo(ctx))(inc.deviceId);
  const severity = severityOfRole(dev.role);
  const chosen = channels.filter((c) => accepts(c, 'acknowledged', dev.wardCode, severity));
  if (chosen.length === 0) return;
  await fanOut(ctx, [{ incidentId: inc.incidentId, event: 'acknowledged', channels: chosen, message: messageOf(inc, dev, severity, { type: 'acknowledged', by: ack.by, note: ack.note }, ack) }]);
}

/**
 * Issue 14: the portal's SMS daily cost cap was reached. A city-wide warning, not an incident: it goes to every enabled
 * channel that takes incident starts at warning level and is not limited to some wards; recorded in alert_deliveries
 * with event `sms-cap` and no incident. The caller sends it once per day and cap (server/portal/services/sms-gateway.ts).
 */
export async function notifySmsCapReached(ctx: ServiceCtx, cap: { day: string; capIdr: number; pricePerMessageIdr: number; messages: number }): Promise<void> {
  const chosen = (await listChannels(ctx.db)).filter((c) => accepts(c, 'opened', null, 'warning'));
  if (chosen.length === 0) return;
  const words = smsCapText(cap);
  const deliveryId = `sms-cap/${cap.day}/${cap.capIdr}`;
  const message: ChannelMessage = {
    event: 'sms-cap',
    deliveryId,
    words,
    payload: { type: 'portal.sms-cap-reached', deliveryId, day: cap.day, capIdr: cap.capIdr, pricePerMessageIdr: cap.pricePerMessageIdr, messages: cap.messages, at: isoAt(ctx.clock.nowMs()), text: words.text },
  };
  const outcomes = await Promise.all(chosen.map(async (ch) => ({ ch, o: await sendToChannel(ctx, ch, message) })));
  await insertAlertDeliveries(
    ctx.db,
    outcomes.map(({ ch, o }) => ({ id: newId(), channel_id: ch.id, incident_id: null, event: 'sms-cap', at_ms: ctx.clock.nowMs(), ok: o.delivered ? 1 : 0, attempts: o.attempts, status: o.status, error: o.error })),
  );
}
