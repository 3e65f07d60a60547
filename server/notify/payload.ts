/** The JSON a webhook receiver gets when an incident opens or closes. */
import type { IncidentClosedEvent, IncidentOpenedEvent } from '../../core/ingest.ts';
import type { PollErrorKind } from '../../core/observations.ts';

export type IncidentEvent = IncidentOpenedEvent | IncidentClosedEvent;

export interface DeviceContext {
  name: string | null;
  siteId: string | null;
  siteName: string | null;
  wardCode: string | null;
}

export interface IncidentWebhookPayload {
  type: 'incident.opened' | 'incident.closed';
  /** Same on every retry of one notification: receivers can drop repeats. */
  deliveryId: string;
  incidentId: string;
  deviceId: string;
  device: DeviceContext;
  startedAt: string;
  endedAt: string | null;
  /** Outage length in seconds, for a closed incident. */
  durationS: number | null;
  detectedAt: string;
  cause: { kind: PollErrorKind; message: string };
}

export function incidentPayload(event: IncidentEvent, device: DeviceContext): IncidentWebhookPayload {
  const opened = event.type === 'incident_opened';
  return {
    type: opened ? 'incident.opened' : 'incident.closed',
    deliveryId: `${event.incidentId}/${opened ? 'opened' : 'closed'}`,
    incidentId: event.incidentId,
    deviceId: event.deviceId,
    device,
    startedAt: new Date(event.startedAtMs).toISOString(),
    endedAt: opened ? null : new Date(event.endedAtMs).toISOString(),
    durationS: opened ? null : Math.round((event.endedAtMs - event.startedAtMs) / 1000),
    detectedAt: new Date(event.detectedAtMs).toISOString(),
    cause: { kind: event.cause.kind, message: event.cause.message },
  };
}
