/**
 * Maintenance windows mute incident notifications for a device or a whole site. Rule: an incident is muted when
 * a window for its device or its site covers the incident's start or the moment it was detected; its end is muted
 * exactly when its start was (no "restored" message for an alert nobody got). Incidents are still recorded:
 * only the webhooks stay silent.
 */
export interface MaintenanceWindow {
  /** One of deviceId / siteId; a window with both covers either. */
  deviceId?: string | null;
  siteId?: string | null;
  startMs: number;
  endMs: number;
}

export function windowCovers(w: MaintenanceWindow, subject: { deviceId: string; siteId: string | null }, atMs: number): boolean {
  if (atMs < w.startMs || atMs >= w.endMs) return false;
  if (w.deviceId !== undefined && w.deviceId !== null && w.deviceId === subject.deviceId) return true;
  return w.siteId !== undefined && w.siteId !== null && w.siteId === subject.siteId;
}

export function isIncidentMuted(
  windows: readonly MaintenanceWindow[],
  incident: { deviceId: string; siteId: string | null; startedAtMs: number; detectedAtMs: number },
): boolean {
  return windows.some((w) => windowCovers(w, incident, incident.startedAtMs) || windowCovers(w, incident, incident.detectedAtMs));
}
