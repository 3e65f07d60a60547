/** Hotspot configuration of the captive portal: which router runs a hotspot and how citizens sign in there. */
import { sql } from 'kysely';
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

/** A hotspot as a sign-in finds it: with whether it has an enabled RADIUS client (then nothing is provisioned). */
export type IdentifiedHotspotRow = PortalHotspotRow & { via_radius: boolean };

/**
 * Enabled hotspots whose router reports this identity; the caller then matches server address and name. Whether a
 * hotspot signs in through RADIUS comes in the same statement (issue 14: one look-up less per sign-in).
 */
export async function findPortalHotspotsByIdentity(db: Executor, identity: string): Promise<IdentifiedHotspotRow[]> {
  const rows = await portalDb(db)
    .selectFrom('portal_hotspots')
    .selectAll('portal_hotspots')
    .select(sql<number | boolean>`exists (select 1 from radius_clients where radius_clients.hotspot_id = portal_hotspots.id and radius_clients.enabled = 1)`.as('via_radius'))
    .where('identity', '=', identity)
    .where('enabled', '=', 1)
    .execute();
  return rows.map((r) => ({ ...r, via_radius: Number(r.via_radius) === 1 }));
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
