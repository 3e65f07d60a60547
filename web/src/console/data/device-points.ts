/**
 * Every device with a place and a state, for the monitor and the wall: from GET /api/v1/status when the server has
 * it; otherwise from the inventory (devices placed at their sites), each state `unknown`.
 */
import { hasRoute, get, type ApiResult } from '../../api/client.ts';
import type { DeviceOut, SiteOut, StatusItem } from '../../api/types.ts';
import { fetchAll } from './fetch-all.ts';

export interface DevicePoints {
  items: StatusItem[];
  /** False when states come from the inventory only (no live status route yet). */
  live: boolean;
}

export async function loadDevicePoints(): Promise<ApiResult<DevicePoints>> {
  if (await hasRoute('GET', '/api/v1/status')) {
    const r = await get<{ items: StatusItem[] }>('/api/v1/status');
    if (!r.ok) return r;
    return { ok: true, status: r.status, data: { items: r.data.items, live: true } };
  }
  const [devices, sites] = await Promise.all([fetchAll<DeviceOut>('/api/v1/devices'), fetchAll<SiteOut>('/api/v1/sites')]);
  if (!devices.ok) return devices;
  if (!sites.ok) return sites;
  const byId = new Map(sites.data.map((s) => [s.id, s] as const));
  const items: StatusItem[] = devices.data.map((d) => {
    const site = d.siteId === null ? undefined : byId.get(d.siteId);
    return {
      deviceId: d.id,
      name: d.name,
      role: d.role,
      siteId: d.siteId,
      siteName: site?.name ?? null,
      lat: site?.lat ?? null,
      lon: site?.lon ?? null,
      wardCode: site?.wardCode ?? null,
      provider: site?.provider ?? null,
      lastErrorKind: null,
      state: 'unknown',
      since: null,
      lastPollAt: null,
      clients: null,
    };
  });
  return { ok: true, status: 200, data: { items, live: false } };
}
