/** Hotspot configuration of the captive portal: which router runs a hotspot and how citizens sign in there. */
import type { Executor } from '../../db/types.ts';
import { portalDb, type PortalHotspotsTable } from './types.ts';

export type PortalHotspotRow = PortalHotspotsTable;

export async function insertPortalHotspot(db: Executor, row: PortalHotspotRow): Promise<void> {
  await portalDb(db).insertInto('portal_hotspots').values(row).execute();
}

export async function updatePortalHotspot(db: Executor, id: string, patch: Partial<Omit<PortalHotspotRow, 'id'>>): Promise<number> {
  const r = await portalDb(db).updateTable('portal_hotspots').set(patch).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function findPortalHotspot(db: Executor, id: string): Promise<PortalHotspotRow | undefined> {
  return portalDb(db).selectFrom('portal_hotspots').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Enabled hotspots whose router reports this identity; the caller then matches server address and name. */
export async function findPortalHotspotsByIdentity(db: Executor, identity: string): Promise<PortalHotspotRow[]> {
  return portalDb(db).selectFrom('portal_hotspots').selectAll().where('identity', '=', identity).where('enabled', '=', 1).execute();
}

export async function listPortalHotspots(db: Executor): Promise<PortalHotspotRow[]> {
  return portalDb(db).selectFrom('portal_hotspots').selectAll().orderBy('identity').execute();
}

/** The inventory facts a hotspot needs: its router's role and site, and the site's ward. */
export async function findHotspotPlace(
  db: Executor,
  deviceId: string,
): Promise<{ role: string; siteId: string | null; wardCode: string | null } | undefined> {
  const row = await db
    .selectFrom('devices')
    .leftJoin('sites', 'sites.id', 'devices.site_id')
    .select(['devices.role as role', 'devices.site_id as siteId', 'sites.ward_code as wardCode'])
    .where('devices.id', '=', deviceId)
    .executeTakeFirst();
  return row === undefined ? undefined : { role: row.role, siteId: row.siteId, wardCode: row.wardCode ?? null };
}

export async function findPortalHotspotIdByDevice(db: Executor, deviceId: string): Promise<string | undefined> {
  return (await portalDb(db).selectFrom('portal_hotspots').select(['id']).where('device_id', '=', deviceId).executeTakeFirst())?.id;
}
