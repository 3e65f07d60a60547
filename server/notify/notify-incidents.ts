/**
 * From state events to webhook deliveries: picks incident events, drops muted ones (maintenance.ts), builds the
 * payload and sends it to every webhook. Remembers which incidents were muted so their end is muted too.
 */
import type { StateEvent } from '../../core/ingest.ts';
import { isIncidentMuted } from './maintenance.ts';
import type { MaintenanceWindow } from './maintenance.ts';
import { incidentPayload } from './payload.ts';
import type { DeviceContext, IncidentEvent } from './payload.ts';
import { sendWebhook } from './send-webhook.ts';
import type { SendWebhookOptions, WebhookOutcome, WebhookTarget } from './send-webhook.ts';

export interface NotifyDeps {
  webhooks: () => readonly WebhookTarget[] | Promise<readonly WebhookTarget[]>;
  maintenance: () => readonly MaintenanceWindow[] | Promise<readonly MaintenanceWindow[]>;
  deviceContext: (deviceId: string) => DeviceContext | Promise<DeviceContext>;
  send?: SendWebhookOptions;
}

export interface NotificationReport {
  incidentId: string;
  type: IncidentEvent['type'];
  muted: boolean;
  outcomes: Array<{ url: string } & WebhookOutcome>;
}

export interface IncidentNotifier {
  handle(events: readonly StateEvent[]): Promise<NotificationReport[]>;
}

export function createIncidentNotifier(deps: NotifyDeps): IncidentNotifier {
  const mutedIncidents = new Set<string>();
  return {
    async handle(events: readonly StateEvent[]): Promise<NotificationReport[]> {
      const reports: NotificationReport[] = [];
      for (const event of events) {
        if (event.type !== 'incident_opened' && event.type !== 'incident_closed') continue;
        const device = await deps.deviceContext(event.deviceId);
        let muted: boolean;
        if (event.type === 'incident_opened') {
          muted = isIncidentMuted(await deps.maintenance(), { deviceId: event.deviceId, siteId: device.siteId, startedAtMs: event.startedAtMs, detectedAtMs: event.detectedAtMs });
          if (muted) mutedIncidents.add(event.incidentId);
        } else {
          muted = mutedIncidents.delete(event.incidentId) || isIncidentMuted(await deps.maintenance(), { deviceId: event.deviceId, siteId: device.siteId, startedAtMs: event.startedAtMs, detectedAtMs: event.startedAtMs });
        }
        const report: NotificationReport = { incidentId: event.incidentId, type: event.type, muted, outcomes: [] };
        reports.push(report);
        if (muted) continue;
        const payload = incidentPayload(event, device);
        const targets = await deps.webhooks();
        const outcomes = await Promise.all(targets.map(async (t) => ({ url: t.url, ...(await sendWebhook(t, payload, deps.send)) })));
        report.outcomes.push(...outcomes);
      }
      return reports;
    },
  };
}
